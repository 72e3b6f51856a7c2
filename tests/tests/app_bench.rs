//! The desktop app's performance on a 1,000,000-video catalog, measured in the real
//! WebKit window (Xvfb, software rendering) through WebDriver: start to first painted
//! grid, IPC round trip of a 60-video page, filter/sort change to repainted grid, frame
//! times while scrolling, and memory (PSS) of the app and its WebKit processes.
//!
//! A benchmark, not a test: it asserts nothing about time. Ignored by `cargo test`;
//! `scripts/bench-app` builds the release app and runs it, and BENCHMARKS.md records the
//! figures with that command.

use m3u8v_testkit::app;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use app::App;
use serde_json::Value;

fn videos() -> u64 {
    std::env::var("M3U8V_BENCH_VIDEOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// A synthetic catalog of `videos` made by the release `m3u8v` (kept between runs in
/// `M3U8V_BENCH_DIR` when set: making a million rows takes about half a minute).
fn catalog_folder(videos: u64) -> (Option<tempfile::TempDir>, PathBuf) {
    let (keep, dir) = match std::env::var_os("M3U8V_BENCH_DIR") {
        Some(dir) => (None, PathBuf::from(dir)),
        None => {
            let t = tempfile::tempdir().expect("a temp folder");
            let p = t.path().to_owned();
            (Some(t), p)
        }
    };
    std::fs::create_dir_all(&dir).expect("the bench folder");
    let catalog = dir.join("catalog.sqlite");
    if !catalog.exists() {
        let cli =
            std::env::var_os("M3U8V_CLI").expect("M3U8V_CLI: the release m3u8v binary (scripts/bench-app sets it)");
        let creators = (videos / 200).max(1);
        let status = Command::new(cli)
            .arg("--db")
            .arg(&catalog)
            .args([
                "synth",
                "--videos",
                &videos.to_string(),
                "--creators",
                &creators.to_string(),
            ])
            .status()
            .expect("m3u8v synth runs");
        assert!(status.success(), "m3u8v synth failed");
    }
    (keep, dir)
}

fn clock_ticks() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output().expect("getconf");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(100.0)
}

/// When a process started, Unix ms (to the kernel's 10 ms tick).
fn started_at_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the app's stat");
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let start_ticks: f64 = after
        .split_whitespace()
        .nth(19)
        .expect("starttime")
        .parse()
        .expect("a number");
    let boot: f64 = std::fs::read_to_string("/proc/stat")
        .expect("/proc/stat")
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .expect("btime")
        .trim()
        .parse()
        .expect("a number");
    (boot + start_ticks / clock_ticks()) * 1000.0
}

/// The app's own processes (not the WebDriver ones): the shell and WebKit's.
fn app_processes(app: &App) -> Vec<(u32, String)> {
    app.processes()
        .into_iter()
        .filter(|(_, name)| name.starts_with("m3u8-viewer") || name.starts_with("WebKit") && !name.contains("Driver"))
        .collect()
}

fn memory_kb(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("Pss:"), field("Rss:"))
}

fn memory_mb(app: &App) -> (f64, f64, String) {
    let mut pss = 0;
    let mut rss = 0;
    let mut parts = Vec::new();
    for (pid, name) in app_processes(app) {
        let (p, r) = memory_kb(pid);
        pss += p;
        rss += r;
        parts.push(format!("{name} {:.0}", p as f64 / 1024.0));
    }
    (pss as f64 / 1024.0, rss as f64 / 1024.0, parts.join(", "))
}

async fn run_async(app: &App, script: &str) -> Value {
    let limit = fantoccini::wd::TimeoutConfiguration::new(Some(Duration::from_secs(900)), None, None);
    if let Err(e) = app.client.update_timeouts(limit).await {
        app.fail(&format!("cannot lift the script time limit: {e}")).await;
    }
    match tokio::time::timeout(Duration::from_secs(900), app.client.execute_async(script, vec![])).await {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => app.fail(&format!("benchmark script failed: {e}")).await,
        Err(_) => app.fail("benchmark script ran over 15 minutes").await,
    }
}

async fn first_paint(app: &App) -> f64 {
    app.until("the first grid paint", async |app: &App| {
        let v = app
            .client
            .execute(
                "const m = performance.getEntriesByName('m3u8v:first-grid-paint')[0];
                 return m ? performance.timeOrigin + m.startTime : null;",
                vec![],
            )
            .await?;
        Ok(v.as_f64())
    })
    .await
}

