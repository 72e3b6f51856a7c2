//! The commands that reach a library's source (a bucket or a folder): `connect`, `sync`,
//! `url`, `rm`. Each resolves the library and its source, calls core once, prints.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use m3u8v_core::{
    CancellationToken, ConnectOptions, ListingOptions, Profile, ProfileOverrides, Secret, SecretSource, Source,
    SourceSettings, SyncOptions, SyncPhase, SyncProgress, playable_playlist, remove_video, remove_videos,
};

use crate::print;
use crate::target::{Target, libraries};

#[derive(Args)]
pub struct ConnectArgs {
    /// S3 endpoint, e.g. https://<account>.r2.cloudflarestorage.com [env: AWS_ENDPOINT_URL]
    #[arg(long)]
    endpoint: Option<String>,
    /// Bucket name [env: M3U8V_BUCKET]
    #[arg(long)]
    bucket: Option<String>,
    /// Region; R2 uses "auto" [env: AWS_REGION] [default: auto]
    #[arg(long)]
    region: Option<String>,
    /// Access key id [env: AWS_ACCESS_KEY_ID]
    #[arg(long)]
    access_key_id: Option<String>,
    /// Address the bucket as endpoint/bucket (most self-hosted S3 servers need it)
    #[arg(long)]
    path_style: bool,
    /// Read the secret access key from standard input instead of prompting
    #[arg(long)]
    secret_stdin: bool,
    /// Verify the endpoint, bucket, key and secret with one request; save nothing
    #[arg(long)]
    check: bool,
}

/// The bucket to use, when it is not the library's.
#[derive(Args)]
pub struct BucketOverride {
    /// Bucket name [env: M3U8V_BUCKET] [default: the library's]
    #[arg(long)]
    bucket: Option<String>,
}

impl BucketOverride {
    fn overrides(&self) -> ProfileOverrides {
        ProfileOverrides {
            bucket: self.bucket.clone(),
            ..ProfileOverrides::default()
        }
    }
}

#[derive(Args)]
pub struct SyncArgs {
    #[command(flatten)]
    target: BucketOverride,
    /// Remove from the catalog whatever the source no longer has, even most of the library
    #[arg(long)]
    prune_all: bool,
    /// Listing requests in flight at once (a bucket)
    #[arg(long, default_value_t = ListingOptions::default().concurrency)]
    concurrency: usize,
    /// List each creator folder separately (faster on R2 with many creators)
    #[arg(long)]
    by_creator: bool,
}

