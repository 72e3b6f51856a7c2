//! End to end, the grid of issue 11 in the real window: the keyboard opens the focused
//! video; three videos selected and favorited at once stay favorites after a restart;
//! "select all" under a filter marks every result seen in one go; a saved view comes back
//! after a restart; a half-watched video waits in "Continue watching"; every card shows
//! a frame of its video without being hovered, made once and kept across a restart.
//!
//! Run by `scripts/e2e` (ignored by a plain `cargo test`), like `app_e2e.rs`.

use std::time::Duration;

use m3u8v_testkit::app::{App, card};
use m3u8v_testkit::scenes::{all_keys, as_set, synced};
use m3u8v_testkit::servers::count;

/// Ctrl-click on a card's poster: toggles it in the selection (a plain click opens it).
async fn ctrl_click(app: &App, key: &str) {
    let done = app
        .client
        .execute(
            "const b = document.querySelector(arguments[0]); if (!b) return false; \
             b.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, ctrlKey: true})); return true",
            vec![serde_json::json!(format!("{} [data-testid=card-open]", card(key)))],
        )
        .await
        .expect("a script");
    assert_eq!(done, serde_json::json!(true), "no card {key}");
}

async fn selection_reads(app: &App, what: &str) {
    app.wait_text("[data-testid=selection-count]", &format!("{what:?}"), |t| {
        t.starts_with(what)
    })
    .await;
}