const IPC: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const invoke = window.__TAURI_INTERNALS__.invoke;
  const filter = { creators: [], favoritesOnly: false, unseenOnly: false, search: null, dateFrom: null, dateTo: null, minQuality: null };
  const ask = (sort, after) => invoke('list_page', { request: { filter, sort: { key: sort, direction: 'desc' }, limit: 60, after }, skip: 0 });
  for (let i = 0; i < 30; i++) await ask('date', null);
  const times = [];
  for (const sort of ['date', 'quality', 'size', 'name', 'shuffle']) {
    let after = null;
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      const page = await ask(sort, after);
      times.push(performance.now() - t);
      after = page.nextCursor;
    }
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  done({ n: times.length, p50: at(0.5), p95: at(0.95), max: times[times.length - 1] });
})().catch((e) => done({ error: String(e) }));
"#;

const CHANGES: &str = r#"
const done = arguments[arguments.length - 1];
const q = (s) => document.querySelector(s);
const marks = () => performance.getEntriesByName('m3u8v:result-painted').length;
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
// From the click to the frame after the new result's first frame (the grid marks that
// frame when the result replaces the old one, count and first page together).
async function change(name, act) {
  const before = marks();
  const t0 = performance.now();
  act();
  while (marks() === before) {
    await frame();
    if (performance.now() - t0 > 5000) return [name, null];
  }
  await frame();
  return [name, performance.now() - t0];
}
const select = (value) => () => {
  const s = q('[data-testid=sort-key]');
  s.value = value;
  s.dispatchEvent(new Event('change', { bubbles: true }));
};
const click = (id) => () => q(`[data-testid=${id}]`).click();
(async () => {
  const out = [];
  for (let round = 0; round < 3; round++) {
    out.push(await change('sort: quality', select('quality')));
    out.push(await change('sort: size', select('size')));
    out.push(await change('direction: ascending', click('sort-direction')));
    out.push(await change('direction: descending', click('sort-direction')));
    out.push(await change('sort: name', select('name')));
    out.push(await change('sort: shuffle', select('shuffle')));
    out.push(await change('sort: date', select('date')));
    out.push(await change('favorites on', click('filter-favorites')));
    out.push(await change('favorites off', click('filter-favorites')));
    out.push(await change('unseen on', click('filter-unseen')));
    out.push(await change('unseen off', click('filter-unseen')));
  }
  done(out);
})().catch((e) => done({ error: String(e) }));
"#;

/// Scrolls the grid by script, one step a frame, recording each frame's time.
/// `pixels` > 0: that many pixels a frame for `steps` frames from the top (reading
/// speed, pages by cursor); 0: the whole scrollbar in `steps` even jumps (end to end).
fn scroll_script(pixels: u32, steps: u32) -> String {
    format!(
        r#"
const done = arguments[arguments.length - 1];
const el = document.querySelector('[data-testid=grid]');
el.scrollTop = 0;
const max = el.scrollHeight - el.clientHeight;
const steps = {steps};
const pixels = {pixels};
const frames = [];
let last = null;
let i = 0;
function step(ts) {{
  if (last !== null) frames.push(ts - last);
  last = ts;
  if (i >= steps) {{
    frames.sort((a, b) => a - b);
    const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    done({{ frames: frames.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: frames[frames.length - 1],
           over32: frames.filter((f) => f > 32).length, top: el.scrollTop, max_top: max,
           cards: document.querySelectorAll('[data-testid=video-card]').length }});
    return;
  }}
  i++;
  el.scrollTop = pixels > 0 ? Math.min(max, i * pixels) : (max * i) / steps;
  requestAnimationFrame(step);
}}
requestAnimationFrame(step);
"#
    )
}

/// Prints a result as soon as it is measured (a long run shows its progress) and keeps it
/// for the summary.
fn say(report: &mut Vec<String>, line: String) {
    println!("bench: {line}");
    report.push(line);
}

fn ms(v: &Value, field: &str) -> String {
    v[field].as_f64().map_or("n/a".into(), |x| format!("{x:.1}"))
}

