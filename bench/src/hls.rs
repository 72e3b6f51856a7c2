//! `m3u8v-bench hls`: a no-op re-sync of a library of 10,000 videos of which 2,000 are
//! HLS with 50 segments each (110,000 objects), beside the plain listing of the same
//! library in the same run (BENCHMARKS.md, "HLS videos"): as a folder, as a bucket on
//! s3s-fs serving that folder, and as a bucket on Garage (`m3u8v_testkit::garage`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use m3u8v_core::{Catalog, ConnectOptions, FolderSettings, Source, SourceSettings};
use m3u8v_testkit::servers::Server;

use crate::folder::{list_only, median, sync_once};
use m3u8v_testkit::garage::Garage;

const BUCKET: &str = "bench";

#[derive(Args)]
pub struct BenchHlsArgs {
    /// Videos in all
    #[arg(long, default_value_t = 10_000)]
    videos: u64,
    /// Of them, HLS videos
    #[arg(long, default_value_t = 2_000)]
    hls: u64,
    /// Segments per HLS video
    #[arg(long, default_value_t = 50)]
    segments: u64,
    #[arg(long, default_value_t = 200)]
    creators: u64,
    /// Where to make the library (kept and reused when it matches) [default: a temp folder]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Timed rounds on the folder; the median is reported
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Timed rounds on the bucket (s3s-fs lists slowly: its whole tree for each page)
    #[arg(long, default_value_t = 1)]
    bucket_rounds: usize,
    /// Timed rounds on Garage, the library uploaded to it once (needs `garage` on PATH)
    #[arg(long, default_value_t = 0)]
    garage_rounds: usize,
}

/// The library as files under `root/bench/`, made once per shape.
fn make_library(root: &Path, args: &BenchHlsArgs) -> Result<u64> {
    let shape = format!("{} {} {} {}", args.videos, args.hls, args.segments, args.creators);
    let marker = root.join(".shape");
    let library = root.join(BUCKET);
    let objects = args.videos + args.hls * args.segments;
    if std::fs::read_to_string(&marker).is_ok_and(|s| s == shape) {
        return Ok(objects);
    }
    if library.exists() {
        std::fs::remove_dir_all(&library)?;
    }
    // Every `every`th video is HLS: its playlist with its segments beside it.
    let every = (args.videos / args.hls.max(1)).max(1);
    for i in 0..args.videos {
        let stamp = chrono::DateTime::from_timestamp(1_600_000_000 + i as i64 * 37, 0)
            .context("a valid time")?
            .format("%Y-%m-%d_%H-%M-%S");
        let creator = format!("creator{:04}", i % args.creators);
        let folder = library.join(&creator);
        if i < args.creators {
            std::fs::create_dir_all(&folder)?;
        }
        let stem = format!("{creator}-{stamp}");
        if i % every == 0 && i / every < args.hls {
            let mut playlist = String::from("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n");
            for s in 0..args.segments {
                let segment = format!("{stem}_{s:03}.ts");
                std::fs::write(folder.join(&segment), b"segment")?;
                playlist.push_str(&format!("#EXTINF:2.0,\n{segment}\n"));
            }
            playlist.push_str("#EXT-X-ENDLIST\n");
            std::fs::write(folder.join(format!("{stem}.m3u8")), playlist)?;
        } else {
            std::fs::write(folder.join(format!("{stem}.mp4")), b"video")?;
        }
    }
    std::fs::write(marker, shape)?;
    Ok(objects)
}

struct Row {
    place: &'static str,
    listing: Duration,
    first: Duration,
    noop: Duration,
    playlists_read: u64,
}

