//! The bucket commands: `connect`, `sync`, `url`, `rm`. Each resolves the profile (flags,
//! then the AWS environment variables, then the saved profile), calls core once, prints.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use m3u8v_core::{
    Bucket, BucketSettings, Catalog, Library, ListingOptions, Presigner, Profile, ProfileOverrides, Secret,
    SecretSource, SyncOptions, SyncPhase, SyncProgress, remove_video,
};

use crate::print;

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

/// The bucket to use, when it is not the saved profile's.
#[derive(Args)]
pub struct Target {
    /// Bucket name [env: M3U8V_BUCKET] [default: the saved profile's]
    #[arg(long)]
    bucket: Option<String>,
}

#[derive(Args)]
pub struct SyncArgs {
    #[command(flatten)]
    target: Target,
    /// Remove from the catalog whatever the bucket no longer has, even most of the library
    #[arg(long)]
    prune_all: bool,
    /// Listing requests in flight at once
    #[arg(long, default_value_t = ListingOptions::default().concurrency)]
    concurrency: usize,
    /// List each creator folder separately (faster on R2 with many creators)
    #[arg(long)]
    by_creator: bool,
}

#[derive(Args)]
pub struct UrlArgs {
    #[command(flatten)]
    target: Target,
    key: String,
    /// Seconds the URLs stay valid
    #[arg(long, default_value_t = 3600)]
    expires: u64,
}

#[derive(Args)]
pub struct RmArgs {
    #[command(flatten)]
    target: Target,
    key: String,
    /// Do not ask for confirmation
    #[arg(long)]
    yes: bool,
}

fn profile_path() -> Option<PathBuf> {
    Profile::default_path().ok()
}

/// The profile and secret to use, with the bucket override.
fn resolve(target: &Target) -> Result<(Profile, Secret, SecretSource)> {
    let overrides = ProfileOverrides {
        bucket: target.bucket.clone(),
        ..ProfileOverrides::default()
    };
    let profile = Profile::resolve(&overrides, profile_path().as_deref())?;
    let (secret, source) = profile.secret()?;
    Ok((profile, secret, source))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn connect_bucket(profile: &Profile, secret: &Secret) -> Result<Bucket> {
    Ok(Bucket::connect(profile, secret, &BucketSettings::default())?)
}

pub fn connect(args: ConnectArgs, json: bool) -> Result<()> {
    let flags = ProfileOverrides {
        endpoint: args.endpoint.clone(),
        bucket: args.bucket.clone(),
        region: args.region.clone(),
        access_key_id: args.access_key_id.clone(),
        path_style: args.path_style.then_some(true),
    };
    let path = profile_path();
    let profile = Profile::resolve(&flags, path.as_deref())?;
    if args.check {
        let (secret, source) = profile.secret()?;
        let bucket = connect_bucket(&profile, &secret)?;
        runtime()?.block_on(bucket.check())?;
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

    let secret = match std::env::var("AWS_SECRET_ACCESS_KEY").ok().filter(|s| !s.is_empty()) {
        Some(_) => None,
        None if args.secret_stdin => Some(read_secret_line(&mut std::io::stdin().lock())?),
        None if std::io::stdin().is_terminal() => Some(rpassword::prompt_password(format!(
            "secret access key for {}: ",
            profile.access_key_id
        ))?),
        None => bail!("no secret: set AWS_SECRET_ACCESS_KEY, pass --secret-stdin, or run in a terminal to be asked"),
    };
    // The profile first: it is useful with AWS_SECRET_ACCESS_KEY even where there is no
    // keychain to store the secret in.
    let path = path.context("no data folder to save the profile in; set M3U8V_DATA_DIR")?;
    profile.save(&path)?;
    let mut stored = false;
    if let Some(secret) = secret.map(Secret::new) {
        profile
            .store_secret(&secret)
            .with_context(|| format!("saved the profile to {}, but not the secret", path.display()))?;
        stored = true;
    }
    print::done(
        json,
        &format!(
            "saved profile for bucket {:?} at {} to {}{}",
            profile.bucket,
            profile.endpoint,
            path.display(),
            if stored {
                "; secret stored in the OS keychain"
            } else {
                "; secret left in AWS_SECRET_ACCESS_KEY"
            }
        ),
        serde_json::json!({"profile": profile, "path": path, "secretStored": stored}),
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

pub fn sync(catalog: Catalog, args: SyncArgs, json: bool) -> Result<()> {
    let (profile, secret, _) = resolve(&args.target)?;
    let library = Library::Bucket(connect_bucket(&profile, &secret)?);
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
    let show = |p: &SyncProgress| bar.set_message(progress_line(p));
    let report = runtime()?.block_on(m3u8v_core::sync(&catalog, &library, options, &show));
    bar.finish_and_clear();
    let report = report.with_context(|| {
        format!(
            "sync of bucket {:?} failed; the catalog was left as it was",
            profile.bucket
        )
    })?;
    print::done(json, &report.summary(), serde_json::to_value(&report)?)?;
    if report.removal_held_back > 0 {
        bail!(
            "{} of {} videos are not in the bucket listing; they were kept. If they really are gone, run `m3u8v sync --prune-all`",
            report.removal_held_back,
            report.library_videos
        );
    }
    Ok(())
}

fn progress_line(p: &SyncProgress) -> String {
    match p.phase {
        SyncPhase::Listing => format!("listing: {} objects ({:.0}/s)", p.objects_listed, p.rate),
        SyncPhase::Writing | SyncPhase::Done => format!(
            "writing: {} objects listed; videos +{} ~{} -{}",
            p.objects_listed, p.videos_added, p.videos_updated, p.videos_removed
        ),
    }
}

pub fn url(catalog: Catalog, args: UrlArgs, json: bool) -> Result<()> {
    let (profile, secret, _) = resolve(&args.target)?;
    let presigner = Presigner::new(&connect_bucket(&profile, &secret)?, Duration::from_secs(args.expires))?;
    let urls = presigner.video_urls(&catalog, &args.key)?;
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

pub fn rm(catalog: Catalog, args: RmArgs, json: bool) -> Result<()> {
    let (profile, secret, _) = resolve(&args.target)?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!("refusing to delete {:?} without confirmation: pass --yes", args.key);
        }
        eprint!(
            "Delete {:?} and its own preview segments from bucket {:?}? This cannot be undone. [y/N] ",
            args.key, profile.bucket
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            bail!("not deleted");
        }
    }
    let library = Library::Bucket(connect_bucket(&profile, &secret)?);
    let removal = runtime()?
        .block_on(remove_video(&catalog, &library, &args.key))
        .with_context(|| {
            format!(
                "could not delete {:?} (running the same command again finishes it)",
                args.key
            )
        })?;
    let mut text = format!(
        "deleted {} and {} preview segments",
        removal.key,
        removal.preview_segments.len()
    );
    if removal.shared_segments_kept > 0 {
        text.push_str(&format!(
            " (kept {} shared with another video)",
            removal.shared_segments_kept
        ));
    }
    print::done(json, &text, serde_json::to_value(&removal)?)
}