#[tokio::test]
#[ignore = "a benchmark of the release app on a 1,000,000-video catalog: run by scripts/bench-app"]
async fn the_app_on_a_million_videos() {
    let videos = videos();
    let (_keep, dir) = catalog_folder(videos);
    let data: &Path = &dir;
    let mut report = vec![format!(
        "catalog: {videos} videos; window 1280x800 under Xvfb (Mesa software rendering)"
    )];

    // Start to first painted grid, five cold-ish launches (the catalog file is in the
    // page cache after the first; WebKit's processes start anew each time).
    let mut starts = Vec::new();
    for launch in 0..5 {
        let app = App::launch("bench-start", data).await;
        let painted = first_paint(&app).await;
        let shell = app_processes(&app)
            .into_iter()
            .find(|(_, n)| n.starts_with("m3u8-viewer"))
            .expect("the app's process");
        starts.push(painted - started_at_ms(shell.0));
        if launch < 4 {
            app.close().await;
        } else {
            say(
                &mut report,
                format!(
                    "start to first painted grid: {} ms (5 launches: {})",
                    {
                        let mut s = starts.clone();
                        s.sort_by(f64::total_cmp);
                        format!("median {:.0}", s[2])
                    },
                    starts.iter().map(|s| format!("{s:.0}")).collect::<Vec<_>>().join(", ")
                ),
            );
            let (pss, rss, parts) = memory_mb(&app);
            say(
                &mut report,
                format!("memory at start: PSS {pss:.0} MB ({parts}); RSS summed {rss:.0} MB"),
            );

            let ipc = run_async(&app, IPC).await;
            say(
                &mut report,
                format!(
                    "IPC round trip, 60-video page (list_page from the webview, {} pages over 5 sorts): p50 {} ms, p95 {} ms, max {} ms",
                    ipc["n"],
                    ms(&ipc, "p50"),
                    ms(&ipc, "p95"),
                    ms(&ipc, "max")
                ),
            );

            let changes = run_async(&app, CHANGES).await;
            let mut all: Vec<f64> = Vec::new();
            let mut lines = Vec::new();
            for pair in changes.as_array().cloned().unwrap_or_default() {
                let name = pair[0].as_str().unwrap_or("?").to_owned();
                match pair[1].as_f64() {
                    Some(t) => {
                        all.push(t);
                        lines.push(format!("{name} {t:.0}"));
                    }
                    None => lines.push(format!("{name} (no visible change)")),
                }
            }
            all.sort_by(f64::total_cmp);
            if !all.is_empty() {
                say(
                    &mut report,
                    format!(
                        "filter/sort change to repainted grid ({} changes): median {:.0} ms, p95 {:.0} ms, max {:.0} ms",
                        all.len(),
                        all[all.len() / 2],
                        all[(all.len() * 95 / 100).min(all.len() - 1)],
                        all[all.len() - 1]
                    ),
                );
                say(&mut report, format!("  each: {}", lines.join("; ")));
            }

            let read = run_async(&app, &scroll_script(40, 1500)).await;
            say(
                &mut report,
                format!(
                    "scrolling at reading speed (40 px a frame, 1,500 frames from the top): frame p50 {} ms, p95 {} ms, p99 {} ms, max {} ms, {} frames over 32 ms; {} cards in the DOM",
                    ms(&read, "p50"),
                    ms(&read, "p95"),
                    ms(&read, "p99"),
                    ms(&read, "max"),
                    read["over32"],
                    read["cards"]
                ),
            );
            let end = run_async(&app, &scroll_script(0, 1500)).await;
            say(
                &mut report,
                format!(
                    "scrolling end to end (whole scrollbar in 1,500 frames): frame p50 {} ms, p95 {} ms, p99 {} ms, max {} ms, {} frames over 32 ms; {} cards in the DOM at the end",
                    ms(&end, "p50"),
                    ms(&end, "p95"),
                    ms(&end, "p99"),
                    ms(&end, "max"),
                    end["over32"],
                    end["cards"]
                ),
            );
            // Let the pages asked for on the way arrive, then measure.
            tokio::time::sleep(Duration::from_secs(5)).await;
            let (pss, rss, parts) = memory_mb(&app);
            say(
                &mut report,
                format!("memory after scrolling: PSS {pss:.0} MB ({parts}); RSS summed {rss:.0} MB"),
            );
            app.shot("bench-after-scroll").await;
            app.close().await;
        }
    }
    println!("\n== app benchmark ==");
    for line in &report {
        println!("{line}");
    }
}

