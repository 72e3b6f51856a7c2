//! End to end, the grid of issue 11 in the real window: the keyboard opens the focused
//! video; three videos selected and favorited at once stay favorites after a restart;
//! "select all" under a filter marks every result seen in one go; a saved view comes back
//! after a restart; a half-watched video waits in "Continue watching".
//!
//! Run by `scripts/e2e` (ignored by a plain `cargo test`), like `app_e2e.rs`.

use std::time::Duration;

use m3u8v_testkit::app::{App, card};
use m3u8v_testkit::scenes::{all_keys, as_set, synced};

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