/// Focus on nothing: the grid's keys work from the page itself.
async fn blur(app: &App) {
    app.js("document.activeElement?.blur(); return true").await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn g1_keyboard_opens_the_focused_video_and_a_selection_is_favorited_at_once() {
    let (_server, data, app) = synced("g1-keys-selection").await;
    let order = app.card_keys().await;
    assert_eq!(as_set(&order), all_keys());

    // ArrowRight from nothing focused lands on the second card; Enter opens it.
    blur(&app).await;
    app.press('\u{e014}').await; // ArrowRight
    app.wait_attr(&card(&order[1]), "data-focused", "true").await;
    app.shot("focused").await;
    app.press('\u{e007}').await; // Enter
    app.wait_for("[data-testid=player]").await;
    let opened = app.attr("[data-testid=player-name]", "title").await;
    assert_eq!(opened.as_deref(), Some(order[1].as_str()), "Enter opened another video");
    app.press_escape().await;
    app.wait_gone("[data-testid=player]").await;

    // Three picked with Ctrl-click, favorited with one action.
    let picked = [&order[0], &order[2], &order[4]];
    for key in picked {
        ctrl_click(&app, key).await;
        app.wait_attr(&card(key), "data-selected", "true").await;
    }
    selection_reads(&app, "3 selected").await;
    assert_eq!(
        app.count("[data-testid=player]").await,
        0,
        "a Ctrl-click opened the player"
    );
    app.shot("three-selected").await;
    app.click("[data-testid=bulk-favorite]").await;
    for key in picked {
        app.wait_attr(
            &format!("{} [data-testid=card-favorite]", card(key)),
            "aria-pressed",
            "true",
        )
        .await;
    }
    app.close().await;

    let app = App::launch("g1-keys-selection-restarted", data.path()).await;
    app.wait_cards("the library after a restart", |keys| as_set(keys) == all_keys())
        .await;
    for key in &order {
        let want = if picked.contains(&key) { "true" } else { "false" };
        app.wait_attr(
            &format!("{} [data-testid=card-favorite]", card(key)),
            "aria-pressed",
            want,
        )
        .await;
    }
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn g2_select_all_results_of_a_filter_marks_them_seen() {
    let (_server, _data, app) = synced("g2-select-all").await;
    app.click("[data-testid=filter-unseen]").await;
    app.wait_attr("[data-testid=filter-unseen]", "aria-pressed", "true")
        .await;
    app.wait_text("[data-testid=result-count]", "\"6 videos\"", |t| t.contains("6 videos"))
        .await;
    let first = app.card_keys().await[0].clone();
    ctrl_click(&app, &first).await;
    selection_reads(&app, "1 selected").await;
    app.click("[data-testid=select-all-results]").await;
    selection_reads(&app, "6 selected").await;
    app.click("[data-testid=bulk-seen]").await;
    app.wait_text("[data-testid=result-count]", "\"0 videos\"", |t| t.contains("0 videos"))
        .await;
    app.shot("all-seen").await;
    // Every video is seen now: without the filter, all six are there, none unseen.
    app.click("[data-testid=filter-unseen]").await;
    app.wait_cards("all six videos", |keys| as_set(keys) == all_keys())
        .await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn g3_a_saved_view_and_continue_watching_come_back_after_a_restart() {
    let (_server, data, app) = synced("g3-views-continue").await;

    // A half-watched video: played a moment, then the player closed.
    let order = app.card_keys().await;
    let watched = order[0].clone();
    app.click(&format!("{} [data-testid=card-open]", card(&watched))).await;
    app.wait_playing("video[data-testid=player-video]", 1.0).await;
    app.press_escape().await;
    app.wait_gone("[data-testid=player]").await;
    app.wait_for(&format!("[data-testid=continue-card][data-key=\"{watched}\"]"))
        .await;

    // The current sort saved as a view.
    let sort = app.wait_for("select[data-testid=sort-key]").await;
    sort.select_by_value("size").await.expect("the size sort");
    app.click("[data-testid=sort-direction]").await;
    app.wait_attr("[data-testid=sort-direction]", "aria-label", "ascending")
        .await;
    app.click("[data-testid=views-open]").await;
    app.click("[data-testid=view-save]").await;
    app.fill("[data-testid=view-name-input]", "Small first").await;
    app.click("[data-testid=view-save-confirm]").await;
    app.wait_for("[data-testid=view-item][data-name=\"Small first\"]").await;
    app.press_escape().await;
    app.close().await;

    let app = App::launch("g3-views-continue-restarted", data.path()).await;
    app.wait_cards("the library after a restart", |keys| as_set(keys) == all_keys())
        .await;
    // Back to the default order, then the saved view brings its own.
    let sort = app.wait_for("select[data-testid=sort-key]").await;
    sort.select_by_value("date").await.expect("the date sort");
    app.click("[data-testid=views-open]").await;
    app.click("[data-testid=view-item][data-name=\"Small first\"] button")
        .await;
    app.until("the saved view's sort", async |app: &App| {
        let v = app
            .js("return document.querySelector('select[data-testid=sort-key]').value")
            .await;
        Ok((v == "size").then_some(()))
    })
    .await;
    app.wait_attr("[data-testid=sort-direction]", "aria-label", "ascending")
        .await;
    app.press_escape().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shot("view-applied").await;

    // Continue watching holds the half-watched video after the restart too.
    app.wait_for(&format!("[data-testid=continue-card][data-key=\"{watched}\"]"))
        .await;
    app.shot("continue-watching").await;
    app.close().await;
}

/// What the poster `<img>` of a card holds: its natural size and the brightest channel
/// of any pixel, read back through a canvas (its `blob:` URL is the page's own, so the
/// canvas is not tainted). The placeholder is a dark gradient: no channel above 0x5a.
async fn poster_pixels(app: &App, key: &str) -> (u64, u64, u64) {
    let got = app
        .client
        .execute(
            "const img = document.querySelector(arguments[0]); \
             if (!img || !img.complete || img.naturalWidth === 0) return null; \
             const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight; \
             const g = c.getContext('2d'); g.drawImage(img, 0, 0); \
             const px = g.getImageData(0, 0, c.width, c.height).data; let max = 0; \
             for (let i = 0; i < px.length; i += 4) max = Math.max(max, px[i], px[i + 1], px[i + 2]); \
             return [img.naturalWidth, img.naturalHeight, max]",
            vec![serde_json::json!(format!("{} [data-testid=card-poster]", card(key)))],
        )
        .await
        .expect("a script");
    let n = |i: usize| {
        got[i]
            .as_u64()
            .unwrap_or_else(|| panic!("no decoded poster on {key}: {got}"))
    };
    (n(0), n(1), n(2))
}

/// The poster cache the app keeps beside the library's catalog, as `m3u8v thumbnails`
/// reports it.
fn poster_cache(data: &std::path::Path) -> m3u8v_core::PosterStats {
    let path = walk_for(data, ".posters.sqlite").expect("a poster cache beside the catalog");
    m3u8v_core::PosterCache::open(path)
        .expect("the cache opens")
        .stats()
        .expect("its stats")
}

fn walk_for(dir: &std::path::Path, suffix: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = walk_for(&path, suffix) {
                return Some(found);
            }
        } else if path.to_string_lossy().ends_with(suffix) {
            return Some(path);
        }
    }
    None
}

#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn g4_every_card_shows_a_frame_of_its_video_made_once() {
    let (_server, data, app) = synced("g4-posters").await;
    let keys = app.card_keys().await;
    // Four videos with previews (a frame of their first segment), two small ones without
    // (a frame of the video itself): all six get one, no hovering.
    for key in &keys {
        app.wait_attr(&card(key), "data-poster", "made").await;
    }
    app.unhover().await;
    app.shot("posters").await;
    for key in &keys {
        let (width, height, brightest) = poster_pixels(&app, key).await;
        assert_eq!((width, height), (480, 270), "{key}: not sized for the largest card");
        assert!(
            brightest > 0xa0,
            "{key}: the poster looks like the placeholder (brightest channel {brightest})"
        );
    }
    assert_eq!(
        app.count("[data-testid=card-preview]").await,
        0,
        "a preview played without a hover"
    );
    let made = poster_cache(data.path());
    assert_eq!((made.posters, made.unavailable), (6, 0), "{made:?}");
    let cache_file = walk_for(data.path(), ".posters.sqlite").expect("the cache file");
    let last_made = count(&cache_file, "SELECT max(made_at) FROM posters");
    assert!(
        made.image_bytes <= 6 * m3u8v_core::posters::MAX_POSTER_BYTES as u64,
        "{made:?}"
    );
    app.close().await;

    // After a restart the posters come from the cache: none is made again.
    let app = App::launch("g4-posters-restarted", data.path()).await;
    app.wait_cards("the library after a restart", |k| as_set(k) == all_keys())
        .await;
    for key in &keys {
        app.wait_attr(&card(key), "data-poster", "made").await;
    }
    let again = poster_cache(data.path());
    assert_eq!(again.posters, 6, "{again:?}");
    assert_eq!(
        count(&cache_file, "SELECT max(made_at) FROM posters"),
        last_made,
        "posters were made again after a restart"
    );
    app.close().await;
}