/// How many synthetic videos stand behind the real ones in the poster benchmark.
fn poster_library_videos() -> u64 {
    std::env::var("M3U8V_BENCH_POSTER_VIDEOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Real videos with a preview segment each, newest of the library (2031), so the first
/// screens of the date sort are theirs.
const REAL_VIDEOS: usize = 400;

/// Scrolls the grid to `row` and measures, frame by frame, until every card on screen
/// shows its poster (or settled on the placeholder): the time that takes, how many cards
/// that was, and the frames' times meanwhile. `scroll` > 0 keeps scrolling that many
/// pixels a frame for the first 60 frames (posters being made while the grid moves).
fn posters_script(row: u32, scroll: u32) -> String {
    format!(
        r#"
const done = arguments[arguments.length - 1];
const grid = document.querySelector('[data-testid=grid]');
const frames = [];
let last = null;
const rowHeight = document.querySelector('[data-testid=video-card]').getBoundingClientRect().height;
grid.scrollTop = {row} * rowHeight;
const t0 = performance.now();
let n = 0;
function visible() {{
  const box = grid.getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid=video-card]')].filter((c) => {{
    const r = c.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  }});
}}
function step(ts) {{
  if (last !== null) frames.push(ts - last);
  last = ts;
  n++;
  if ({scroll} > 0 && n <= 60) grid.scrollTop += {scroll};
  const cards = visible();
  const waiting = cards.filter((c) => !c.dataset.poster).length;
  if ((n > 60 || {scroll} === 0) && cards.length > 0 && waiting === 0) {{
    frames.sort((a, b) => a - b);
    const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    done({{ ms: performance.now() - t0, cards: cards.length,
           made: cards.filter((c) => c.dataset.poster === 'made').length,
           p95: at(0.95), max: frames[frames.length - 1], frames: frames.length }});
    return;
  }}
  if (performance.now() - t0 > 60000) {{ done({{ error: 'posters did not come within 60 s', waiting }}); return; }}
  requestAnimationFrame(step);
}}
requestAnimationFrame(step);
"#
    )
}

/// Arrow keys on the grid, one every 40 ms. For each: the key press to the end of the frame
/// that shows the focus moved (a task queued from the frame's callback runs after it),
/// which includes the wait for the display's next frame (up to 16.7 ms at 60 Hz); and the
/// page's own work for it, apart from that wait: the key's handler with the updates it
/// queues (Svelte applies them in microtasks), plus the frame's style, layout and paint.
const FOCUS_MOVES: &str = r#"
const done = arguments[arguments.length - 1];
document.activeElement?.blur();
const grid = document.querySelector('[data-testid=grid]');
const focused = () => document.querySelector('[data-testid=video-card][data-focused]')?.dataset.key ?? null;
const press = (key) => document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
const microtasks = async () => { for (let i = 0; i < 4; i++) await Promise.resolve(); };
(async () => {
  const total = [], work = [], still = [], scrolling = [];
  let moved = 0;
  const keys = ['ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowDown', 'ArrowRight'];
  for (let i = 0; i < 60; i++) {
    const before = focused();
    const top = grid.scrollTop;
    const t0 = performance.now();
    press(keys[i % keys.length]);
    await microtasks();
    const handled = performance.now() - t0;
    const [frame, after] = await new Promise((r) => requestAnimationFrame(() => {
      const frame = performance.now();
      setTimeout(() => r([frame, performance.now()]), 0);
    }));
    total.push(after - t0);
    const own = handled + (after - frame);
    work.push(own);
    // A move that scrolls the grid repaints the whole screen of cards; one that does not,
    // two cards' rings.
    (grid.scrollTop !== top ? scrolling : still).push(own);
    if (focused() !== before) moved++;
    await new Promise((r) => setTimeout(r, 40));
  }
  const stats = (times) => {
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { n: times.length, p50: at(0.5), p95: at(0.95), max: times[times.length - 1] };
  };
  done({ n: total.length, moved, total: stats(total), work: stats(work), still: stats(still), scrolling: stats(scrolling) });
})().catch((e) => done({ error: String(e) }));
"#;

/// The environment that points the app at `catalog` and the test server's `bucket`, the
/// secret with it (no keychain under the benchmark's session).
fn bucket_env<'a>(catalog: &'a str, endpoint: &'a str, bucket: &'a str) -> [(&'static str, &'a str); 7] {
    use m3u8v_testkit::servers::{ACCESS_KEY, SECRET_KEY};
    [
        ("M3U8V_DB", catalog),
        ("AWS_ENDPOINT_URL", endpoint),
        ("M3U8V_BUCKET", bucket),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_REGION", "us-east-1"),
        ("M3U8V_PATH_STYLE", "1"),
    ]
}

