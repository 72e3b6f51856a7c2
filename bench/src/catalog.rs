//! `m3u8v-bench catalog`: the catalog at scale, measured beside the original app's approach on
//! the same data in the same run (ratios, not absolute times, survive a noisy machine).
//!
//! The original ("seed") approach is reproduced here and nowhere else: its schema and its
//! query shapes (OFFSET pages, ORDER BY the prediction text, COUNT(*) per request) are
//! the thing being compared against, so they live with the benchmark.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use m3u8v_core::catalog::synth;
use m3u8v_core::{Catalog, Direction, Filter, PageRequest, Sort, SortKey, SynthSpec, Tuning};
use rusqlite::{Connection, params};
use serde::Serialize;

#[derive(Args)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 1_000_000)]
    videos: u64,
    #[arg(long, default_value_t = 5_000)]
    creators: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed repetitions of each query
    #[arg(long, default_value_t = 40)]
    runs: usize,
    /// Folder for the benchmark catalogs [default: a temporary folder, removed after]
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Skip the original-approach baseline (it takes minutes at 1M)
    #[arg(long)]
    no_baseline: bool,
}

const PAGE: u32 = 60;
const DEEP: u64 = 10_000;

#[derive(Serialize, Clone, Copy)]
struct Stats {
    p50_ms: f64,
    p95_ms: f64,
}

fn measure(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<Stats> {
    f()?; // warm the statement cache and the pages
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    Ok(Stats {
        p50_ms: at(0.50),
        p95_ms: at(0.95),
    })
}

#[derive(Serialize)]
struct Row {
    what: String,
    ours: Stats,
    seed: Option<Stats>,
}

#[derive(Serialize)]
struct Report {
    videos: u64,
    creators: u64,
    bulk_insert_s: f64,
    seed_bulk_insert_s: Option<f64>,
    open: Stats,
    pages: Vec<Row>,
    counts: Vec<Row>,
    pragmas: Vec<(String, Stats)>,
    worst_page_p95_ms: f64,
    worst_count_p95_ms: f64,
}

struct NamedFilter {
    name: &'static str,
    filter: Filter,
    /// The same condition in the seed schema's SQL, with `?1` bound to `seed_value`.
    seed_where: &'static str,
    seed_value: Option<String>,
}

pub fn run(args: BenchArgs, json: bool) -> Result<()> {
    let temp;
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    std::fs::create_dir_all(&dir)?;
    let spec = SynthSpec {
        videos: args.videos,
        creators: args.creators,
        seed: args.seed,
    };
    let path = dir.join("bench.sqlite");
    let _ = std::fs::remove_file(&path);
    eprintln!("building a {}-video catalog in {} ...", args.videos, dir.display());
    // Generated first: the figure is the catalog's, not the random generator's.
    let videos: Vec<_> = synth::generate(spec).collect();
    let started = Instant::now();
    let catalog = Catalog::open(&path)?;
    catalog.load_videos(videos, |_| {})?;
    catalog.optimize()?;
    drop(catalog);
    let bulk_insert_s = started.elapsed().as_secs_f64();
    eprintln!("  {bulk_insert_s:.1}s");

    let open = measure(args.runs, || {
        Catalog::open(&path)?;
        Ok(())
    })?;
    let catalog = Catalog::open(&path)?;
    let filters = filters(&catalog)?;

    let seed = if args.no_baseline {
        None
    } else {
        Some(build_seed_catalog(&dir, spec)?)
    };
    let seed_bulk_insert_s = seed.as_ref().map(|(_, secs)| *secs);
    let seed_conn = seed.map(|(conn, _)| conn);

    eprintln!("timing pages ...");
    let mut pages = Vec::new();
    for nf in &filters {
        for key in SortKey::ALL {
            let sort = Sort {
                key,
                direction: Direction::Desc,
            };
            let first = PageRequest {
                filter: nf.filter.clone(),
                sort,
                limit: PAGE,
                after: None,
            };
            let ours = measure(args.runs, || catalog.page(&first).map(drop).map_err(Into::into))?;
            let seed_first = seed_conn
                .as_ref()
                .and_then(|c| seed_page(c, nf, key, 0, args.runs).transpose())
                .transpose()?;
            pages.push(Row {
                what: format!("{} / {} / first page", nf.name, key.name()),
                ours,
                seed: seed_first,
            });
            if let Some(cursor) = cursor_after(&catalog, &first, DEEP)? {
                let deep = PageRequest {
                    after: Some(cursor),
                    ..first.clone()
                };
                let ours = measure(args.runs, || catalog.page(&deep).map(drop).map_err(Into::into))?;
                let seed_deep = seed_conn
                    .as_ref()
                    .and_then(|c| seed_page(c, nf, key, DEEP, args.runs).transpose())
                    .transpose()?;
                pages.push(Row {
                    what: format!("{} / {} / after {DEEP}", nf.name, key.name()),
                    ours,
                    seed: seed_deep,
                });
            }
        }
    }
    eprintln!("timing counts ...");
    let mut counts = Vec::new();
    for nf in &filters {
        let ours = measure(args.runs, || catalog.count(&nf.filter).map(drop).map_err(Into::into))?;
        let seed = seed_conn.as_ref().map(|c| seed_count(c, nf, args.runs)).transpose()?;
        counts.push(Row {
            what: nf.name.to_string(),
            ours,
            seed,
        });
    }
    drop(catalog);
    eprintln!("timing PRAGMA variants ...");
    let pragmas = pragma_variants(&path, &filters, args.runs)?;

    let worst = |rows: &[Row], skip_search: bool| {
        rows.iter()
            .filter(|r| !(skip_search && r.what.starts_with("search")))
            .map(|r| r.ours.p95_ms)
            .fold(0.0, f64::max)
    };
    let report = Report {
        videos: args.videos,
        creators: args.creators,
        bulk_insert_s,
        seed_bulk_insert_s,
        open,
        worst_page_p95_ms: worst(&pages, false),
        worst_count_p95_ms: worst(&counts, true),
        pages,
        counts,
        pragmas,
    };
    if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
        println!();
    } else {
        print_markdown(&report);
    }
    Ok(())
}

