//! End to end: the built desktop app in a real WebKit window (Xvfb), driven through
//! tauri-driver's WebDriver, against a real S3 server (s3s-fs) holding real H.264 videos,
//! with the secret in a real OS keychain (gnome-keyring over D-Bus).
//!
//! Ignored by a plain `cargo test`; `scripts/e2e` builds the app and runs them with
//! `--ignored` inside xvfb-run and a D-Bus session. Screenshots of the main screens land
//! in `$M3U8V_E2E_SHOTS` (default `$CARGO_TARGET_DIR/e2e-shots`), with the driver's and
//! the app's output of each launch under `logs/` there.

use m3u8v_testkit::app;

use m3u8v_testkit::media;
use m3u8v_testkit::servers as support;

use std::time::Duration;

use app::{App, card};
use fantoccini::actions::InputSource;
use m3u8v_core::library::LIBRARIES_FILE;
use m3u8v_core::{Libraries, Presigner, Secret, SecretSource, SourceSettings};
use m3u8v_testkit::scenes::{
    all_keys, as_set, connected, keys_of, open_player, player_src, seed_profile, sync_via_ui, synced,
};
use media::{BUCKET, VIDEOS, library_server, video};
use support::{ACCESS_KEY, REGION, SECRET_KEY};

/// The harness itself, whatever the UI shows: tauri-driver and WebKitWebDriver start the
/// built app, the app reads the secret from the keychain (its content security policy
/// then admits the bucket), and WebKit plays a fixture from the bucket.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s0_harness_launches_the_app_and_plays_a_fixture() {
    let server = library_server().await;
    let data = tempfile::tempdir().unwrap();
    let profile = seed_profile(&server, data.path());
    let (secret, source) = profile.secret().expect("the secret back from the keychain");
    assert_eq!(
        (secret.expose(), source),
        (SECRET_KEY, SecretSource::Keychain),
        "the keychain gave back another secret"
    );

    let app = App::launch("s0-harness", data.path()).await;
    let title = app.client.title().await.expect("a title");
    assert_eq!(title, "M3U8 Viewer");
    let names: Vec<String> = app.processes().into_iter().map(|(_, name)| name).collect();
    println!("processes of the launch: {names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("m3u8-viewer")),
        "the app is not among the launch's processes: {names:?}"
    );
    let body = app.js("return document.body.innerText").await;
    println!(
        "body text: {}",
        body.as_str().unwrap_or_default().chars().take(300).collect::<String>()
    );
    app.shot("start").await;

    let key = VIDEOS[0].key;
    let presigner = Presigner::new(&server.bucket(BUCKET), Duration::from_secs(900)).unwrap();
    let url = presigner.url(key).unwrap().url;
    let script = format!(
        "const v = document.createElement('video'); v.id = 'e2e-probe'; v.muted = true; \
         v.autoplay = true; v.src = {}; v.style = 'position:fixed;right:8px;bottom:8px;width:320px;z-index:9999'; \
         document.body.appendChild(v); v.play().catch(() => {{}}); return true",
        serde_json::to_string(&url).unwrap()
    );
    app.js(&script).await;
    let t = app.wait_playing("#e2e-probe", 0.5).await;
    println!("the fixture plays in the webview: currentTime {t:.2} s");
    app.shot("webview-playback").await;

    app.close().await;
}

