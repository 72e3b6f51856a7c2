//! End to end, what an hour of real use found (issue 9), each in the real window: the
//! player names the cause of a failure (server gone, video deleted behind the app's
//! back, a stalled server within a time limit), the view comes back after a restart, a
//! click that closes a popover does nothing else, the grid fills during a first sync,
//! saving a bucket where there is no keychain but the environment has the secret, and
//! the toolbar at 900 px.
//!
//! Run by `scripts/e2e` (ignored by a plain `cargo test`), like `app_e2e.rs`.

use std::time::Duration;

use m3u8v_core::{Catalog, SynthSpec};
use m3u8v_testkit::app::{self, App, card};
use m3u8v_testkit::media::{BUCKET, library_server, video};
use m3u8v_testkit::scenes::{all_keys, as_set, connected, open_player, seed_profile, sync_via_ui, synced};
use m3u8v_testkit::servers::{self as support, ACCESS_KEY, Fault, FaultProxy, REGION, SECRET_KEY, Server};

fn signal(server: &Server, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([signal, &server.pid().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill {signal} failed");
}

/// The player's failure message, waited for until it contains `want`.
async fn player_error(app: &App, want: &str, within: Duration) -> String {
    app.until_within(&format!("the player to say {want:?}"), within, async |app: &App| {
        let found = app
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=player-error]"))
            .await?;
        match found.into_iter().next() {
            Some(element) => {
                let text = element.text().await?;
                Ok(text.contains(want).then_some(text))
            }
            None => Ok(None),
        }
    })
    .await
}

/// A video deleted from the bucket behind the app's back, then the server stopped: the
/// player says which, instead of "not supported or expired" for both.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r1_the_player_names_a_video_gone_and_a_server_down() {
    let (server, _data, app) = synced("r1-player-causes").await;
    let gone = "bob/bob-2024-05-06_20-45-10.mp4";
    server
        .sdk()
        .delete_object()
        .bucket(BUCKET)
        .key(gone)
        .send()
        .await
        .expect("the delete behind the app's back");
    open_player(&app, gone).await;
    let said = player_error(&app, "no longer in the bucket", app::patience()).await;
    println!("deleted behind its back: {said}");
    app.shot("player-video-gone").await;
    app.click("[data-testid=player-back]").await;
    app.wait_gone("[data-testid=player]").await;

    signal(&server, "-KILL");
    open_player(&app, "carol/carol-2024-07-08_07-07-07.mp4").await;
    let said = player_error(&app, "Cannot reach the server", Duration::from_secs(40)).await;
    assert!(!said.contains("format"), "{said}");
    println!("server down: {said}");
    app.shot("player-server-down").await;
    app.close().await;
}

/// A paused server: the player stops waiting after its time limit, says so, and Retry
/// plays once the server answers again; a hovered card says its preview is unavailable
/// rather than showing a black box.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r2_a_stalled_server_gets_a_time_limit_and_a_retry() {
    let (server, _data, app) = synced("r2-stalled").await;
    signal(&server, "-STOP");
    let with_previews = video("alice/alice-2024-01-02_10-00-00.mp4");
    app.hover(&card(with_previews.key)).await;
    app.until_within(
        "the card to give up on its preview",
        Duration::from_secs(30),
        async |app: &App| {
            let css = format!("{} [data-testid=card-no-preview]", card(with_previews.key));
            Ok((app.count(&css).await > 0).then_some(()))
        },
    )
    .await;
    app.unhover().await;

    open_player(&app, "bob/bob-2024-03-04_11-30-00.mp4").await;
    let said = player_error(&app, "", Duration::from_secs(45)).await;
    assert!(
        said.contains("does not answer") || said.contains("15 seconds"),
        "the time limit did not say why: {said}"
    );
    println!("stalled: {said}");
    app.shot("player-stalled").await;
    signal(&server, "-CONT");
    app.click("[data-testid=player-retry]").await;
    app.wait_playing("video[data-testid=player-video]", 0.5).await;
    app.close().await;
}