/// The filters the budgets name, with real values picked from the catalog: the largest
/// creator, and a search term taken from a mid-sized creator's name.
fn filters(catalog: &Catalog) -> Result<Vec<NamedFilter>> {
    let mut creators = catalog.creators()?;
    creators.sort_by_key(|c| std::cmp::Reverse(c.videos));
    let big = creators.first().context("the catalog is empty")?.name.clone();
    let mid = &creators[creators.len() / 20].name;
    let term: String = mid.chars().take(mid.chars().count().min(7)).collect();
    let f = |name, filter, seed_where, seed_value: Option<&str>| NamedFilter {
        name,
        filter,
        seed_where,
        seed_value: seed_value.map(str::to_owned),
    };
    Ok(vec![
        f("all", Filter::default(), "1", None),
        f(
            "creator",
            Filter {
                creators: vec![big.clone()],
                ..Filter::default()
            },
            "name = ?1",
            Some(&big),
        ),
        f(
            "favorites",
            Filter {
                favorites_only: true,
                ..Filter::default()
            },
            "favorite = 1",
            None,
        ),
        f(
            "unseen",
            Filter {
                unseen_only: true,
                ..Filter::default()
            },
            "seen IS NULL",
            None,
        ),
        f(
            "creator+unseen",
            Filter {
                creators: vec![big.clone()],
                unseen_only: true,
                ..Filter::default()
            },
            "name = ?1 AND seen IS NULL",
            Some(&big),
        ),
        f(
            "search",
            Filter {
                search: Some(term.clone()),
                ..Filter::default()
            },
            "(name LIKE '%' || ?1 || '%' OR key LIKE '%' || ?1 || '%')",
            Some(&term),
        ),
    ])
}

