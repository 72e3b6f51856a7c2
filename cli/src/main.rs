//! `m3u8v`: the headless front of M3U8 Viewer, for scripting, benchmarks and machines
//! without a display. A thin layer: parse, call core, print.

mod bench;
mod bench_sync;
mod bucket;
mod print;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use m3u8v_core::{Catalog, Direction, Filter, PageRequest, Sort, SortKey, SynthSpec, paths};

#[derive(Parser)]
#[command(
    name = "m3u8v",
    version,
    about = "Browse and script an M3U8 Viewer catalog from the terminal"
)]
struct Cli {
    /// Catalog file [default: $M3U8V_DB, else catalog.sqlite in $M3U8V_DATA_DIR or the platform data folder]
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print one machine-readable JSON document instead of text
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List videos: filter, sort, one page at a time
    Ls(LsArgs),
    /// Show one video with its preview segments
    Show { key: String },
    /// Mark a video favorite (or not, with --off)
    Fav {
        key: String,
        #[arg(long)]
        off: bool,
    },
    /// Mark a video watched now (or never watched, with --off)
    Seen {
        key: String,
        #[arg(long)]
        off: bool,
    },
    /// Remember where playback of a video stopped, in seconds
    Position {
        key: String,
        #[arg(allow_negative_numbers = true)]
        seconds: f64,
    },
    /// Creators with their video, favorite and unseen counts
    Creators,
    /// Quality predictions
    Predictions {
        #[command(subcommand)]
        command: PredictionsCommand,
    },
    /// Fill the catalog with a realistic synthetic library
    Synth {
        #[arg(long, default_value_t = 10_000)]
        videos: u64,
        #[arg(long, default_value_t = 100)]
        creators: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Measure the catalog at scale against the original app's approach (release build)
    Bench(bench::BenchArgs),
    /// Save the bucket connection (the secret goes to the OS keychain), or --check it
    Connect(bucket::ConnectArgs),
    /// Bring the catalog up to date with the bucket
    Sync(bucket::SyncArgs),
    /// Presigned URLs of a video and of its preview segments
    Url(bucket::UrlArgs),
    /// Delete a video and its own preview segments from the bucket and the catalog
    Rm(bucket::RmArgs),
    /// Measure bucket sync against plain listers on a local S3 server (release build)
    BenchSync(bench_sync::BenchSyncArgs),
}

#[derive(Subcommand)]
enum PredictionsCommand {
    /// Import predictions from JSON lines ({"key":..,"prediction":..}) or CSV (key,prediction)
    Import { file: PathBuf },
}

#[derive(Args)]
struct LsArgs {
    /// Only this creator (repeat for several)
    #[arg(long)]
    creator: Vec<String>,
    /// Only favorites
    #[arg(long)]
    favorites: bool,
    /// Only videos never watched
    #[arg(long)]
    unseen: bool,
    /// Case-insensitive text in the creator or file name
    #[arg(long)]
    search: Option<String>,
    /// Recorded (else modified) on or after this date, YYYY-MM-DD
    #[arg(long, value_parser = parse_day)]
    from: Option<i64>,
    /// Recorded (else modified) before this date, YYYY-MM-DD
    #[arg(long, value_parser = parse_day)]
    to: Option<i64>,
    /// At least this many 1s in the prediction (0-100)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_quality: Option<u8>,
    /// Order of the list: date, quality, size, name, seen or shuffle
    #[arg(long, default_value = "date", value_parser = sort_key)]
    sort: SortKey,
    /// Ascending order (default: descending)
    #[arg(long)]
    asc: bool,
    #[arg(long, default_value_t = 60)]
    limit: u32,
    /// Start after this cursor (the next_cursor of the previous page)
    #[arg(long, value_name = "CURSOR")]
    after: Option<String>,
}

/// The sort named on the command line: core's own names, so the two never drift.
fn sort_key(text: &str) -> Result<SortKey, String> {
    SortKey::ALL.into_iter().find(|k| k.name() == text).ok_or_else(|| {
        let names: Vec<&str> = SortKey::ALL.iter().map(|k| k.name()).collect();
        format!("{text:?} is not a sort; one of {}", names.join(", "))
    })
}

fn parse_day(text: &str) -> Result<i64, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .timestamp_millis()
        })
        .map_err(|_| format!("{text:?} is not a date like 2024-02-20"))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("M3U8V_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // clap's first line says what is wrong; the usage hint after it is noise here.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default().trim_start_matches("error: ");
            eprintln!("m3u8v: {first} (see m3u8v --help)");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the error and its causes, most general first.
            let causes: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("m3u8v: {}", dedup_causes(causes).join(": "));
            ExitCode::FAILURE
        }
    }
}