/// Scenario 1: the first run shows onboarding; a wrong secret is named as such; the right
/// one connects; saving stores the secret in the keychain, not the profile, and opens the
/// library.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s1_first_run_sets_up_the_bucket() {
    let server = library_server().await;
    let data = tempfile::tempdir().unwrap();
    // A stale secret for the same key id: after saving, the keychain must hold the new one.
    server
        .profile(BUCKET)
        .store_secret(&Secret::new("stale-secret-from-an-earlier-run"))
        .expect("the keychain takes a secret (use scripts/e2e)");

    let app = App::launch("s1-first-run", data.path()).await;
    app.wait_for("[data-testid=onboarding]").await;
    app.shot("onboarding").await;
    app.click("[data-testid=onboarding-bucket]").await;
    app.wait_for("[data-testid=onboarding] #profile-endpoint").await;

    app.fill("#profile-endpoint", &server.endpoint).await;
    app.fill("#profile-bucket", BUCKET).await;
    app.fill("#profile-region", REGION).await;
    app.fill("#profile-access-key-id", ACCESS_KEY).await;
    app.fill("#profile-secret", "not-the-secret").await;
    app.until("the path-style box to be ticked", async |app: &App| {
        let boxed = app.client.find(fantoccini::Locator::Css("#profile-path-style")).await?;
        if boxed.prop("checked").await?.as_deref() == Some("true") {
            return Ok(Some(()));
        }
        boxed.click().await?;
        Ok(None)
    })
    .await;

    app.click("[data-testid=profile-check]").await;
    let error = app
        .until(
            "an error about the secret in [data-testid=profile-status]",
            async |app: &App| {
                let Some(status) = app
                    .client
                    .find_all(fantoccini::Locator::Css("[data-testid=profile-status].error"))
                    .await?
                    .into_iter()
                    .next()
                else {
                    return Ok(None);
                };
                let text = status.text().await?;
                Ok(text.to_lowercase().contains("secret").then_some(text))
            },
        )
        .await;
    println!("wrong secret: {error}");

    app.fill("#profile-secret", SECRET_KEY).await;
    app.click("[data-testid=profile-check]").await;
    let ok = app
        .wait_text("[data-testid=profile-status]", "\"Connected…\"", |t| {
            t.starts_with("Connected")
        })
        .await;
    let class = app
        .attr("[data-testid=profile-status]", "class")
        .await
        .unwrap_or_default();
    assert!(
        !class.split_whitespace().any(|c| c == "error"),
        "a success shown as an error: {ok:?} ({class})"
    );
    app.shot("connected").await;

    app.click("[data-testid=profile-save]").await;
    app.wait_for("[data-testid=library]").await;
    app.wait_gone("[data-testid=onboarding]").await;
    app.shot("library-empty").await;

    let libraries = Libraries::load(data.path()).expect("a readable list of libraries");
    let saved = match libraries.active().map(|entry| &entry.source) {
        Some(SourceSettings::Bucket(profile)) => profile.clone(),
        other => panic!("the app saved no bucket library: {other:?}"),
    };
    assert_eq!(saved.endpoint, server.endpoint);
    assert_eq!(saved.bucket, BUCKET);
    assert_eq!(saved.access_key_id, ACCESS_KEY);
    assert!(saved.path_style, "path style was ticked");
    let file = std::fs::read_to_string(data.path().join(LIBRARIES_FILE)).unwrap();
    assert!(!file.contains(SECRET_KEY), "the secret is in {LIBRARIES_FILE}");
    let (secret, source) = saved.secret().expect("the secret in the keychain");
    assert_eq!(source, SecretSource::Keychain);
    assert_eq!(
        secret.expose(),
        SECRET_KEY,
        "the keychain does not hold the secret that was saved"
    );
    assert!(
        !app.page_source().await.contains(SECRET_KEY),
        "the secret is on the page after saving"
    );

    app.close().await;
}

/// Scenario 2: a sync through the UI lists the bucket and fills the grid; Settings show
/// the profile without its secret.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s2_sync_fills_the_grid() {
    let (server, _data, app) = connected("s2-sync").await;
    let saw_progress = sync_via_ui(&app).await;
    let result = app.text("[data-testid=sync-result]").await;
    println!("sync result: {result:?} (progress seen: {saw_progress})");
    app.wait_text("[data-testid=result-count]", "\"6 videos\"", |t| t.contains("6 videos"))
        .await;
    let keys = app
        .wait_cards("all six videos", |keys| as_set(keys) == all_keys())
        .await;
    assert_eq!(keys.len(), 6, "a card twice: {keys:?}");
    app.shot("grid").await;

    app.click("[data-testid=open-settings]").await;
    let endpoint = app.wait_for("#profile-endpoint").await;
    app.until("Settings to show the endpoint", async |_app: &App| {
        Ok((endpoint.prop("value").await?.as_deref() == Some(server.endpoint.as_str())).then_some(()))
    })
    .await;
    assert!(
        !app.page_source().await.contains(SECRET_KEY),
        "Settings show the secret"
    );
    app.shot("settings").await;

    app.close().await;
}

