//! `m3u8v`: the headless front of M3U8 Viewer, for scripting, benchmarks and machines
//! without a display. A thin layer: parse, call core, print.

mod print;
mod source;
mod target;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Parser, Subcommand};
use m3u8v_core::{
    Catalog, Direction, Filter, LibraryError, Mark, PageRequest, PosterCache, ProfileError, Selection, Sort, SortKey,
    SyncError, SynthSpec, posters,
};

#[derive(Parser)]
#[command(
    name = "m3u8v",
    version,
    about = "Browse and script an M3U8 Viewer catalog from the terminal"
)]
struct Cli {
    /// The library to work on, by name [default: the one the app opens]
    #[arg(long, global = true, value_name = "NAME", conflicts_with = "folder")]
    library: Option<String>,
    /// The library of this folder (added to the libraries the first time)
    #[arg(long, global = true, value_name = "PATH")]
    folder: Option<PathBuf>,
    /// Catalog file [default: the library's; without libraries, $M3U8V_DB, else catalog.sqlite in $M3U8V_DATA_DIR or the platform data folder]
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
    /// Mark videos favorite (or not, with --off): the keys named, or every video of the filter
    Fav {
        #[command(flatten)]
        videos: Videos,
        #[arg(long)]
        off: bool,
    },
    /// Mark videos watched now (or never watched, with --off): the keys named, or every video of the filter
    Seen {
        #[command(flatten)]
        videos: Videos,
        #[arg(long)]
        off: bool,
    },
    /// A random video of the filter, then the next ones in shuffle order
    Random {
        #[command(flatten)]
        filter: FilterArgs,
        /// How many: the pick, then what follows it in shuffle order
        #[arg(long, default_value_t = 1)]
        limit: u32,
    },
    /// Saved views: a filter and a sort under a name, as the app's filter bar lists them
    Views {
        #[command(subcommand)]
        command: Option<ViewsCommand>,
    },
    /// Remember where playback of a video stopped, in seconds
    Position {
        key: String,
        #[arg(allow_negative_numbers = true)]
        seconds: f64,
        /// The video's length in seconds: a position near the end clears it (finished)
        #[arg(long)]
        duration: Option<f64>,
    },
    /// Creators with their video, favorite and unseen counts
    Creators,
    /// Quality predictions
    Predictions {
        #[command(subcommand)]
        command: PredictionsCommand,
    },
    /// The libraries, the one the app opens marked with *
    Libraries,
    /// The poster cache beside the catalog (the frames the app's cards show): how many, how big; --clear empties it
    Thumbnails {
        /// Delete every poster kept; the app makes them again as cards are shown
        #[arg(long)]
        clear: bool,
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
    /// Save a bucket library's connection (the secret goes to the OS keychain), or --check it
    Connect(source::ConnectArgs),
    /// Bring the catalog up to date with the library's bucket or folder
    Sync(source::SyncArgs),
    /// URLs of a video and of its preview segments (presigned for a bucket, file paths for a folder)
    Url(source::UrlArgs),
    /// Delete a video and its own preview segments (a folder's go to the trash), then from the catalog
    Rm(source::RmArgs),
}

#[derive(Subcommand)]
enum ViewsCommand {
    /// The saved views (the default)
    List,
    /// Save the filter and sort given here under NAME
    Save {
        name: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        order: OrderArgs,
        /// Replace a view of that name
        #[arg(long)]
        replace: bool,
    },
    Rename {
        from: String,
        to: String,
    },
    Delete {
        name: String,
    },
}

#[derive(Subcommand)]
enum PredictionsCommand {
    /// Import predictions from JSON lines ({"key":..,"prediction":..}) or CSV (key,prediction)
    Import { file: PathBuf },
}

/// Which videos: the filter flags shared by `ls`, `fav`, `seen`, `rm`, `random` and `views save`.
#[derive(Args, Default)]
pub struct FilterArgs {
    /// Only this creator (repeat for several)
    #[arg(long)]
    creator: Vec<String>,
    /// Only favorites
    #[arg(long)]
    favorites: bool,
    /// Only videos never watched
    #[arg(long, conflicts_with = "seen_only")]
    unseen: bool,
    /// Only videos watched at least once
    #[arg(long = "watched", id = "seen_only")]
    seen_only: bool,
    /// Only videos left part-way (a resume position)
    #[arg(long)]
    in_progress: bool,
    /// Only videos a sync found missing from the source and kept
    #[arg(long)]
    missing: bool,
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
}

impl FilterArgs {
    pub fn filter(&self) -> Filter {
        Filter {
            creators: self.creator.clone(),
            favorites_only: self.favorites,
            unseen_only: self.unseen,
            seen_only: self.seen_only,
            in_progress_only: self.in_progress,
            missing_only: self.missing,
            search: self.search.clone(),
            date_from: self.from,
            date_to: self.to,
            min_quality: self.min_quality,
        }
    }
}

/// The order of a list.
#[derive(Args)]
struct OrderArgs {
    /// Order of the list: date, quality, size, name, seen or shuffle [default: date, or the view's]
    #[arg(long, value_parser = sort_key)]
    sort: Option<SortKey>,
    /// Ascending order (default: descending)
    #[arg(long)]
    asc: bool,
}

impl OrderArgs {
    fn sort_or(&self, default: Sort) -> Sort {
        match self.sort {
            Some(key) => Sort {
                key,
                direction: if self.asc { Direction::Asc } else { Direction::Desc },
            },
            None if self.asc => Sort {
                direction: Direction::Asc,
                ..default
            },
            None => default,
        }
    }
}

/// The videos a bulk command acts on: keys named one by one, or every video the filter
/// flags match.
#[derive(Args)]
pub struct Videos {
    /// Video keys; without any, the videos of the filter flags
    keys: Vec<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Every video of the library (with filter flags: every one they match)
    #[arg(long, conflicts_with = "keys")]
    all: bool,
}

impl Videos {
    /// The one key, when exactly one is named and no filter: acted on (and reported)
    /// as a single video, with "no such video" when the catalog lacks it.
    pub fn single(&self) -> Option<&str> {
        match self.keys.as_slice() {
            [key] if !self.all && self.filter.filter() == Filter::default() => Some(key),
            _ => None,
        }
    }

