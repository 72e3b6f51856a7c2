//! `m3u8v-bench folder`: syncing a library folder of 100,000 tiny files, beside
//! `find DIR -type f | wc -l` on the same tree in the same run (BENCHMARKS.md, "Folder
//! libraries"), and the URLs of a page of 60 videos served by the loopback server.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use m3u8v_core::{
    CancellationToken, Catalog, ConnectOptions, FolderSettings, MediaServer, PageRequest, Source, SourceSettings,
    SyncOptions, SyncReport,
};

#[derive(Args)]
pub struct BenchFolderArgs {
    /// Files in the folder: videos and their preview segments
    #[arg(long, default_value_t = 100_000)]
    files: u64,
    /// Preview segments per video
    #[arg(long, default_value_t = 3)]
    segments_per_video: u64,
    #[arg(long, default_value_t = 500)]
    creators: u64,
    /// Where to make the folder (kept and reused when it matches) [default: a temp folder]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Timed runs of each step; the median is reported
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

/// The tree, made once per shape: `creator/creator-stamp.mp4` and
/// `previews/<stem>/segment_N.mp4`, a few bytes each.
fn make_tree(root: &Path, args: &BenchFolderArgs) -> Result<u64> {
    let videos = args.files / (1 + args.segments_per_video);
    let shape = format!("{} {} {}", videos, args.segments_per_video, args.creators);
    let marker = root.join(".shape");
    if std::fs::read_to_string(&marker).is_ok_and(|s| s == shape) {
        return Ok(videos);
    }
    let library = root.join("library");
    if library.exists() {
        std::fs::remove_dir_all(&library)?;
    }
    for i in 0..videos {
        let stamp = chrono::DateTime::from_timestamp(1_600_000_000 + i as i64 * 37, 0)
            .context("a valid time")?
            .format("%Y-%m-%d_%H-%M-%S");
        let creator = format!("creator{:04}", i % args.creators);
        let path = library.join(&creator).join(format!("{creator}-{stamp}.mp4"));
        if i < args.creators {
            std::fs::create_dir_all(path.parent().context("a folder")?)?;
        }
        std::fs::write(&path, b"video")?;
        let folder = library.join("previews").join(format!("{creator}-{stamp}"));
        std::fs::create_dir_all(&folder)?;
        for s in 1..=args.segments_per_video {
            std::fs::write(folder.join(format!("segment_{s}.mp4")), b"segment")?;
        }
    }
    std::fs::write(marker, shape)?;
    Ok(videos)
}

pub(crate) fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn find_files(root: &Path) -> Result<(u64, Duration)> {
    let started = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg("find \"$1\" -type f | wc -l")
        .arg("sh")
        .arg(root)
        .output()
        .context("cannot run find")?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        bail!("find failed");
    }
    let n = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
    Ok((n, elapsed))
}

/// The walk alone, its pages dropped as they come: what a sync of the folder costs
/// before the catalog is asked anything.
pub(crate) fn list_only(runtime: &tokio::runtime::Runtime, source: &Source) -> Result<(u64, Duration)> {
    let started = Instant::now();
    let listed = runtime.block_on(async {
        let (pages, mut received) = tokio::sync::mpsc::channel(32);
        let draining = tokio::spawn(async move { while received.recv().await.is_some() {} });
        let listed = source.list(Default::default(), &pages).await;
        drop(pages);
        let _ = draining.await;
        listed
    })?;
    Ok((listed.objects, started.elapsed()))
}

pub(crate) fn sync_once(
    runtime: &tokio::runtime::Runtime,
    catalog: &Arc<Catalog>,
    source: &Source,
) -> Result<(SyncReport, Duration)> {
    let started = Instant::now();
    let report = runtime.block_on(m3u8v_core::sync(
        catalog,
        source,
        SyncOptions::default(),
        Arc::new(|_| {}),
        &CancellationToken::new(),
    ))?;
    Ok((report, started.elapsed()))
}