/// The cursor that starts the page after `skip` rows, walked in big pages.
fn cursor_after(catalog: &Catalog, first: &PageRequest, skip: u64) -> Result<Option<String>> {
    let mut request = PageRequest {
        limit: 1000,
        ..first.clone()
    };
    let mut walked = 0;
    while walked < skip {
        let page = catalog.page(&request)?;
        walked += page.items.len() as u64;
        match page.next_cursor {
            Some(c) => request.after = Some(c),
            None => return Ok(None),
        }
    }
    Ok(request.after)
}

/// The original app's schema, as its architecture document gives it, with its indexes.
fn build_seed_catalog(dir: &Path, spec: SynthSpec) -> Result<(Connection, f64)> {
    let path = dir.join("seed.sqlite");
    let _ = std::fs::remove_file(&path);
    eprintln!("building the same library in the original schema ...");
    let started = Instant::now();
    let mut conn = Connection::open(&path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE videos (
           id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, key TEXT NOT NULL UNIQUE,
           size INTEGER NOT NULL, lastModified INTEGER NOT NULL, favorite BOOLEAN DEFAULT 0,
           prediction TEXT DEFAULT '0', seen DATETIME);
         CREATE INDEX idx_prediction ON videos (prediction);
         CREATE INDEX idx_name ON videos (name);
         CREATE INDEX idx_lastModified ON videos (lastModified);",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO videos (name, key, size, lastModified, favorite, prediction, seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )?;
        for v in synth::generate(spec) {
            let creator = v.key.split_once('/').map_or("", |(c, _)| c).to_owned();
            let seen = (v.initial.seen_at != 0).then_some(v.initial.seen_at);
            insert.execute(params![
                creator,
                v.key,
                v.size as i64,
                v.last_modified,
                v.initial.favorite,
                v.initial.prediction,
                seen
            ])?;
        }
    }
    tx.commit()?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!("  {secs:.1}s");
    Ok((conn, secs))
}

fn seed_order(key: SortKey) -> Option<&'static str> {
    match key {
        SortKey::Date => Some("lastModified DESC"),
        SortKey::Quality => Some("prediction DESC"),
        SortKey::Size => Some("size DESC"),
        _ => None, // the original app had no other sorts
    }
}

fn seed_page(conn: &Connection, nf: &NamedFilter, key: SortKey, offset: u64, runs: usize) -> Result<Option<Stats>> {
    let Some(order) = seed_order(key) else { return Ok(None) };
    let sql = format!(
        "SELECT * FROM videos WHERE {} ORDER BY {order} LIMIT {PAGE} OFFSET {offset}",
        nf.seed_where
    );
    let mut stmt = conn.prepare(&sql)?;
    // The original ran a handful of requests; its queries are slow, so time fewer.
    measure(runs.clamp(1, 5), || {
        let mut rows = stmt.query(rusqlite::params_from_iter(&nf.seed_value))?;
        while rows.next()?.is_some() {}
        Ok(())
    })
    .map(Some)
}

fn seed_count(conn: &Connection, nf: &NamedFilter, runs: usize) -> Result<Stats> {
    let mut stmt = conn.prepare(&format!("SELECT COUNT(*) FROM videos WHERE {}", nf.seed_where))?;
    measure(runs.clamp(1, 5), || {
        stmt.query_row(rusqlite::params_from_iter(&nf.seed_value), |r| r.get::<_, i64>(0))?;
        Ok(())
    })
}