#[derive(Args)]
pub struct UrlArgs {
    #[command(flatten)]
    target: BucketOverride,
    key: String,
    /// Seconds a bucket's URLs stay valid
    #[arg(long, default_value_t = 3600)]
    expires: u64,
    /// Of an HLS video: write a playlist naming every part by its URL (presigned for a
    /// bucket, the file's path for a folder) to FILE, for mpv, VLC or ffplay
    #[arg(long, value_name = "FILE")]
    playlist: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct RmArgs {
    #[command(flatten)]
    target: BucketOverride,
    #[command(flatten)]
    videos: crate::Videos,
    /// Do not ask for confirmation
    #[arg(long)]
    yes: bool,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The connected source of the chosen library.
fn connect_source(target: &Target, overrides: &ProfileOverrides, options: ConnectOptions) -> Result<Source> {
    let settings = target.source(overrides)?;
    Ok(Source::connect(&target.name, &settings, None, &options)?)
}

pub fn connect(target: &Target, args: ConnectArgs, json: bool) -> Result<()> {
    let flags = ProfileOverrides {
        endpoint: args.endpoint.clone(),
        bucket: args.bucket.clone(),
        region: args.region.clone(),
        access_key_id: args.access_key_id.clone(),
        path_style: args.path_style.then_some(true),
    };
    let saved = match target.entry().map(|e| &e.source) {
        Some(SourceSettings::Bucket(profile)) => Some(profile.clone()),
        _ => None,
    };
    let profile = match &saved {
        Some(saved) => Profile::resolve_over(&flags, Some(saved))?,
        None => Profile::resolve(&flags, Profile::default_path().ok().as_deref())?,
    };
    if args.check {
        let (secret, source) = profile.secret()?;
        let settings = SourceSettings::Bucket(profile.clone());
        let connected = Source::connect(
            &target.name,
            &settings,
            Some((secret, source)),
            &ConnectOptions::default(),
        )?;
        runtime()?.block_on(connected.check())?;
        let from = match source {
            SecretSource::Environment => "AWS_SECRET_ACCESS_KEY",
            SecretSource::Keychain => "the OS keychain",
        };
        return print::done(
            json,
            &format!(
                "ok: bucket {:?} at {} answers; key {} and its secret (from {from}) are accepted",
                profile.bucket, profile.endpoint, profile.access_key_id
            ),
            serde_json::json!({"ok": true, "profile": profile, "secretSource": source}),
        );
    }

    let typed = if Secret::from_environment().is_some() {
        None
    } else if args.secret_stdin {
        Some(Secret::new(read_secret_line(&mut std::io::stdin().lock())?))
    } else if std::io::stdin().is_terminal() {
        Some(Secret::new(rpassword::prompt_password(format!(
            "secret access key for {}: ",
            profile.access_key_id
        ))?))
    } else {
        bail!("no secret: set AWS_SECRET_ACCESS_KEY, pass --secret-stdin, or run in a terminal to be asked")
    };
    let (_, source) = profile.keep_secret(typed)?;
    // The library: the one chosen if it is a bucket library, else a new one for this bucket.
    let mut libraries = libraries()?;
    let entry = match target.entry().filter(|_| saved.is_some()) {
        Some(entry) => libraries.set_source(&entry.id, SourceSettings::Bucket(profile.clone()))?,
        None => {
            let entry = libraries.add(&profile.bucket, SourceSettings::Bucket(profile.clone()))?;
            libraries.set_active(&entry.id)?;
            entry
        }
    };
    print::done(
        json,
        &format!(
            "saved the library {:?}: bucket {:?} at {}; secret {}",
            entry.name,
            profile.bucket,
            profile.endpoint,
            match source {
                SecretSource::Keychain => "stored in the OS keychain",
                SecretSource::Environment => "left in AWS_SECRET_ACCESS_KEY",
            }
        ),
        serde_json::json!({"library": entry, "secretSource": source}),
    )
}

fn read_secret_line(input: &mut impl BufRead) -> Result<String> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("cannot read the secret from standard input")?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        bail!("the secret read from standard input is empty");
    }
    Ok(secret)
}

pub fn sync(target: &Target, args: SyncArgs, json: bool) -> Result<()> {
    let catalog = Arc::new(target.open_catalog()?);
    let source = connect_source(target, &args.target.overrides(), ConnectOptions::default())?;
    let options = SyncOptions {
        prune_all: args.prune_all,
        listing: ListingOptions {
            concurrency: args.concurrency.max(1),
            by_creator: args.by_creator,
        },
        ..SyncOptions::default()
    };
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}").expect("a valid template"));
    if json || !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    let shown = bar.clone();
    let show = Arc::new(move |p: &SyncProgress| shown.set_message(progress_line(p)));
    let report = runtime()?.block_on(m3u8v_core::sync(
        &catalog,
        &source,
        options,
        show,
        &CancellationToken::new(),
    ));
    bar.finish_and_clear();
    let report = report.with_context(|| format!("sync of the library {:?} failed", target.name))?;
    print::done(json, &report.summary(), serde_json::to_value(&report)?)?;
    if report.removal_held_back > 0 {
        bail!(
            "{} of {} videos are not in the listing; they were kept and marked missing. If they really are gone, run `m3u8v sync --prune-all`",
            report.removal_held_back,
            report.library_videos
        );
    }
    Ok(())
}

fn progress_line(p: &SyncProgress) -> String {
    let total = p
        .expected_objects
        .filter(|n| *n > 0)
        .map(|n| format!(" of about {n}"))
        .unwrap_or_default();
    match p.phase {
        SyncPhase::Listing => format!(
            "listing: {} objects{total} ({:.0}/s); videos +{} ~{}",
            p.objects_listed, p.rate, p.videos_added, p.videos_updated
        ),
        SyncPhase::Writing | SyncPhase::Done => format!(
            "finishing: {} objects listed; videos +{} ~{} -{}",
            p.objects_listed, p.videos_added, p.videos_updated, p.videos_removed
        ),
    }
}