fn measure(
    runtime: &tokio::runtime::Runtime,
    place: &'static str,
    source: &Source,
    rounds: usize,
    args: &BenchHlsArgs,
) -> Result<Row> {
    let (mut listings, mut firsts, mut noops) = (Vec::new(), Vec::new(), Vec::new());
    let mut read = 0;
    for round in 0..rounds.max(1) {
        eprintln!("{place}: round {}/{rounds}", round + 1);
        listings.push(list_only(runtime, source)?.1);
        let dir = tempfile::tempdir()?;
        let catalog = Arc::new(Catalog::open(dir.path().join("catalog.sqlite"))?);
        let (first, first_time) = sync_once(runtime, &catalog, source)?;
        if first.videos_added != args.videos || first.playlists_read != args.hls {
            bail!("the first sync did not find the library: {}", first.summary());
        }
        read = first.playlists_read;
        firsts.push(first_time);
        let (again, again_time) = sync_once(runtime, &catalog, source)?;
        if again.videos_added + again.videos_updated + again.playlists_read + again.stream_parts_changed > 0 {
            bail!("the re-sync of an unchanged library wrote: {}", again.summary());
        }
        noops.push(again_time);
    }
    Ok(Row {
        place,
        listing: median(listings),
        first: median(firsts),
        noop: median(noops),
        playlists_read: read,
    })
}

pub fn run(args: BenchHlsArgs, json: bool) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let temp = tempfile::tempdir()?;
    let root = args.dir.clone().unwrap_or_else(|| temp.path().join("hls"));
    std::fs::create_dir_all(&root)?;
    eprintln!("making the library in {}", root.display());
    let objects = make_library(&root, &args)?;

    let settings = SourceSettings::Folder(FolderSettings {
        path: root.join(BUCKET),
    });
    let folder = Source::connect("bench", &settings, None, &ConnectOptions::default())?;
    let mut rows = vec![measure(&runtime, "folder", &folder, args.rounds, &args)?];
    if args.bucket_rounds > 0 {
        let server = Server::s3s_fs_at(&root);
        rows.push(measure(
            &runtime,
            "s3s-fs bucket",
            &server.source(BUCKET),
            args.bucket_rounds,
            &args,
        )?);
    }

    if args.garage_rounds > 0 {
        let garage = Garage::start(&root.join("garage"));
        garage.create_bucket(BUCKET);
        // Uploaded once per shape of the library: the marker names the shape uploaded.
        let shape = std::fs::read_to_string(root.join(".shape"))?;
        let uploaded = root.join("garage/.uploaded");
        if std::fs::read_to_string(&uploaded).ok().as_deref() != Some(shape.as_str()) {
            eprintln!("uploading the library to garage");
            let put = runtime.block_on(garage.upload(BUCKET, &root.join(BUCKET)));
            eprintln!("{put} objects uploaded");
            std::fs::write(&uploaded, shape)?;
        }
        rows.push(measure(
            &runtime,
            "Garage bucket",
            &garage.source(BUCKET),
            args.garage_rounds,
            &args,
        )?);
    }

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |row: &Row| row.noop.as_secs_f64() / row.listing.as_secs_f64();
    if json {
        let rows: Vec<_> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "place": r.place,
                    "listingMs": ms(r.listing),
                    "firstSyncMs": ms(r.first),
                    "noopResyncMs": ms(r.noop),
                    "noopOverListing": ratio(r),
                    "playlistsRead": r.playlists_read,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "objects": objects, "rows": rows }))?
        );
        return Ok(());
    }
    println!(
        "{objects} objects: {} videos, {} of them HLS with {} segments each\n",
        args.videos, args.hls, args.segments
    );
    println!(
        "| library | plain listing | first sync (playlists read) | no-op re-sync | no-op / listing |\n|---|---|---|---|---|"
    );
    for r in &rows {
        println!(
            "| {} | {:.0} ms | {:.0} ms ({}) | {:.0} ms | {:.2} |",
            r.place,
            ms(r.listing),
            ms(r.first),
            r.playlists_read,
            ms(r.noop),
            ratio(r)
        );
    }
    println!("\nbudget: no-op re-sync <= 1.3x the plain listing");
    Ok(())
}