/// Scenario 3: search, favorites, unseen, creator and name sort narrow and order the grid.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s3_filters_and_sort() {
    let (_server, _data, app) = synced("s3-filters").await;

    app.fill("input[data-testid=filter-search]", "bob").await;
    app.wait_cards("only bob's videos", |keys| as_set(keys) == keys_of("bob"))
        .await;
    app.fill("input[data-testid=filter-search]", "").await;
    app.wait_cards("all six videos again", |keys| keys.len() == 6).await;

    app.click("[data-testid=filter-favorites]").await;
    app.wait_attr("[data-testid=filter-favorites]", "aria-pressed", "true")
        .await;
    app.wait_cards("no video (none is a favorite)", |keys| keys.is_empty())
        .await;
    app.click("[data-testid=filter-favorites]").await;
    app.wait_attr("[data-testid=filter-favorites]", "aria-pressed", "false")
        .await;
    app.wait_cards("all six videos again", |keys| keys.len() == 6).await;

    app.click("[data-testid=filter-unseen]").await;
    app.wait_cards("all six videos (none is seen)", |keys| keys.len() == 6)
        .await;
    app.click("[data-testid=filter-unseen]").await;

    app.click("[data-testid=creator-picker]").await;
    app.fill("input[data-testid=creator-search]", "car").await;
    let carol = "[data-testid=creator-option][data-name=\"carol\"]";
    app.click(carol).await;
    app.wait_cards("only carol's videos", |keys| as_set(keys) == keys_of("carol"))
        .await;
    if app.count(carol).await == 0 {
        app.click("[data-testid=creator-picker]").await;
    }
    app.click(carol).await;
    app.wait_cards("all six videos after unpicking carol", |keys| keys.len() == 6)
        .await;

    // Name sort: one direction gives the file names in order, the other reversed.
    let mut ascending: Vec<&str> = VIDEOS.iter().map(|v| v.name()).collect();
    ascending.sort_unstable();
    let descending: Vec<&str> = ascending.iter().rev().copied().collect();
    let names = |keys: &[String]| -> Vec<String> {
        keys.iter()
            .map(|k| k.rsplit('/').next().unwrap_or(k).to_owned())
            .collect()
    };
    let sort = app.wait_for("select[data-testid=sort-key]").await;
    if let Err(e) = sort.select_by_value("name").await {
        app.fail(&format!("choosing the name sort failed: {e}")).await;
    }
    let first = app
        .wait_cards("the videos in name order", |keys| {
            let n = names(keys);
            n == ascending || n == descending
        })
        .await;
    let was_ascending = names(&first) == ascending;
    app.click("[data-testid=sort-direction]").await;
    let flipped = app
        .wait_cards("the videos in the other name order", |keys| {
            names(keys)
                == if was_ascending {
                    descending.clone()
                } else {
                    ascending.clone()
                }
        })
        .await;
    assert_ne!(first[0], flipped[0], "the first card did not change with the direction");
    println!("name order: first {} then, flipped, {}", first[0], flipped[0]);

    app.close().await;
}

/// Scenario 4: hovering a card plays its preview clips from the bucket; a card without
/// previews says so.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s4_hover_plays_the_preview() {
    let (_server, _data, app) = synced("s4-hover").await;

    let with = video("alice/alice-2024-01-02_10-00-00.mp4");
    let preview = format!("{} video[data-testid=card-preview]", card(with.key));
    app.hover(&card(with.key)).await;
    let t = app.wait_playing(&preview, 0.0).await;
    let src = app
        .js(&format!(
            "return document.querySelector({}).currentSrc",
            serde_json::to_string(&preview).unwrap()
        ))
        .await;
    let folder = with.previews.unwrap().0;
    assert!(
        src.as_str()
            .unwrap_or_default()
            .contains(&format!("previews/{folder}/segment_")),
        "the card plays something other than its preview segments: {src}"
    );
    println!("preview plays at {t:.2} s from {src}");
    app.shot("hover-preview").await;

    let without = video("bob/bob-2024-05-06_20-45-10.mp4");
    assert!(without.previews.is_none());
    app.hover(&card(without.key)).await;
    app.wait_for(&format!("{} [data-testid=card-no-preview]", card(without.key)))
        .await;
    app.unhover().await;

    app.close().await;
}