#[tokio::test]
#[ignore = "a benchmark of the release app's posters: run by scripts/bench-app"]
async fn posters_on_a_large_library() {
    use m3u8v_testkit::media::media;
    use m3u8v_testkit::servers::{Server, sync_quiet};

    let media = media();
    let server = Server::s3s_fs();
    let bucket = "posters";
    server.create_bucket(bucket).await;
    for i in 0..REAL_VIDEOS {
        let (day, minute) = (1 + i / 60, i % 60);
        let key = format!("bench/bench-2031-01-{day:02}_10-{minute:02}-00.mp4");
        server.put(bucket, &key, &media.videos[i % media.videos.len()]).await;
        let segment = format!("previews/bench-2031-01-{day:02}_10-{minute:02}-00/segment_1.mp4");
        server.put(bucket, &segment, &media.clips[i % media.clips.len()]).await;
    }
    let data = tempfile::tempdir().expect("a data folder");
    let catalog_path = data.path().join("catalog.sqlite");
    {
        let catalog = std::sync::Arc::new(m3u8v_core::Catalog::open(&catalog_path).expect("the catalog"));
        sync_quiet(&catalog, &server.source(bucket), m3u8v_core::SyncOptions::default())
            .await
            .expect("the real videos synced");
        let synthetic = poster_library_videos();
        catalog
            .fill_synthetic(
                m3u8v_core::SynthSpec {
                    videos: synthetic,
                    creators: (synthetic / 200).max(1),
                    seed: 1,
                },
                |_| {},
            )
            .expect("the synthetic videos");
    }
    // Cards of 180 px: six columns and four rows in the window, about 24 on screen.
    std::fs::write(data.path().join("view.json"), br#"{"cardWidth": 180}"#).expect("the view");
    let catalog_env = catalog_path.display().to_string();
    let env = bucket_env(&catalog_env, &server.endpoint, bucket);
    let mut report = vec![format!(
        "posters: {REAL_VIDEOS} real videos (s3s-fs on 127.0.0.1) before {} synthetic; window 1280x800",
        poster_library_videos()
    )];

    let app = App::launch_with("bench-posters", data.path(), &env).await;
    first_paint(&app).await;
    // Screens far enough apart that none shares a card with another.
    let screens = [0u32, 8, 16, 24, 32, 40];
    let mut fresh = Vec::new();
    for &row in &screens {
        let v = run_async(&app, &posters_script(row, 0)).await;
        if v.get("error").is_some() {
            app.fail(&format!("posters at row {row}: {v}")).await;
        }
        fresh.push(v);
    }
    let moving = run_async(&app, &posters_script(48, 12)).await;
    app.shot("posters-made").await;
    app.close().await;

    let app = App::launch_with("bench-posters-cached", data.path(), &env).await;
    first_paint(&app).await;
    let mut cached = Vec::new();
    for &row in &screens[1..] {
        cached.push(run_async(&app, &posters_script(row, 0)).await);
    }
    let focus = run_async(&app, FOCUS_MOVES).await;
    app.close().await;

    let describe = |runs: &[Value]| {
        let mut times: Vec<f64> = runs.iter().filter_map(|v| v["ms"].as_f64()).collect();
        times.sort_by(f64::total_cmp);
        format!(
            "median {:.0} ms, max {:.0} ms ({} screens of {} cards: {})",
            times.get(times.len() / 2).copied().unwrap_or(f64::NAN),
            times.last().copied().unwrap_or(f64::NAN),
            runs.len(),
            runs.first().map_or("?".into(), |v| v["cards"].to_string()),
            runs.iter().map(|v| ms(v, "ms")).collect::<Vec<_>>().join(", ")
        )
    };
    say(
        &mut report,
        format!("a screen of new cards, posters made: {}", describe(&fresh[1..])),
    );
    say(
        &mut report,
        format!(
            "the same screens after a restart (from the cache): {}",
            describe(&cached)
        ),
    );
    say(
        &mut report,
        format!(
            "scrolling 12 px a frame while posters are made: frame p95 {} ms, max {} ms ({} frames; then {} ms to the last poster)",
            ms(&moving, "p95"),
            ms(&moving, "max"),
            moving["frames"],
            ms(&moving, "ms")
        ),
    );
    say(
        &mut report,
        format!(
            "keyboard focus moved (arrow keys, 60 presses): key to the end of the next frame p50 {} ms, p95 {} ms, max {} ms; \
             the page's work (handler + frame, without the wait for the frame) p50 {} ms, p95 {} ms, max {} ms \
             (the {} moves that did not scroll the grid: p50 {} ms, p95 {} ms, max {} ms; the {} that scrolled it: p50 {} ms, p95 {} ms, max {} ms); \
             {} of {} moved the focus",
            ms(&focus["total"], "p50"),
            ms(&focus["total"], "p95"),
            ms(&focus["total"], "max"),
            ms(&focus["work"], "p50"),
            ms(&focus["work"], "p95"),
            ms(&focus["work"], "max"),
            focus["still"]["n"],
            ms(&focus["still"], "p50"),
            ms(&focus["still"], "p95"),
            ms(&focus["still"], "max"),
            focus["scrolling"]["n"],
            ms(&focus["scrolling"], "p50"),
            ms(&focus["scrolling"], "p95"),
            ms(&focus["scrolling"], "max"),
            focus["moved"],
            focus["n"]
        ),
    );
    let stats = m3u8v_core::PosterCache::open(m3u8v_core::posters::cache_path_beside(&catalog_path))
        .and_then(|c| c.stats())
        .expect("the poster cache");
    say(
        &mut report,
        format!(
            "cache: {} posters, {:.1} KB each on average",
            stats.posters,
            stats.image_bytes as f64 / stats.posters.max(1) as f64 / 1024.0
        ),
    );
    println!("\n{}", report.join("\n"));
}

/// In the page: opens each video from its card `rounds` times, alternately: from the start,
/// timing the click to the first frame shown while playing, then a seek to the middle to
/// playing from there; paused there and back to the grid, opened again, timing the click to
/// the first frame resumed from the middle; then left past 95% (which clears the position,
/// so the next round starts from the start again) and back to the grid.
fn playback_script(keys: &[&str], rounds: u32) -> String {
    format!(
        r#"
const done = arguments[arguments.length - 1];
const keys = {keys};
const q = (s) => document.querySelector(s);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, test, limit = 20000) {{
  const t0 = performance.now();
  while (performance.now() - t0 < limit) {{
    const v = test();
    if (v) return v;
    await sleep(2);
  }}
  throw new Error('timed out waiting for ' + what);
}}
const video = () => q('video[data-testid=player-video]');
async function open(key, from) {{
  const card = q(`[data-testid=video-card][data-key=${{JSON.stringify(key)}}] [data-testid=card-open]`);
  if (!card) throw new Error('no card for ' + key);
  const t0 = performance.now();
  card.click();
  const v = await until('the first frame of ' + key, () => {{
    const v = video();
    return v && v.readyState >= 2 && v.currentTime > from && !v.paused ? v : null;
  }});
  return [v, performance.now() - t0];
}}
async function back() {{
  q('[data-testid=player-back]').click();
  await until('the grid again', () => !q('[data-testid=player]'));
  await sleep(300);
}}
async function once(key) {{
  const [v, start] = await open(key, 0);
  if (v.currentTime > 3) throw new Error(key + ' did not start from the start: ' + v.currentTime);
  const middle = v.duration / 2;
  const t1 = performance.now();
  v.currentTime = middle;
  await until('playing from the middle of ' + key, () => !v.seeking && v.readyState >= 3 && v.currentTime > middle + 0.04);
  const seek = performance.now() - t1;
  v.pause();
  await back();
  const [again, resumed] = await open(key, middle - 0.5);
  // Left paused past 95%, which counts as finished: the position is cleared, and the next
  // round starts over. Not played to its end: WebKitGTK 2.50 deadlocked twice at the end
  // of an MSE stream in this benchmark (see BENCHMARKS.md).
  again.pause();
  const seeked = new Promise((r) => again.addEventListener('seeked', r, {{ once: true }}));
  again.currentTime = again.duration * 0.97;
  await Promise.race([seeked, sleep(5000)]);
  await back();
  return {{ start, seek, resumed }};
}}
(async () => {{
  const out = {{}};
  for (const key of keys) out[key] = {{ start: [], seek: [], resumed: [] }};
  for (let i = 0; i < {rounds}; i++) {{
    for (const key of keys) {{
      const t = await once(key);
      for (const step of ['start', 'seek', 'resumed']) out[key][step].push(t[step]);
    }}
  }}
  return out;
}})().then(done, (e) => done({{ error: String(e) }}));
"#,
        keys = serde_json::to_string(keys).unwrap(),
    )
}

