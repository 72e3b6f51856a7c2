//! `m3u8v-bench sync`: bucket sync at scale on a local S3 server, timed against the
//! plain listers in the same run (BENCHMARKS.md, "Bucket sync").
//!
//! s3s-fs serves a folder, so a 100k-video bucket is made as files in seconds; moto has
//! to be filled request by request, so it gets a smaller bucket, for rclone (which
//! cannot list s3s-fs).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use m3u8v_core::{CancellationToken, Catalog, ListingOptions, PageRequest, Source, SyncOptions, SyncReport};
use m3u8v_testkit::servers::{ACCESS_KEY as KEY, SECRET_KEY as SECRET, Server, source_at};

const BUCKET: &str = "bench";

#[derive(Args)]
pub struct BenchSyncArgs {
    #[arg(long, default_value_t = 100_000)]
    videos: u64,
    #[arg(long, default_value_t = 3)]
    segments_per_video: u64,
    #[arg(long, default_value_t = 500)]
    creators: u64,
    /// Folder for the s3s-fs bucket (kept and reused when it matches) [default: a temp folder]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Videos in the moto bucket, for rclone (0: skip moto)
    #[arg(long, default_value_t = 2_000)]
    moto_videos: u64,
    /// Also time listing per creator folder
    #[arg(long)]
    by_creator: bool,
}

fn video_key(i: u64, creators: u64) -> (String, String) {
    let stamp = chrono::DateTime::from_timestamp(1_600_000_000 + i as i64 * 37, 0)
        .expect("a valid time")
        .format("%Y-%m-%d_%H-%M-%S");
    let creator = format!("creator{:04}", i % creators);
    (format!("{creator}/{creator}-{stamp}.mp4"), format!("{creator}-{stamp}"))
}

/// The bucket as files for s3s-fs, made once per shape.
fn make_bucket_files(root: &Path, args: &BenchSyncArgs) -> Result<()> {
    let shape = format!("{} {} {}", args.videos, args.segments_per_video, args.creators);
    let marker = root.join(".shape");
    if std::fs::read_to_string(&marker).is_ok_and(|s| s == shape) {
        return Ok(());
    }
    let bucket = root.join(BUCKET);
    if bucket.exists() {
        std::fs::remove_dir_all(&bucket)?;
    }
    for i in 0..args.videos {
        let (key, stem) = video_key(i, args.creators);
        let path = bucket.join(&key);
        if i < args.creators {
            std::fs::create_dir_all(path.parent().context("a folder")?)?;
        }
        std::fs::write(&path, b"video")?;
        let folder = bucket.join("previews").join(&stem);
        std::fs::create_dir_all(&folder)?;
        for s in 1..=args.segments_per_video {
            std::fs::write(folder.join(format!("segment_{s}.mp4")), b"segment")?;
        }
    }
    std::fs::write(marker, shape)?;
    Ok(())
}

fn timed<T>(work: impl FnOnce() -> Result<T>) -> Result<(T, Duration)> {
    let started = Instant::now();
    let out = work()?;
    Ok((out, started.elapsed()))
}

fn sync_once(
    runtime: &tokio::runtime::Runtime,
    catalog: &Arc<Catalog>,
    source: &Source,
    listing: ListingOptions,
) -> Result<(SyncReport, Duration)> {
    timed(|| {
        Ok(runtime.block_on(m3u8v_core::sync(
            catalog,
            source,
            SyncOptions {
                listing,
                ..SyncOptions::default()
            },
            Arc::new(|_| {}),
            &CancellationToken::new(),
        ))?)
    })
}

/// Runs a plain lister, counting the lines it prints.
fn lister(mut command: Command) -> Result<(usize, Duration)> {
    timed(|| {
        let out = command
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("cannot run {command:?}"))?;
        if !out.status.success() {
            bail!("{command:?} failed");
        }
        Ok(out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count())
    })
}

fn aws_ls(endpoint: &str) -> Command {
    let mut c = Command::new("aws");
    c.args([
        "s3",
        "ls",
        "--recursive",
        &format!("s3://{BUCKET}"),
        "--endpoint-url",
        endpoint,
    ])
    .env("AWS_ACCESS_KEY_ID", KEY)
    .env("AWS_SECRET_ACCESS_KEY", SECRET)
    .env("AWS_DEFAULT_REGION", "us-east-1")
    .env("AWS_CONFIG_FILE", "/dev/null")
    .env_remove("AWS_CA_BUNDLE");
    c
}