/// Sort, direction, filters, card size, the scroll position and the window's size all
/// come back after a restart.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r3_the_view_comes_back_after_a_restart() {
    let server = library_server().await;
    let data = tempfile::tempdir().unwrap();
    seed_profile(&server, data.path());
    // Enough videos to scroll: a synthetic library in the same catalog.
    Catalog::open(data.path().join("catalog.sqlite"))
        .unwrap()
        .fill_synthetic(
            SynthSpec {
                videos: 3000,
                creators: 40,
                seed: 5,
            },
            |_| {},
        )
        .unwrap();
    let app = App::launch("r3-view", data.path()).await;
    app.wait_for("[data-testid=library]").await;
    app.client.set_window_size(1100, 760).await.expect("a resize");
    let sort = app.wait_for("select[data-testid=sort-key]").await;
    sort.select_by_value("size").await.expect("the size sort");
    app.click("[data-testid=sort-direction]").await;
    app.click("[data-testid=filter-unseen]").await;
    app.wait_attr("[data-testid=filter-unseen]", "aria-pressed", "true")
        .await;
    app.js(
        "const s = document.querySelector('input[aria-label=\"card size\"]'); s.value = 200; \
         s.dispatchEvent(new Event('input', {bubbles: true})); return true",
    )
    .await;
    app.js("document.querySelector('[data-testid=grid]').scrollTop = 4000; return true")
        .await;
    let first = app
        .until("the grid to settle after the scroll", async |app: &App| {
            let keys = app.card_keys().await;
            let top: f64 = app
                .js("return document.querySelector('[data-testid=grid]').scrollTop")
                .await
                .as_f64()
                .unwrap_or(0.0);
            Ok((top > 3000.0 && !keys.is_empty()).then_some(top))
        })
        .await;
    // The view is saved half a second after it last changed.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = app.card_keys().await;
    app.shot("view-before-restart").await;
    app.close().await;

    let app = App::launch("r3-view-restarted", data.path()).await;
    app.wait_for("[data-testid=library]").await;
    app.wait_attr("[data-testid=filter-unseen]", "aria-pressed", "true")
        .await;
    let sort = app
        .js("return document.querySelector('select[data-testid=sort-key]').value")
        .await;
    assert_eq!(sort, "size");
    app.wait_attr("[data-testid=sort-direction]", "aria-label", "ascending")
        .await;
    let width = app
        .js("return Number(document.querySelector('input[aria-label=\"card size\"]').value)")
        .await;
    assert_eq!(width.as_f64(), Some(200.0));
    let after = app
        .wait_cards("the cards that were on screen", |keys| {
            !keys.is_empty() && keys.iter().any(|k| before.contains(k))
        })
        .await;
    let top = app
        .js("return document.querySelector('[data-testid=grid]').scrollTop")
        .await
        .as_f64()
        .unwrap_or(0.0);
    assert!(top > first * 0.5, "the grid came back at {top}, not near {first}");
    println!(
        "restored at scrollTop {top} (was {first}); first card {:?}",
        after.first()
    );
    let (_, _, w, h) = app.client.get_window_rect().await.expect("the window");
    assert_eq!((w, h), (1100, 760), "the window's size came back");
    app.shot("view-restored").await;
    app.close().await;
}

/// Closing the creator picker by clicking on the grid closes it and nothing else: the
/// card under the click is not opened, and not marked seen.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r4_a_click_that_closes_a_popover_does_nothing_else() {
    let (_server, _data, app) = synced("r4-popover").await;
    let key = "alice/alice-2024-02-05_09-15-00.mp4";
    app.click("[data-testid=creator-picker]").await;
    app.wait_for("[data-testid=creator-search]").await;
    app.click(&format!("{} [data-testid=card-open]", card(key))).await;
    app.wait_gone("[data-testid=creator-search]").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        app.count("[data-testid=player]").await,
        0,
        "the closing click opened the video"
    );
    assert_eq!(
        app.count(&format!("{} [data-testid=card-seen]", card(key))).await,
        0,
        "the closing click marked the video seen"
    );
    // The next click is a click.
    open_player(&app, key).await;
    app.close().await;
}

/// A first sync of a few thousand objects from a slow bucket: cards appear while the
/// listing goes on, and the empty page shows the sync rather than "Sync now".
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r5_the_grid_fills_during_a_first_sync() {
    app::preflight();
    let root = tempfile::tempdir().unwrap();
    let videos = 3000;
    for i in 0..videos {
        let path = root.path().join(BUCKET).join(format!(
            "c{}/c{}-2024-01-01_{:02}-{:02}-{:02}.mp4",
            i % 9,
            i % 9,
            i / 3600,
            (i / 60) % 60,
            i % 60
        ));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"v").unwrap();
    }
    let server = Server::s3s_fs_serving(root);
    // Each listing page takes a second and a half: a big bucket far away.
    let proxy = FaultProxy::start(server.port, Fault::SlowListing(Duration::from_millis(1500)));
    let data = tempfile::tempdir().unwrap();
    let mut profile = support::profile_at(&proxy.endpoint, BUCKET);
    profile.path_style = true;
    profile
        .save(&data.path().join(m3u8v_core::sources::bucket::PROFILE_FILE))
        .unwrap();
    profile
        .store_secret(&m3u8v_core::Secret::new(SECRET_KEY))
        .expect("the keychain (use scripts/e2e)");
    let app = App::launch("r5-first-sync", data.path()).await;
    app.wait_for("[data-testid=library]").await;
    app.click("[data-testid=sync-start]").await;
    app.wait_for("[data-testid=sync-progress]").await;
    let during = app
        .until("cards in the grid while the sync still runs", async |app: &App| {
            let cards = app.card_keys().await.len();
            let running = app.count("[data-testid=sync-cancel]").await > 0;
            Ok((cards > 0 && running).then_some(cards))
        })
        .await;
    println!("{during} cards on screen while the first sync runs");
    app.shot("first-sync-in-progress").await;
    app.until_within("the sync to finish", Duration::from_secs(90), async |app: &App| {
        Ok((app.count("[data-testid=sync-result]").await > 0).then_some(()))
    })
    .await;
    app.wait_text("[data-testid=result-count]", "\"3,000 videos\"", |t| {
        t.contains("3,000")
    })
    .await;
    app.close().await;
}