/// Each PRAGMA's effect on the whole page suite (every filter, every sort, first page),
/// from SQLite's defaults to the tuning the app uses.
fn pragma_variants(path: &Path, filters: &[NamedFilter], runs: usize) -> Result<Vec<(String, Stats)>> {
    let tuned = Tuning::default();
    let defaults = Tuning::sqlite_defaults();
    let variants = [
        ("SQLite defaults (2 MB cache, no mmap)", defaults),
        (
            "+ 64 MB cache",
            Tuning {
                cache_kib: tuned.cache_kib,
                ..defaults
            },
        ),
        (
            "+ 1 GB mmap",
            Tuning {
                mmap_bytes: tuned.mmap_bytes,
                ..defaults
            },
        ),
        ("app tuning (cache + mmap)", tuned),
    ];
    let mut out = Vec::new();
    for (name, tuning) in variants {
        let catalog = Catalog::open_tuned(path, tuning)?;
        let stats = measure(runs.min(10), || {
            for nf in filters {
                for key in SortKey::ALL {
                    let request = PageRequest {
                        filter: nf.filter.clone(),
                        sort: Sort {
                            key,
                            direction: Direction::Desc,
                        },
                        limit: PAGE,
                        after: None,
                    };
                    catalog.page(&request)?;
                }
            }
            Ok(())
        })?;
        out.push((
            format!("page suite ({} queries): {name}", filters.len() * SortKey::ALL.len()),
            stats,
        ));
    }
    for (name, tuning) in [
        (
            "synchronous=FULL",
            Tuning {
                synchronous_normal: false,
                ..tuned
            },
        ),
        ("synchronous=NORMAL", tuned),
    ] {
        let catalog = Catalog::open_tuned(path, tuning)?;
        let key = catalog
            .page(&PageRequest {
                filter: Filter::default(),
                sort: Sort::default(),
                limit: 1,
                after: None,
            })?
            .items[0]
            .key
            .clone();
        let mut on = false;
        let stats = measure(runs.min(50), || {
            on = !on;
            catalog.set_favorite(&key, on)?;
            Ok(())
        })?;
        catalog.set_favorite(&key, false)?;
        out.push((format!("one favorite toggle (a write transaction): {name}"), stats));
    }
    Ok(out)
}

fn print_markdown(r: &Report) {
    let ratio = |ours: Stats, seed: Option<Stats>| {
        seed.map_or_else(String::new, |s| {
            let r = s.p50_ms / ours.p50_ms.max(0.0005);
            if r < 10.0 {
                format!("{r:.1}x")
            } else {
                format!("{r:.0}x")
            }
        })
    };
    let seed_cell = |s: Option<Stats>| s.map_or_else(|| "n/a".into(), |s| format!("{:.2} / {:.2}", s.p50_ms, s.p95_ms));
    println!("Catalog: {} videos, {} creators\n", r.videos, r.creators);
    println!("| step | ours | original approach |\n|---|---|---|");
    println!(
        "| bulk insert (incl. ANALYZE) | {:.1} s | {} |",
        r.bulk_insert_s,
        r.seed_bulk_insert_s.map_or("n/a".into(), |s| format!("{s:.1} s"))
    );
    println!(
        "| open catalog p50 / p95 | {:.2} / {:.2} ms | |",
        r.open.p50_ms, r.open.p95_ms
    );
    println!(
        "\n| page of {PAGE} (filter / sort / depth) | ours p50 / p95 ms | original p50 / p95 ms | original / ours |\n|---|---|---|---|"
    );
    for row in &r.pages {
        println!(
            "| {} | {:.3} / {:.3} | {} | {} |",
            row.what,
            row.ours.p50_ms,
            row.ours.p95_ms,
            seed_cell(row.seed),
            ratio(row.ours, row.seed)
        );
    }
    println!(
        "\n| total count (filter) | ours p50 / p95 ms | original COUNT(*) p50 / p95 ms | original / ours |\n|---|---|---|---|"
    );
    for row in &r.counts {
        println!(
            "| {} | {:.3} / {:.3} | {} | {} |",
            row.what,
            row.ours.p50_ms,
            row.ours.p95_ms,
            seed_cell(row.seed),
            ratio(row.ours, row.seed)
        );
    }
    println!("\n| PRAGMA variant | p50 / p95 ms |\n|---|---|");
    for (name, s) in &r.pragmas {
        println!("| {name} | {:.3} / {:.3} |", s.p50_ms, s.p95_ms);
    }
    println!(
        "\nworst page p95: {:.3} ms; worst count p95 (search aside): {:.3} ms",
        r.worst_page_p95_ms, r.worst_count_p95_ms
    );
}