fn rclone_lsf(endpoint: &str) -> Command {
    let mut c = Command::new("rclone");
    c.args(["lsf", "-R", "--files-only", &format!("bench:{BUCKET}")])
        .env("RCLONE_CONFIG", "/dev/null")
        .env("RCLONE_CONFIG_BENCH_TYPE", "s3")
        .env("RCLONE_CONFIG_BENCH_PROVIDER", "Other")
        .env("RCLONE_CONFIG_BENCH_ENDPOINT", endpoint)
        .env("RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", KEY)
        .env("RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", SECRET)
        .env("RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE", "true")
        // Debian's rclone fails TLS setup with this machine's bundle even for http.
        .env_remove("AWS_CA_BUNDLE");
    c
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Signs the URLs of a page of 60 videos with their previews, fresh (no cache), and
/// returns the median of `rounds` runs; then the same with the catalog lookups the app
/// does per page.
fn sign_page(catalog: &Catalog, endpoint: &str, rounds: usize) -> Result<(usize, Duration, Duration)> {
    let page = catalog.page(&PageRequest {
        filter: Default::default(),
        sort: Default::default(),
        limit: 60,
        after: None,
    })?;
    let mut videos = Vec::new();
    for v in &page.items {
        let detail = catalog.video(&v.key)?.context("a listed video")?;
        videos.push((v.key.clone(), detail.preview_segments));
    }
    let urls = videos.iter().map(|(_, s)| s.len() + 1).sum();
    let mut times = Vec::new();
    for _ in 0..rounds {
        let source = source_at(endpoint, BUCKET, SECRET);
        let started = Instant::now();
        for (key, segments) in &videos {
            source.video_urls(key, segments)?;
        }
        times.push(started.elapsed());
    }
    times.sort();
    let source = source_at(endpoint, BUCKET, SECRET);
    let started = Instant::now();
    for v in &page.items {
        let detail = catalog.video(&v.key)?.context("a listed video")?;
        source.video_urls(&v.key, &detail.preview_segments)?;
    }
    Ok((urls, times[times.len() / 2], started.elapsed()))
}

pub fn run(args: BenchSyncArgs, json: bool) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let temp = tempfile::tempdir()?;
    let root = args.dir.clone().unwrap_or_else(|| temp.path().join("s3s"));
    std::fs::create_dir_all(&root)?;
    let objects = args.videos * (1 + args.segments_per_video);
    eprintln!("making {objects} objects as files in {}", root.display());
    let ((), made) = timed(|| make_bucket_files(&root, &args))?;
    eprintln!("  {}", secs(made));

    let s3s = Server::s3s_fs_at(&root);
    let endpoint = s3s.endpoint.clone();
    let library = source_at(&endpoint, BUCKET, SECRET);

    let mut rows: Vec<(String, String, String)> = Vec::new();
    eprintln!("aws s3 ls --recursive on s3s-fs");
    let (aws_lines, aws_time) = lister(aws_ls(&endpoint))?;
    rows.push((
        "s3s-fs".into(),
        format!("`aws s3 ls --recursive` ({aws_lines} objects)"),
        secs(aws_time),
    ));

    let catalog = Arc::new(Catalog::open(temp.path().join("catalog.sqlite"))?);
    eprintln!("first sync");
    let (first, first_time) = sync_once(&runtime, &catalog, &library, ListingOptions::default())?;
    eprintln!("  {}", first.summary());
    rows.push((
        "s3s-fs".into(),
        format!(
            "first sync ({} objects, {} videos added)",
            first.objects_listed, first.videos_added
        ),
        secs(first_time),
    ));
    eprintln!("no-op re-sync");
    let (again, again_time) = sync_once(&runtime, &catalog, &library, ListingOptions::default())?;
    if again.videos_added + again.videos_updated + again.videos_removed + again.segments_written > 0 {
        bail!("the re-sync of an unchanged bucket wrote: {}", again.summary());
    }
    rows.push((
        "s3s-fs".into(),
        "no-op re-sync (nothing written)".into(),
        secs(again_time),
    ));
    for concurrency in [1, 2] {
        let (_, t) = sync_once(
            &runtime,
            &catalog,
            &library,
            ListingOptions {
                concurrency,
                by_creator: false,
            },
        )?;
        rows.push((
            "s3s-fs".into(),
            format!("no-op re-sync, {concurrency} listing(s) in flight"),
            secs(t),
        ));
    }
    if args.by_creator {
        let (_, t) = sync_once(
            &runtime,
            &catalog,
            &library,
            ListingOptions {
                concurrency: 4,
                by_creator: true,
            },
        )?;
        rows.push((
            "s3s-fs".into(),
            format!("no-op re-sync, by creator ({} folders), 4 in flight", args.creators + 1),
            secs(t),
        ));
    }

    let (urls, signed, with_lookups) = sign_page(&catalog, &endpoint, 101)?;
    rows.push((
        "local".into(),
        format!("sign 60 videos' URLs ({urls} URLs with previews), median of 101"),
        format!("{:.2} ms", signed.as_secs_f64() * 1e3),
    ));
    rows.push((
        "local".into(),
        "the same with the catalog lookups (`video_urls`)".into(),
        format!("{:.2} ms", with_lookups.as_secs_f64() * 1e3),
    ));

    if args.moto_videos > 0 {
        rows.extend(moto_rows(&runtime, &args, temp.path())?);
    }

    let best = aws_time;
    let verdict = |t: Duration, budget: f64| {
        if t.as_secs_f64() <= budget * best.as_secs_f64() {
            "within"
        } else {
            "OVER"
        }
    };
    if json {
        let value = serde_json::json!({
            "rows": rows.iter().map(|(s, w, t)| serde_json::json!({"server": s, "what": w, "time": t})).collect::<Vec<_>>(),
            "firstSyncOverListing": first_time.as_secs_f64() / best.as_secs_f64(),
            "resyncOverListing": again_time.as_secs_f64() / best.as_secs_f64(),
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    println!("| server | what | time |\n|---|---|---|");
    for (server, what, time) in &rows {
        println!("| {server} | {what} | {time} |");
    }
    println!(
        "\nfirst sync / aws ls = {:.2} (budget 1.5, {}); no-op re-sync / aws ls = {:.2} (budget 1.2, {})",
        first_time.as_secs_f64() / best.as_secs_f64(),
        verdict(first_time, 1.5),
        again_time.as_secs_f64() / best.as_secs_f64(),
        verdict(again_time, 1.2)
    );
    Ok(())
}

fn moto_rows(
    runtime: &tokio::runtime::Runtime,
    args: &BenchSyncArgs,
    temp: &Path,
) -> Result<Vec<(String, String, String)>> {
    let moto = Server::moto();
    let endpoint = moto.endpoint.clone();
    let mut keys = Vec::new();
    for i in 0..args.moto_videos {
        let (key, stem) = video_key(i, args.creators.min(args.moto_videos.max(1)));
        keys.push(key);
        keys.extend((1..=args.segments_per_video).map(|s| format!("previews/{stem}/segment_{s}.mp4")));
    }
    eprintln!("filling moto with {} objects", keys.len());
    runtime.block_on(fill_moto(&endpoint, &keys))?;
    let library = source_at(&endpoint, BUCKET, SECRET);
    let mut rows = Vec::new();
    let (rclone_lines, rclone_time) = lister(rclone_lsf(&endpoint))?;
    rows.push((
        "moto".into(),
        format!("`rclone lsf -R` ({rclone_lines} objects)"),
        secs(rclone_time),
    ));
    let (aws_lines, aws_time) = lister(aws_ls(&endpoint))?;
    rows.push((
        "moto".into(),
        format!("`aws s3 ls --recursive` ({aws_lines} objects)"),
        secs(aws_time),
    ));
    let catalog = Arc::new(Catalog::open(temp.join("moto.sqlite"))?);
    let (_, first) = sync_once(runtime, &catalog, &library, ListingOptions::default())?;
    rows.push(("moto".into(), "first sync".into(), secs(first)));
    let (_, again) = sync_once(runtime, &catalog, &library, ListingOptions::default())?;
    rows.push(("moto".into(), "no-op re-sync".into(), secs(again)));
    let (_, by_creator) = sync_once(
        runtime,
        &catalog,
        &library,
        ListingOptions {
            concurrency: 4,
            by_creator: true,
        },
    )?;
    rows.push((
        "moto".into(),
        "no-op re-sync, by creator, 4 in flight".into(),
        secs(by_creator),
    ));
    Ok(rows)
}

async fn fill_moto(endpoint: &str, keys: &[String]) -> Result<()> {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .force_path_style(true)
        .credentials_provider(Credentials::new(KEY, SECRET, None, None, "bench"))
        .build();
    let client = aws_sdk_s3::Client::from_conf(config);
    client.create_bucket().bucket(BUCKET).send().await?;
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in keys.chunks(keys.len().div_ceil(8).max(1)) {
        let (client, chunk) = (client.clone(), chunk.to_vec());
        tasks.spawn(async move {
            for key in chunk {
                client
                    .put_object()
                    .bucket(BUCKET)
                    .key(&key)
                    .body(key.clone().into_bytes().into())
                    .send()
                    .await?;
            }
            Ok::<_, aws_sdk_s3::Error>(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}
