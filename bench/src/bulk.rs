//! `m3u8v-bench bulk`: what the selection bar and the search box ask of a catalog of a
//! million videos (BENCHMARKS.md, "The grid at scale (issue 11)"): "select all results"
//! of a filter then mark them seen, the size a delete question names, and search terms of
//! one, two and more characters (count and first page, as the grid asks them).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use m3u8v_core::catalog::synth;
use m3u8v_core::{Catalog, Direction, Filter, Mark, PageRequest, Selection, Sort, SortKey, SynthSpec};

#[derive(Args)]
pub struct BenchBulkArgs {
    #[arg(long, default_value_t = 1_000_000)]
    videos: u64,
    #[arg(long, default_value_t = 5_000)]
    creators: u64,
    /// Unseen videos the bulk "mark seen" changes
    #[arg(long, default_value_t = 300_000)]
    marked: u64,
    /// Where the catalog is built (kept and reused for the same shape) [default: a temp folder]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Timed runs of each step; the median is reported
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Time the search terms only, not the bulk mark
    #[arg(long)]
    search_only: bool,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// A catalog file with its WAL and shared memory: a WAL left beside a fresh copy would
/// replay the last round's marks into it.
fn remove_catalog(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(args: BenchBulkArgs, json: bool) -> Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let pristine = dir.join(format!("bulk-{}-{}.sqlite", args.videos, args.creators));
    if !pristine.exists() {
        eprintln!("building a {}-video catalog in {} ...", args.videos, dir.display());
        let spec = SynthSpec {
            videos: args.videos,
            creators: args.creators,
            seed: 1,
        };
        let building = dir.join("bulk-building.sqlite");
        let _ = std::fs::remove_file(&building);
        let catalog = Catalog::open(&building)?;
        catalog.load_videos(synth::generate(spec), |_| {})?;
        catalog.optimize()?;
        drop(catalog);
        std::fs::rename(&building, &pristine)?;
    }

    // The filter: unseen videos recorded since the date where `marked` of them are
    // reached, newest first (what a user selects with "unseen" and a date range).
    let catalog = Catalog::open(&pristine)?;
    let unseen = Filter {
        unseen_only: true,
        ..Filter::default()
    };
    let by_date = Sort {
        key: SortKey::Date,
        direction: Direction::Desc,
    };
    let landing = catalog.page_at(
        &PageRequest {
            filter: unseen.clone(),
            sort: by_date,
            limit: 1,
            after: None,
        },
        args.marked - 1,
    )?;
    let from = landing.items.first().context("fewer unseen videos than --marked")?.date;
    let selection = Selection::Matching {
        filter: Filter {
            date_from: Some(from),
            ..unseen.clone()
        },
        except: vec![],
    };
    let size = catalog.selection_size(&selection)?;
    drop(catalog);

    let mut marks = Vec::new();
    let mut sizes = Vec::new();
    let mut changed = 0;
    for round in 0..if args.search_only { 0 } else { args.rounds.max(1) } {
        // Each round on a fresh copy: marking seen twice changes nothing the second time.
        let copy = dir.join("bulk-round.sqlite");
        remove_catalog(&copy);
        std::fs::copy(&pristine, &copy)?;
        // On disk before the clock starts: otherwise the first fsync of the timed write
        // (SQLite syncs a new WAL's header) waits for the whole copy to be written out.
        std::fs::File::open(&copy)?.sync_all()?;
        let catalog = Catalog::open(&copy)?;
        let started = Instant::now();
        let measured = catalog.selection_size(&selection)?;
        sizes.push(started.elapsed());
        let started = Instant::now();
        changed = catalog.mark_selection(&selection, Mark::Seen)?;
        marks.push(started.elapsed());
        if changed != measured.videos {
            bail!("round {round}: marked {changed} of {} selected", measured.videos);
        }
        // The counters follow: no unseen video is left in the selection's range.
        let left = catalog.count(&Filter {
            date_from: Some(from),
            ..unseen.clone()
        })?;
        if left != 0 {
            bail!("round {round}: {left} unseen left after marking them seen");
        }
        drop(catalog);
        remove_catalog(&copy);
    }

    // Search, as the grid asks it: the count and the first page of 60 by date. Short
    // terms are answered from the keys read into memory once (what the app does when the
    // search box is focused): timed on its own first.
    let catalog = Catalog::open(&pristine)?;
    let started = Instant::now();
    catalog.prepare_search()?;
    let prepare = started.elapsed();
    let mut searches = Vec::new();
    for (term, unseen_only) in [
        ("a", false),
        ("7", false),
        ("zz", false),
        ("er", false),
        ("q", false),
        ("a", true),
        ("zz", true),
        ("cre", false),
        ("clip 0", false),
        ("creator0042", false),
        ("2024-02-2", false),
    ] {
        let filter = Filter {
            search: Some(term.to_owned()),
            unseen_only,
            ..Filter::default()
        };
        let term = if unseen_only {
            format!("{term}` + unseen `")
        } else {
            term.to_owned()
        };
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..args.rounds.max(1) {
            let started = Instant::now();
            total = catalog.count(&filter)?;
            catalog.page(&PageRequest {
                filter: filter.clone(),
                sort: by_date,
                limit: 60,
                after: None,
            })?;
            times.push(started.elapsed());
        }
        // The first ask finds the term's matches; the next reuse them, as the grid's count
        // and page of one keystroke do.
        let first = times[0];
        searches.push((term, total, first, median(times)));
    }

    let mark_ms = ms(median(marks));
    let size_ms = ms(median(sizes));
    if json {
        println!(
            "{}",
            serde_json::json!({
                "videos": args.videos,
                "marked": changed,
                "selectedBytes": size.bytes,
                "markSeenMs": mark_ms,
                "selectionSizeMs": size_ms,
                "readKeysMs": ms(prepare),
                "search": searches.iter().map(|(t, n, f, d)| serde_json::json!({"term": t, "matches": n, "firstMs": ms(*f), "ms": ms(*d)})).collect::<Vec<_>>(),
            })
        );
    } else {
        println!(
            "| step ({} videos, median of {}) | time |",
            args.videos,
            args.rounds.max(1)
        );
        println!("|---|---|");
        println!(
            "| selection size of {} videos (delete question) | {size_ms:.0} ms |",
            size.videos
        );
        println!("| select all + mark seen: {changed} unseen videos | {mark_ms:.0} ms |");
        println!();
        println!("keys read for search: {:.0} ms", ms(prepare));
        println!();
        println!("| search term | matches | count + first page of 60: first ask | again (median) |");
        println!("|---|---|---|---|");
        for (term, n, f, d) in &searches {
            println!("| `{term}` | {n} | {:.1} ms | {:.1} ms |", ms(*f), ms(*d));
        }
    }
    Ok(())
}