fn median_of(values: &Value) -> f64 {
    let mut v: Vec<f64> = values
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Click to first frame and seek to the middle of an HLS video (MPEG-TS, through hls.js
/// and the core) against the same content as one MP4 (native, presigned URL), on s3s-fs
/// on 127.0.0.1, or on Garage with `M3U8V_BENCH_SERVER=garage` (s3s-fs's small responses
/// wait for the client's delayed ACK: see BENCHMARKS.md); median of 10 each, alternately.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run through scripts/bench-app hls_playback"]
async fn hls_playback_against_mp4() {
    use m3u8v_testkit::garage::{self, Garage};
    use m3u8v_testkit::hls;
    use m3u8v_testkit::servers::{REGION, Server, sync_quiet};

    /// The server the benchmark runs on, either of two.
    enum BenchServer {
        S3sFs(Server),
        Garage(Garage),
    }
    impl BenchServer {
        async fn put(&self, bucket: &str, key: &str, bytes: &[u8]) {
            match self {
                BenchServer::S3sFs(server) => server.put(bucket, key, bytes).await,
                BenchServer::Garage(garage) => garage.put(bucket, key, bytes).await,
            }
        }
        /// The bucket as the app's source, and the endpoint to give the app.
        fn source(&self, bucket: &str) -> (m3u8v_core::Source, String) {
            match self {
                BenchServer::S3sFs(server) => (server.source(bucket), server.endpoint.clone()),
                BenchServer::Garage(garage) => (garage.source(bucket), garage.endpoint.clone()),
            }
        }
    }

    let bucket = "hls";
    let data = tempfile::tempdir().expect("a data folder");
    let on_garage = std::env::var("M3U8V_BENCH_SERVER").is_ok_and(|s| s == "garage");
    let server = if on_garage {
        let garage = Garage::start(&data.path().join("garage"));
        garage.create_bucket(bucket);
        BenchServer::Garage(garage)
    } else {
        let server = Server::s3s_fs();
        server.create_bucket(bucket).await;
        BenchServer::S3sFs(server)
    };
    for (key, bytes) in hls::hls_objects() {
        server.put(bucket, key, bytes).await;
    }
    server.put(bucket, hls::SAME_AS_MP4, hls::same_as_mp4()).await;
    let (source, endpoint) = server.source(bucket);
    let catalog_path = data.path().join("catalog.sqlite");
    {
        let catalog = std::sync::Arc::new(m3u8v_core::Catalog::open(&catalog_path).expect("the catalog"));
        sync_quiet(&catalog, &source, m3u8v_core::SyncOptions::default())
            .await
            .expect("the library synced");
    }
    let catalog_env = catalog_path.display().to_string();
    let mut env = bucket_env(&catalog_env, &endpoint, bucket);
    if on_garage {
        // Garage's own key format, and the region it signs for.
        for (name, value) in &mut env {
            match *name {
                "AWS_ACCESS_KEY_ID" => *value = garage::KEY_ID,
                "AWS_SECRET_ACCESS_KEY" => *value = garage::SECRET,
                "AWS_REGION" => *value = REGION,
                _ => {}
            }
        }
    }
    let app = App::launch_with("bench-hls", data.path(), &env).await;
    first_paint(&app).await;
    let keys = [hls::SAME_AS_MP4, hls::TS];
    let v = run_async(&app, &playback_script(&keys, 10)).await;
    if v.get("error").is_some() {
        app.fail(&format!("playback: {v}")).await;
    }
    app.close().await;
    let (mp4, ts) = (&v[hls::SAME_AS_MP4], &v[hls::TS]);
    println!("\n| step (median of 10) | MP4 | HLS (MPEG-TS) | HLS / MP4 |\n|---|---|---|---|");
    for (step, what) in [
        ("start", "click to first frame, from the start"),
        ("resumed", "click to first frame, resumed from the middle"),
        ("seek", "seek to the middle to playing from there"),
    ] {
        let (mp4, ts) = (median_of(&mp4[step]), median_of(&ts[step]));
        println!("| {what} | {mp4:.0} ms | {ts:.0} ms | {:.2} |", ts / mp4);
    }
    println!("\nall: {v}");
}