/// Scenario 5: a card opens the player, which plays the video; next and previous move
/// through the grid; back and Escape return to it.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s5_player_plays_the_video() {
    let key = "bob/bob-2024-03-04_11-30-00.mp4";
    // A prediction waiting for the video (imported before any sync, as a user may): the
    // sync brings them together and the player draws it as its timeline.
    let server = library_server().await;
    let data = tempfile::tempdir().expect("a data folder");
    seed_profile(&server, data.path());
    let prediction: String = (0..100).map(|i| if i % 3 == 0 { '1' } else { '0' }).collect();
    let imported = m3u8v_core::Catalog::open(data.path().join("catalog.sqlite"))
        .expect("the catalog")
        .import_predictions(format!("{{\"key\":\"{key}\",\"prediction\":\"{prediction}\"}}\n").as_bytes())
        .expect("the import");
    assert_eq!(imported.bad_lines.len(), 0, "{imported:?}");
    let app = App::launch("s5-player", data.path()).await;
    app.wait_for("[data-testid=library]").await;
    sync_via_ui(&app).await;
    app.wait_cards("all six videos", |keys| as_set(keys) == all_keys())
        .await;

    open_player(&app, key).await;
    let t = app.wait_playing("video[data-testid=player-video]", 0.5).await;
    let src = player_src(&app).await;
    assert!(src.contains(key), "the player plays {src}, not {key}");
    println!("player at {t:.2} s");
    app.shot("player").await;

    // The timeline: a click three quarters across seeks three quarters into the video.
    let cells = app.count("[data-testid=player-timeline] .cell").await;
    assert_eq!(cells, 100, "the prediction timeline has {cells} cells");
    let lit = app.count("[data-testid=player-timeline] .cell.good").await;
    assert_eq!(
        lit,
        prediction.matches('1').count(),
        "lit cells differ from the prediction"
    );
    let timeline = app.wait_for("[data-testid=player-timeline]").await;
    let (_, _, w, _) = timeline.rectangle().await.expect("the timeline's box");
    // Offsets are from the element's centre.
    let click = fantoccini::actions::MouseActions::new("mouse".into())
        .then(fantoccini::actions::PointerAction::MoveToElement {
            element: timeline.clone(),
            duration: None,
            x: w * 0.25,
            y: 0.0,
        })
        .then(fantoccini::actions::PointerAction::Down {
            button: fantoccini::actions::MOUSE_BUTTON_LEFT,
        })
        .then(fantoccini::actions::PointerAction::Up {
            button: fantoccini::actions::MOUSE_BUTTON_LEFT,
        });
    app.client
        .perform_actions(click)
        .await
        .expect("a click on the timeline");
    let (at, duration) = app
        .until("the player to seek where the timeline was clicked", async |app: &App| {
            let v = app
                .client
                .execute(
                    "const v = document.querySelector('video[data-testid=player-video]'); return [v.currentTime, v.duration]",
                    vec![],
                )
                .await?;
            let (at, duration) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
            Ok((duration > 0.0 && at >= duration * 0.7).then_some((at, duration)))
        })
        .await;
    println!("timeline click: {at:.2} s of {duration:.2} s");
    assert!(
        at <= duration * 0.85 + 0.5,
        "seeked to {at} of {duration}, not about 3/4"
    );

    app.click("[data-testid=player-next]").await;
    let next = app
        .until("the next video in the player", async |app: &App| {
            let now = player_src(app).await;
            Ok((!now.is_empty() && now != src).then_some(now))
        })
        .await;
    app.click("[data-testid=player-prev]").await;
    app.until("the previous video back in the player", async |app: &App| {
        Ok((player_src(app).await == src).then_some(()))
    })
    .await;
    println!("next was {next}");

    app.click("[data-testid=player-back]").await;
    app.wait_gone("[data-testid=player]").await;
    app.wait_for("[data-testid=grid]").await;

    open_player(&app, key).await;
    app.press_escape().await;
    app.wait_gone("[data-testid=player]").await;
    app.wait_for("[data-testid=grid]").await;

    app.close().await;
}

/// Scenario 6: a favorite and a watched video are still so after the app restarts.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s6_favorite_and_seen_survive_a_restart() {
    let (_server, data, app) = synced("s6-persist").await;
    let favorite = "alice/alice-2024-02-05_09-15-00.mp4";
    let watched = "carol/carol-2024-07-08_07-07-07.mp4";
    let favorite_button = |key: &str| format!("{} [data-testid=card-favorite]", card(key));

    app.wait_attr(&favorite_button(favorite), "aria-pressed", "false").await;
    app.click(&favorite_button(favorite)).await;
    app.wait_attr(&favorite_button(favorite), "aria-pressed", "true").await;

    open_player(&app, watched).await;
    app.wait_playing("video[data-testid=player-video]", 0.5).await;
    app.click("[data-testid=player-back]").await;
    app.wait_for(&format!("{} [data-testid=card-seen]", card(watched)))
        .await;
    app.close().await;

    let app = App::launch("s6-persist-restarted", data.path()).await;
    app.wait_for("[data-testid=library]").await;
    app.wait_cards("all six videos from the saved catalog", |keys| {
        as_set(keys) == all_keys()
    })
    .await;
    app.wait_attr(&favorite_button(favorite), "aria-pressed", "true").await;
    app.wait_attr(&favorite_button(watched), "aria-pressed", "false").await;
    app.wait_for(&format!("{} [data-testid=card-seen]", card(watched)))
        .await;
    assert_eq!(
        app.count(&format!("{} [data-testid=card-seen]", card(favorite))).await,
        0,
        "a video never played is marked seen"
    );
    app.shot("after-restart").await;

    app.click("[data-testid=filter-unseen]").await;
    app.wait_cards("the five unseen videos", |keys| {
        keys.len() == 5 && !keys.iter().any(|k| k == watched)
    })
    .await;

    app.close().await;
}