/// Saving a bucket on a desktop without a keychain: with the secret in the environment,
/// that one is used and Settings says so; with neither, the error says what to do and
/// nothing is saved.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r6_saving_without_a_keychain_uses_the_environment_and_says_so() {
    let server = library_server().await;
    let no_keychain = ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/no-keychain-here");
    let fill = async |app: &App| {
        app.click("[data-testid=onboarding-bucket]").await;
        app.fill("#profile-endpoint", &server.endpoint).await;
        app.fill("#profile-bucket", BUCKET).await;
        app.fill("#profile-region", REGION).await;
        app.fill("#profile-access-key-id", ACCESS_KEY).await;
        app.fill("#profile-secret", SECRET_KEY).await;
        app.js("const b = document.querySelector('#profile-path-style'); if (!b.checked) b.click(); return true")
            .await;
        app.click("[data-testid=profile-save]").await;
    };

    // Neither a keychain nor the environment: a clear error, nothing saved.
    let data = tempfile::tempdir().unwrap();
    let app = App::launch_with("r6-no-keychain", data.path(), &[no_keychain]).await;
    app.wait_for("[data-testid=onboarding]").await;
    fill(&app).await;
    let error = app
        .wait_text("[data-testid=profile-status]", "a keychain error", |t| {
            t.contains("keychain")
        })
        .await;
    assert!(
        error.contains("AWS_SECRET_ACCESS_KEY"),
        "does not say what to do: {error}"
    );
    println!("no keychain, no environment: {error}");
    assert!(!data.path().join("libraries.json").exists(), "something was saved");
    app.close().await;

    // The environment holds the secret: it is used, and said to be.
    let data = tempfile::tempdir().unwrap();
    let env = [no_keychain, ("AWS_SECRET_ACCESS_KEY", SECRET_KEY)];
    let app = App::launch_with("r6-environment", data.path(), &env).await;
    app.wait_for("[data-testid=onboarding]").await;
    fill(&app).await;
    app.wait_for("[data-testid=library]").await;
    sync_via_ui(&app).await;
    app.wait_cards("all six videos", |keys| as_set(keys) == all_keys())
        .await;
    app.click("[data-testid=open-settings]").await;
    let secret = app.text("[data-testid=settings-secret]").await;
    assert!(
        secret.contains("AWS_SECRET_ACCESS_KEY") && secret.contains("not stored"),
        "{secret}"
    );
    assert!(
        !app.page_source().await.contains("stored in the keychain"),
        "a secret claimed stored"
    );
    app.shot("no-keychain-environment-secret").await;
    app.close().await;
}

/// At 900 px the toolbar is one row: Sync beside the search, not alone below it.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn r7_the_toolbar_fits_at_900_px() {
    let (_server, _data, app) = connected("r7-toolbar").await;
    for width in [900, 720] {
        app.client.set_window_size(width, 700).await.expect("a resize");
        let rows = app
            .until(&format!("the toolbar to lay out at {width} px"), async |app: &App| {
                let v = app
                    .client
                    .execute(
                        "const top = (s) => document.querySelector(s)?.getBoundingClientRect().top; \
                         return [top('[data-testid=filter-search]'), top('[data-testid=sync-start]'), top('[data-testid=open-settings]'), window.innerWidth]",
                        vec![],
                    )
                    .await?;
                let (search, sync, settings) = (v[0].as_f64(), v[1].as_f64(), v[2].as_f64());
                Ok(match (search, sync, settings, v[3].as_f64()) {
                    (Some(a), Some(b), Some(c), Some(w)) if (w - f64::from(width)).abs() < 40.0 => Some((a, b, c)),
                    _ => None,
                })
            })
            .await;
        assert!(
            (rows.0 - rows.1).abs() < 8.0 && (rows.1 - rows.2).abs() < 8.0,
            "at {width} px Sync and Settings are not on the search's row: {rows:?}"
        );
        app.shot(&format!("toolbar-{width}")).await;
    }
    app.close().await;
}