    pub fn selection(&self) -> Result<Selection> {
        let filter = self.filter.filter();
        match (self.keys.is_empty(), self.all || filter != Filter::default()) {
            (false, false) => Ok(Selection::Keys {
                keys: self.keys.clone(),
            }),
            (true, true) => Ok(Selection::Matching { filter, except: vec![] }),
            (true, false) => bail!("name the videos (keys), a filter such as --creator or --unseen, or --all"),
            (false, true) => bail!("name videos by key or by filter flags, not both"),
        }
    }
}

#[derive(Args)]
struct LsArgs {
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    order: OrderArgs,
    /// The filter and sort of this saved view (see `m3u8v views`)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["creator", "favorites", "unseen", "seen_only", "in_progress", "missing", "search", "from", "to", "min_quality"])]
    view: Option<String>,
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
            // One line: the error and its causes, most general first; then, where core's
            // error has one, how to fix it with this tool.
            let causes: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("m3u8v: {}", dedup_causes(causes).join(": "));
            if let Some(hint) = hint(&e) {
                eprintln!("m3u8v: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}

/// How to fix an error with `m3u8v`: core says what happened, the terminal how to act.
fn hint(e: &anyhow::Error) -> Option<&'static str> {
    e.chain().find_map(|cause| {
        if let Some(profile) = cause.downcast_ref::<ProfileError>() {
            return match profile {
                ProfileError::Incomplete { .. } => Some(
                    "run `m3u8v connect`, or set AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and M3U8V_BUCKET",
                ),
                ProfileError::NoSecret { .. } => Some("run `m3u8v connect` to store it, or set AWS_SECRET_ACCESS_KEY"),
                ProfileError::Parse { .. } => Some("run `m3u8v connect` again"),
                _ => None,
            };
        }
        if let Some(LibraryError::NoSuchLibrary { .. }) = cause.downcast_ref::<LibraryError>() {
            return Some("`m3u8v libraries` lists them");
        }
        if let Some(SyncError::Listing { .. }) = cause.downcast_ref::<SyncError>() {
            return Some("running `m3u8v sync` again goes on from what is written");
        }
        None
    })
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

fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    let choice = target::Choice {
        db: cli.db,
        library: cli.library,
        folder: cli.folder,
    };
    let open = || -> Result<Catalog> { choice.resolve()?.open_catalog() };
    match cli.command {
        Command::Connect(args) => source::connect(&choice.resolve()?, args, json),
        Command::Sync(args) => source::sync(&choice.resolve()?, args, json),
        Command::Url(args) => source::url(&choice.resolve()?, args, json),
        Command::Rm(args) => source::rm(&choice.resolve()?, args, json),
        Command::Libraries => {
            let libraries = target::libraries()?;
            let active = libraries.active().map(|l| l.id.clone());
            let rows = libraries
                .entries()
                .iter()
                .map(|entry| {
                    let path = libraries.catalog_path(entry);
                    // Counted only where a catalog exists: listing creates none.
                    let videos = path
                        .exists()
                        .then(|| Catalog::open(&path).ok()?.count(&Filter::default()).ok())
                        .flatten();
                    (entry.clone(), active.as_deref() == Some(entry.id.as_str()), videos)
                })
                .collect::<Vec<_>>();
            print::libraries(&rows, json)
        }
        Command::Ls(args) => {
            let catalog = open()?;
            let (filter, sort) = match &args.view {
                Some(name) => {
                    let view = catalog.saved_view(name)?;
                    let sort = args.order.sort_or(view.sort);
                    (view.filter, sort)
                }
                None => (args.filter.filter(), args.order.sort_or(Sort::default())),
            };
            let page = catalog.page(&PageRequest {
                filter: filter.clone(),
                sort,
                limit: args.limit,
                after: args.after,
            })?;
            let total = catalog.count(&filter)?;
            if page.items.is_empty() {
                warn_unknown_creators(&catalog, &filter.creators)?;
                if total == 0 && filter == Filter::default() && !json {
                    eprintln!(
                        "m3u8v: the catalog {} is empty: `m3u8v sync` brings the library's videos, `m3u8v synth` a synthetic library",
                        catalog.path().display()
                    );
                }
            }
            print::page(&page, total, json)
        }
        Command::Random { filter, limit } => {
            let catalog = open()?;
            let filter = filter.filter();
            let page = catalog.random_page(&filter, limit)?;
            let total = catalog.count(&filter)?;
            if page.items.is_empty() {
                bail!("no video matches the filter");
            }
            print::page(&page, total, json)
        }
        Command::Views { command } => {
            let catalog = open()?;
            match command.unwrap_or(ViewsCommand::List) {
                ViewsCommand::List => print::views(&catalog.saved_views()?, json),
                ViewsCommand::Save {
                    name,
                    filter,
                    order,
                    replace,
                } => {
                    let view = catalog.save_view(&name, &filter.filter(), order.sort_or(Sort::default()), replace)?;
                    print::done(
                        json,
                        &format!("saved the view {:?}", view.name),
                        serde_json::to_value(&view)?,
                    )
                }
                ViewsCommand::Rename { from, to } => {
                    catalog.rename_view(&from, &to)?;
                    print::done(
                        json,
                        &format!("renamed the view {from:?} to {to:?}"),
                        serde_json::json!({"from": from, "to": to}),
                    )
                }
                ViewsCommand::Delete { name } => {
                    catalog.delete_view(&name)?;
                    print::done(
                        json,
                        &format!("deleted the view {name:?}"),
                        serde_json::json!({"deleted": name}),
                    )
                }
            }
        }
        Command::Show { key } => {
            let catalog = open()?;
            match catalog.video(&key)? {
                Some(video) => print::video(&video, json),
                None => bail!("the catalog has no video {key:?}"),
            }
        }
        Command::Fav { videos, off } => {
            let catalog = open()?;
            if let Some(key) = videos.single() {
                catalog.set_favorite(key, !off)?;
                return print::done(
                    json,
                    &format!("{} {key}", if off { "unfavorited" } else { "favorited" }),
                    serde_json::json!({"key": key, "favorite": !off}),
                );
            }
            let mark = if off { Mark::Unfavorite } else { Mark::Favorite };
            let changed = catalog.mark_selection(&videos.selection()?, mark)?;
            print::done(
                json,
                &format!("{} {changed} videos", if off { "unfavorited" } else { "favorited" }),
                serde_json::json!({"changed": changed, "favorite": !off}),
            )
        }
        Command::Seen { videos, off } => {
            let catalog = open()?;
            let mark = if off { Mark::Unseen } else { Mark::Seen };
            if let Some(key) = videos.single() {
                // One video named: one that is not there is an error, not "0 changed".
                if catalog.video(key)?.is_none() {
                    bail!("the catalog has no video {key:?}");
                }
                let changed = catalog.mark_selection(&videos.selection()?, mark)?;
                return print::done(
                    json,
                    &format!("{} {key}", if off { "marked unseen" } else { "marked seen" }),
                    serde_json::json!({"key": key, "changed": changed, "seen": !off}),
                );
            }
            let changed = catalog.mark_selection(&videos.selection()?, mark)?;
            print::done(
                json,
                &format!("marked {changed} videos {}", if off { "unseen" } else { "seen" }),
                serde_json::json!({"changed": changed, "seen": !off}),
            )
        }
        Command::Position { key, seconds, duration } => {
            let catalog = open()?;
            let kept = catalog.save_position(&key, seconds, duration)?;
            let said = if kept == 0.0 && seconds > 0.0 {
                format!("{key} was watched to the end: it starts over next time")
            } else {
                format!("{key} resumes at {kept}s")
            };
            print::done(json, &said, serde_json::json!({"key": key, "position": kept}))
        }
        Command::Thumbnails { clear } => {
            let target = choice.resolve()?;
            let path = posters::cache_path_beside(&target.catalog);
            // Only looked at where one exists: asking about it creates none.
            if !path.exists() {
                let said = format!("no posters kept for {} yet ({})", target.name, path.display());
                return print::done(
                    json,
                    &said,
                    serde_json::json!({"path": path, "posters": 0, "unavailable": 0, "imageBytes": 0, "fileBytes": 0, "cleared": false}),
                );
            }
            let cache = PosterCache::open(&path)?;
            let stats = if clear { cache.clear()? } else { cache.stats()? };
            let said = format!(
                "{}{} posters, {} ({} on disk){} in {}",
                if clear { "cleared " } else { "" },
                stats.posters,
                print::size(stats.image_bytes),
                print::size(stats.file_bytes),
                match stats.unavailable {
                    0 => String::new(),
                    1 => "; 1 video without one".to_owned(),
                    n => format!("; {n} videos without one"),
                },
                path.display()
            );
            let mut value = serde_json::to_value(stats)?;
            value["path"] = serde_json::json!(path);
            value["cleared"] = serde_json::json!(clear);
            print::done(json, &said, value)
        }
        Command::Creators => print::creators(&open()?.creators()?, json),
        Command::Predictions {
            command: PredictionsCommand::Import { file },
        } => {
            let report = open()?.import_predictions_file(&file)?;
            print::import_report(&report, json)
        }
        Command::Synth { videos, creators, seed } => {
            let catalog = open()?;
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