/// Scenario 7: deleting from the player removes the video and its previews from the
/// grid and from the bucket, and nothing else.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s7_delete_removes_the_video_and_its_previews() {
    let (server, _data, app) = synced("s7-delete").await;
    let victim = video("carol/carol-2023-12-24_18-00-00.mp4");
    let folder = format!("previews/{}/", victim.previews.unwrap().0);
    let before = server.keys(BUCKET).await;
    assert!(before.iter().any(|k| k.starts_with(&folder)));

    open_player(&app, victim.key).await;
    app.click("[data-testid=player-delete]").await;
    app.click("[data-testid=confirm-delete]").await;
    app.wait_gone("[data-testid=confirm-delete]").await;
    if app.count("[data-testid=player]").await > 0 {
        app.click("[data-testid=player-back]").await;
        app.wait_gone("[data-testid=player]").await;
    }
    let mut rest = all_keys();
    rest.remove(victim.key);
    app.wait_cards("the five videos left", |keys| as_set(keys) == rest)
        .await;
    app.wait_text("[data-testid=result-count]", "\"5 videos\"", |t| t.contains("5 videos"))
        .await;

    let gone = |k: &String| k == victim.key || k.starts_with(&folder);
    let left = app
        .until("the bucket to lose the video and its previews", async |_app: &App| {
            let left = server.keys(BUCKET).await;
            Ok((!left.iter().any(gone)).then_some(left))
        })
        .await;
    let expected: Vec<String> = before.iter().filter(|k| !gone(k)).cloned().collect();
    assert_eq!(left, expected, "the delete removed something else too");

    app.close().await;
}

/// The page's content security policy lets media come from the connected bucket and
/// nowhere else: a video pointed at another origin is refused by WebKit itself.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn s8_media_only_from_the_bucket() {
    let (server, _data, app) = synced("s8-csp").await;
    let other = format!("http://127.0.0.1:{}/elsewhere.mp4", support::free_port());
    let script = r#"
const done = arguments[arguments.length - 1];
const [bucketUrl, otherUrl] = [arguments[0], arguments[1]];
const refused = [];
document.addEventListener('securitypolicyviolation', (e) => refused.push([e.effectiveDirective, e.blockedURI]));
for (const src of [bucketUrl, otherUrl]) {
  const v = document.createElement('video');
  v.muted = true;
  v.src = src;
  document.body.appendChild(v);
}
setTimeout(() => done(refused), 1500);
"#;
    let urls = Presigner::new(&server.bucket(BUCKET), Duration::from_secs(600))
        .expect("a presigner")
        .url(VIDEOS[0].key)
        .expect("a URL");
    let refused = app
        .client
        .execute_async(script, vec![serde_json::json!(urls.url), serde_json::json!(other)])
        .await
        .expect("the script runs");
    let refused = refused.as_array().cloned().unwrap_or_default();
    let blocked: Vec<String> = refused
        .iter()
        .filter_map(|r| r[1].as_str().map(str::to_owned))
        .collect();
    assert!(
        refused.iter().all(|r| r[0] == "media-src"),
        "only media-src refusals expected: {refused:?}"
    );
    assert!(
        blocked
            .iter()
            .any(|u| u.starts_with(other.trim_end_matches("/elsewhere.mp4"))),
        "a video from another origin was not refused: {refused:?}"
    );
    assert!(
        !blocked.iter().any(|u| u.starts_with(&server.endpoint)),
        "the bucket's own URL was refused: {refused:?}"
    );

    // And the app reads at a large window size too.
    app.client.set_window_size(1920, 1080).await.expect("a resize");
    app.settle().await;
    app.shot("1920x1080-grid").await;
    app.close().await;
}