pub fn url(target: &Target, args: UrlArgs, json: bool) -> Result<()> {
    let catalog = target.open_catalog()?;
    let options = ConnectOptions {
        url_lifetime: Duration::from_secs(args.expires),
        ..ConnectOptions::default()
    };
    let source = connect_source(target, &args.target.overrides(), options)?;
    let video = catalog
        .video(&args.key)?
        .with_context(|| format!("the catalog has no video {:?} (run `m3u8v sync`?)", args.key))?;
    if let Some(file) = &args.playlist {
        let catalog = Arc::new(catalog);
        let written = runtime()?
            .block_on(playable_playlist(&catalog, &source, &args.key))
            .with_context(|| format!("could not write a playlist of {:?}", args.key))?;
        std::fs::write(file, written).with_context(|| format!("cannot write {}", file.display()))?;
        let text = format!("wrote {} (play it with mpv, VLC or ffplay)", file.display());
        return print::done(json, &text, serde_json::json!({ "playlist": file }));
    }
    let urls = source.video_urls(&args.key, &video.preview_segments)?;
    if json {
        return print::done(true, "", serde_json::to_value(&urls)?);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", urls.video.url)?;
    for segment in &urls.preview_segments {
        writeln!(out, "{}", segment.url)?;
    }
    Ok(())
}

pub fn rm(target: &Target, args: RmArgs, json: bool) -> Result<()> {
    let catalog = Arc::new(target.open_catalog()?);
    let source = connect_source(target, &args.target.overrides(), ConnectOptions::default())?;
    let place = match source.kind() {
        m3u8v_core::SourceKind::Bucket => "from the bucket; this cannot be undone",
        m3u8v_core::SourceKind::Folder => "to the trash",
    };
    let Some(key) = args.videos.single().map(str::to_owned) else {
        return rm_many(target, &catalog, &source, &args, place, json);
    };
    if !args.yes {
        confirm(&format!(
            "Delete {key:?} and its own preview segments of the library {:?} ({place})?",
            target.name
        ))?;
    }
    let removal = runtime()?
        .block_on(remove_video(&catalog, &source, &key))
        .with_context(|| format!("could not delete {key:?} (running the same command again finishes it)"))?;
    let parts = match removal.stream_parts_deleted {
        0 => String::new(),
        n => format!(", {n} parts of its playlist"),
    };
    let mut text = format!(
        "deleted {}{parts} and {} preview segments ({})",
        removal.key,
        removal.preview_segments.len(),
        match source.kind() {
            m3u8v_core::SourceKind::Bucket => "from the bucket",
            m3u8v_core::SourceKind::Folder => "moved to the trash",
        }
    );
    if removal.shared_segments_kept > 0 {
        text.push_str(&format!(
            " (kept {} shared with another video)",
            removal.shared_segments_kept
        ));
    }
    print::done(json, &text, serde_json::to_value(&removal)?)
}

/// Asks on the terminal; without one, refuses (a script passes --yes).
fn confirm(question: &str) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        bail!("refusing to delete without confirmation: pass --yes");
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if !matches!(answer.trim(), "y" | "Y" | "yes") {
        bail!("not deleted");
    }
    Ok(())
}

/// `rm` of several keys or of a filter: one question naming the count and size, then
/// the deletes, a few at a time; the ones that fail are listed and stay.
fn rm_many(
    target: &Target,
    catalog: &Arc<m3u8v_core::Catalog>,
    source: &Source,
    args: &RmArgs,
    place: &str,
    json: bool,
) -> Result<()> {
    let selection = args.videos.selection()?;
    let size = catalog.selection_size(&selection)?;
    if size.videos == 0 {
        bail!("no video of the catalog matches; nothing deleted");
    }
    if !args.yes {
        confirm(&format!(
            "Delete {} videos ({}) and their own preview segments of the library {:?} ({place})?",
            size.videos,
            print::size(size.bytes),
            target.name
        ))?;
    }
    let keys = catalog.selection_keys(&selection)?;
    let done = runtime()?.block_on(remove_videos(catalog, source, &keys));
    let failed: Vec<serde_json::Value> = done
        .failed
        .iter()
        .map(|(key, e)| serde_json::json!({"key": key, "error": chain(e)}))
        .collect();
    if json {
        print::done(
            true,
            "",
            serde_json::json!({"removed": done.removed.iter().map(|r| &r.key).collect::<Vec<_>>(), "failed": failed}),
        )?;
    } else {
        println!("deleted {} of {} videos", done.removed.len(), keys.len());
        for (key, e) in &done.failed {
            eprintln!("m3u8v: not deleted {key:?}: {}", chain(e));
        }
    }
    if !done.failed.is_empty() {
        bail!(
            "{} videos could not be deleted and are still in the library (running the same command again retries them)",
            done.failed.len()
        );
    }
    Ok(())
}

/// An error and its causes on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    parts.join(": ")
}