pub fn run(args: BenchFolderArgs, json: bool) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let temp = tempfile::tempdir()?;
    let root = args.dir.clone().unwrap_or_else(|| temp.path().join("folder"));
    std::fs::create_dir_all(&root)?;
    eprintln!("making {} files in {}", args.files, root.display());
    let videos = make_tree(&root, &args)?;
    let library = root.join("library");
    let settings = SourceSettings::Folder(FolderSettings { path: library.clone() });
    let source = Source::connect("bench", &settings, None, &ConnectOptions::default())?;

    // Warm the file system's caches once, so every timed step reads the same state.
    let (files, _) = find_files(&library)?;
    let rounds = args.rounds.max(1);
    let mut finds = Vec::new();
    let mut firsts = Vec::new();
    let mut noops = Vec::new();
    let mut walks = Vec::new();
    let mut first_report = None;
    for round in 0..rounds {
        eprintln!("round {}/{rounds}", round + 1);
        finds.push(find_files(&library)?.1);
        walks.push(list_only(&runtime, &source)?.1);
        let dir = tempfile::tempdir()?;
        let catalog = Arc::new(Catalog::open(dir.path().join("catalog.sqlite"))?);
        let (first, first_time) = sync_once(&runtime, &catalog, &source)?;
        if first.videos_added != videos {
            bail!("the first sync added {} videos, not {videos}", first.videos_added);
        }
        firsts.push(first_time);
        let (again, again_time) = sync_once(&runtime, &catalog, &source)?;
        if again.videos_added + again.videos_updated + again.videos_removed + again.segments_written > 0 {
            bail!("the re-sync of an unchanged folder wrote: {}", again.summary());
        }
        noops.push(again_time);
        first_report = Some(first);
    }
    let (find, first, noop, walk) = (median(finds), median(firsts), median(noops), median(walks));

    // A page of 60 videos' URLs (with their previews) through the loopback server.
    let dir = tempfile::tempdir()?;
    let catalog = Arc::new(Catalog::open(dir.path().join("catalog.sqlite"))?);
    sync_once(&runtime, &catalog, &source)?;
    let server = Arc::new(runtime.block_on(MediaServer::start())?);
    let options = ConnectOptions {
        media_server: Some((server.clone(), "bench".into())),
        ..ConnectOptions::default()
    };
    let served = Source::connect("bench", &settings, None, &options)?;
    server.serve("bench", std::fs::canonicalize(&library)?, catalog.clone());
    let page = catalog.page(&PageRequest {
        filter: Default::default(),
        sort: Default::default(),
        limit: 60,
        after: None,
    })?;
    let mut url_times = Vec::new();
    let mut urls = 0;
    for _ in 0..101 {
        let started = Instant::now();
        urls = 0;
        for v in &page.items {
            let detail = catalog.video(&v.key)?.context("a listed video")?;
            urls += served
                .video_urls(&v.key, &detail.preview_segments)?
                .preview_segments
                .len()
                + 1;
        }
        url_times.push(started.elapsed());
    }
    let urls_time = median(url_times);

    let ratio = |t: Duration| t.as_secs_f64() / find.as_secs_f64();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "files": files,
                "videos": videos,
                "findMs": find.as_secs_f64() * 1e3,
                "firstSyncMs": first.as_secs_f64() * 1e3,
                "noopResyncMs": noop.as_secs_f64() * 1e3,
                "walkMs": walk.as_secs_f64() * 1e3,
                "firstOverFind": ratio(first),
                "noopOverFind": ratio(noop),
                "pageOf60UrlsMs": urls_time.as_secs_f64() * 1e3,
                "urls": urls,
            }))?
        );
        return Ok(());
    }
    let report = first_report.context("at least one round")?;
    println!("| step | median of {rounds} | / find |\n|---|---|---|");
    println!(
        "| `find DIR -type f \\| wc -l` ({files} files) | {:.0} ms | 1.00 |",
        find.as_secs_f64() * 1e3
    );
    println!(
        "| the walk alone (names, sizes, times; pages dropped) | {:.0} ms | {:.2} |",
        walk.as_secs_f64() * 1e3,
        ratio(walk)
    );
    println!(
        "| first sync ({} videos, {} preview segments) | {:.0} ms | {:.2} |",
        report.videos_added,
        report.segments_written,
        first.as_secs_f64() * 1e3,
        ratio(first)
    );
    println!(
        "| no-op re-sync (nothing written) | {:.0} ms | {:.2} |",
        noop.as_secs_f64() * 1e3,
        ratio(noop)
    );
    println!(
        "| URLs of a page of 60 videos ({urls} with previews), loopback server, median of 101 | {:.2} ms | |",
        urls_time.as_secs_f64() * 1e3
    );
    println!(
        "\nfirst sync / find = {:.2} (budget 3); no-op re-sync / find = {:.2} (budget 1.5)",
        ratio(first),
        ratio(noop)
    );
    Ok(())
}