/// Drops a cause already quoted by the message above it.
fn dedup_causes(causes: Vec<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for cause in causes {
        if !kept.last().is_some_and(|prev| prev.contains(&cause)) {
            kept.push(cause);
        }
    }
    kept
}

fn open(db: Option<PathBuf>) -> Result<Catalog> {
    let path = paths::catalog_path(db).context("no catalog path: pass --db or set M3U8V_DB")?;
    Ok(Catalog::open(&path)?)
}

fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Bench(args) => bench::run(args, json),
        Command::Connect(args) => bucket::connect(args, json),
        Command::Sync(args) => bucket::sync(open(cli.db)?, args, json),
        Command::Url(args) => bucket::url(open(cli.db)?, args, json),
        Command::Rm(args) => bucket::rm(open(cli.db)?, args, json),
        Command::BenchSync(args) => bench_sync::run(args, json),
        Command::Ls(args) => {
            let catalog = open(cli.db)?;
            let filter = Filter {
                creators: args.creator.clone(),
                favorites_only: args.favorites,
                unseen_only: args.unseen,
                search: args.search.clone(),
                date_from: args.from,
                date_to: args.to,
                min_quality: args.min_quality,
            };
            let sort = Sort {
                key: args.sort,
                direction: if args.asc { Direction::Asc } else { Direction::Desc },
            };
            let page = catalog.page(&PageRequest {
                filter: filter.clone(),
                sort,
                limit: args.limit,
                after: args.after,
            })?;
            let total = catalog.count(&filter)?;
            if page.items.is_empty() {
                warn_unknown_creators(&catalog, &args.creator)?;
                if total == 0 && filter == Filter::default() && !json {
                    eprintln!(
                        "m3u8v: the catalog {} is empty: `m3u8v sync` brings a bucket's videos, `m3u8v synth` a synthetic library",
                        catalog.path().display()
                    );
                }
            }
            print::page(&page, total, json)
        }
        Command::Show { key } => {
            let catalog = open(cli.db)?;
            match catalog.video(&key)? {
                Some(video) => print::video(&video, json),
                None => bail!("the catalog has no video {key:?}"),
            }
        }
        Command::Fav { key, off } => {
            let catalog = open(cli.db)?;
            catalog.set_favorite(&key, !off)?;
            print::done(
                json,
                &format!("{} {key}", if off { "unfavorited" } else { "favorited" }),
                serde_json::json!({"key": key, "favorite": !off}),
            )
        }
        Command::Seen { key, off } => {
            let catalog = open(cli.db)?;
            let seen_at = if off {
                catalog.set_seen(&key, None)?;
                None
            } else {
                Some(catalog.mark_seen(&key)?)
            };
            print::done(
                json,
                &format!("{} {key}", if off { "marked unseen" } else { "marked seen" }),
                serde_json::json!({"key": key, "seenAt": seen_at}),
            )
        }
        Command::Position { key, seconds } => {
            let catalog = open(cli.db)?;
            catalog.save_position(&key, seconds)?;
            print::done(
                json,
                &format!("{key} resumes at {seconds}s"),
                serde_json::json!({"key": key, "position": seconds}),
            )
        }
        Command::Creators => print::creators(&open(cli.db)?.creators()?, json),
        Command::Predictions {
            command: PredictionsCommand::Import { file },
        } => {
            let report = open(cli.db)?.import_predictions_file(&file)?;
            print::import_report(&report, json)
        }
        Command::Synth { videos, creators, seed } => {
            let catalog = open(cli.db)?;
            let bar = indicatif::ProgressBar::new(videos);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} videos {per_sec} eta {eta}")
                    .expect("a valid template"),
            );
            if json {
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            let started = std::time::Instant::now();
            let inserted = catalog.fill_synthetic(SynthSpec { videos, creators, seed }, |n| bar.set_position(n))?;
            bar.finish_and_clear();
            let secs = started.elapsed().as_secs_f64();
            print::done(
                json,
                &format!(
                    "added {inserted} synthetic videos in {secs:.1}s to {}",
                    catalog.path().display()
                ),
                serde_json::json!({"inserted": inserted, "seconds": secs, "db": catalog.path()}),
            )
        }
    }
}

fn warn_unknown_creators(catalog: &Catalog, wanted: &[String]) -> Result<()> {
    if wanted.is_empty() {
        return Ok(());
    }
    let known: std::collections::HashSet<String> = catalog.creators()?.into_iter().map(|c| c.name).collect();
    for name in wanted.iter().filter(|n| !known.contains(*n)) {
        eprintln!("m3u8v: no creator named {name:?} in the catalog (see `m3u8v creators`)");
    }
    Ok(())
}
