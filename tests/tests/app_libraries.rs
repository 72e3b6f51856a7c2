//! End to end, library sources (issue 10), in the real window: the first run opens the
//! demo library, which previews and plays; a folder library beside a bucket library,
//! switched between, each with its own videos and favorites across a restart; a delete
//! in a folder library puts the file in the trash.
//!
//! Run by `scripts/e2e` (ignored by a plain `cargo test`), like `app_e2e.rs`.

use std::collections::BTreeSet;
use std::path::Path;

use m3u8v_testkit::app::{App, card};
use m3u8v_testkit::media::media;
use m3u8v_testkit::scenes::{all_keys, as_set, open_player, player_src, synced};

/// A folder laid out like a bucket: three videos of two creators, previews for two.
const FOLDER_VIDEOS: [&str; 3] = [
    "dora/dora-2024-08-01_12-00-00.mp4",
    "dora/Summer trip (edited).mp4",
    "émile/émile-2024-09-09_09-09-09.mp4",
];

fn make_folder(root: &Path) {
    let media = media();
    for (i, key) in FOLDER_VIDEOS.iter().enumerate() {
        let path = root.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &media.videos[i]).unwrap();
    }
    for (stem, clips) in [("dora-2024-08-01_12-00-00", 2), ("2024-09-09_09-09-09", 3)] {
        for n in 1..=clips {
            let path = root.join(format!("previews/{stem}/segment_{n:02}.mp4"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &media.clips[n % media.clips.len()]).unwrap();
        }
    }
}

fn folder_keys() -> BTreeSet<String> {
    FOLDER_VIDEOS.iter().map(|k| (*k).to_owned()).collect()
}

async fn favorite(app: &App, key: &str) {
    let button = format!("{} [data-testid=card-favorite]", card(key));
    app.wait_attr(&button, "aria-pressed", "false").await;
    app.click(&button).await;
    app.wait_attr(&button, "aria-pressed", "true").await;
}

async fn switch_to(app: &App, name: &str) {
    app.click("[data-testid=library-switcher]").await;
    let id = app
        .until(&format!("the library {name:?} in the switcher"), async |app: &App| {
            let v = app
                .client
                .execute(
                    "return [...document.querySelectorAll('[data-testid=library-option]')]\
                     .filter(o => o.querySelector('.name')?.textContent.trim() === arguments[0]).map(o => o.dataset.id)[0] ?? null",
                    vec![serde_json::json!(name)],
                )
                .await?;
            Ok(v.as_str().map(str::to_owned))
        })
        .await;
    app.click(&format!("[data-testid=library-option][data-id=\"{id}\"]"))
        .await;
}

/// A fresh machine: the first run offers the demo; choosing it shows its grid, a hover
/// plays a preview and a click plays the video, from the loopback media server.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn l1_the_first_run_opens_the_demo_library_and_it_plays() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch("l1-demo", data.path()).await;
    app.wait_for("[data-testid=onboarding]").await;
    app.shot("onboarding-choices").await;
    app.click("[data-testid=onboarding-demo]").await;
    app.wait_for("[data-testid=library]").await;
    app.wait_text("[data-testid=result-count]", "\"40 videos\"", |t| {
        t.contains("40 videos")
    })
    .await;
    let keys = app.wait_cards("the demo's cards", |keys| keys.len() >= 12).await;
    app.shot("demo-grid").await;
    assert!(
        data.path().join("Demo library").is_dir(),
        "the demo was not copied to the data folder"
    );

    // A card with previews: every demo video has some.
    let first = keys[0].clone();
    app.hover(&card(&first)).await;
    let preview = format!("{} video[data-testid=card-preview]", card(&first));
    app.wait_playing(&preview, 0.0).await;
    let src = app
        .js(&format!(
            "return document.querySelector({}).currentSrc",
            serde_json::to_string(&preview).unwrap()
        ))
        .await;
    assert!(
        src.as_str().unwrap_or_default().starts_with("http://127.0.0.1:"),
        "a demo preview comes from elsewhere than the loopback server: {src}"
    );
    app.shot("demo-hover").await;
    app.unhover().await;

    open_player(&app, &first).await;
    let t = app.wait_playing("video[data-testid=player-video]", 0.5).await;
    println!("the demo plays: {t:.2} s of {first}");
    app.shot("demo-player").await;
    app.close().await;
}

/// A folder library beside a bucket library: each shows its own videos and keeps its own
/// favorites, switched from the filter bar, across a restart.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn l2_a_folder_library_and_a_bucket_library_side_by_side() {
    let (_server, data, app) = synced("l2-two-libraries").await;
    let bucket_favorite = "carol/carol-2023-12-24_18-00-00.mp4";
    favorite(&app, bucket_favorite).await;

    let media_dir = tempfile::tempdir().unwrap();
    let root = media_dir.path().join("Home videos");
    make_folder(&root);
    app.click("[data-testid=open-settings]").await;
    app.click("[data-testid=add-folder]").await;
    app.fill("[data-testid=folder-path]", &root.display().to_string()).await;
    app.click("[data-testid=folder-add]").await;
    // The page reloads into the new library and syncs it.
    let shown = app
        .wait_cards("the folder's videos", |keys| as_set(keys) == folder_keys())
        .await;
    println!("folder library: {shown:?}");
    app.wait_content("[data-testid=library-switcher]", "\"Home videos\"", |t| {
        t.contains("Home videos")
    })
    .await;
    let titled = app
        .wait_content(
            &format!("{} [data-testid=card-title]", card("dora/Summer trip (edited).mp4")),
            "the file's name",
            |t| !t.trim().is_empty(),
        )
        .await;
    assert_eq!(
        titled, "Summer trip (edited).mp4",
        "a file named by a person is titled by its name"
    );
    let folder_favorite = "émile/émile-2024-09-09_09-09-09.mp4";
    favorite(&app, folder_favorite).await;
    app.hover(&card(folder_favorite)).await;
    app.wait_playing(
        &format!("{} video[data-testid=card-preview]", card(folder_favorite)),
        0.0,
    )
    .await;
    app.unhover().await;
    open_player(&app, folder_favorite).await;
    app.wait_playing("video[data-testid=player-video]", 0.5).await;
    assert!(player_src(&app).await.starts_with("http://127.0.0.1:"));
    app.click("[data-testid=player-back]").await;
    app.shot("folder-library").await;

    switch_to(&app, "library").await;
    app.wait_cards("the bucket's videos again", |keys| as_set(keys) == all_keys())
        .await;
    app.wait_attr(
        &format!("{} [data-testid=card-favorite]", card(bucket_favorite)),
        "aria-pressed",
        "true",
    )
    .await;
    app.close().await;

    // After a restart: the library last opened, then the other, each as it was left.
    let app = App::launch("l2-two-libraries-restarted", data.path()).await;
    app.wait_cards("the bucket library, opened last", |keys| as_set(keys) == all_keys())
        .await;
    app.wait_attr(
        &format!("{} [data-testid=card-favorite]", card(bucket_favorite)),
        "aria-pressed",
        "true",
    )
    .await;
    switch_to(&app, "Home videos").await;
    app.wait_cards("the folder library", |keys| as_set(keys) == folder_keys())
        .await;
    app.wait_attr(
        &format!("{} [data-testid=card-favorite]", card(folder_favorite)),
        "aria-pressed",
        "true",
    )
    .await;
    assert_eq!(
        app.attr(
            &format!(
                "{} [data-testid=card-favorite]",
                card("dora/dora-2024-08-01_12-00-00.mp4")
            ),
            "aria-pressed"
        )
        .await
        .as_deref(),
        Some("false")
    );
    app.shot("switched-after-restart").await;
    app.close().await;
}

/// Deleting in a folder library moves the file and its own previews to the trash; the
/// other files stay.
#[tokio::test]
#[ignore = "needs the built app, Xvfb and tauri-driver: run by scripts/e2e"]
async fn l3_delete_in_a_folder_library_puts_the_file_in_the_trash() {
    let data = tempfile::tempdir().unwrap();
    let media_dir = tempfile::tempdir_in(data.path()).unwrap();
    let root = media_dir.path().join("Videos");
    make_folder(&root);
    let app = App::launch("l3-trash", data.path()).await;
    app.click("[data-testid=onboarding-folder]").await;
    app.fill("[data-testid=folder-path]", &root.display().to_string()).await;
    app.click("[data-testid=folder-add]").await;
    app.wait_cards("the folder's videos", |keys| as_set(keys) == folder_keys())
        .await;
    let victim = "dora/dora-2024-08-01_12-00-00.mp4";
    open_player(&app, victim).await;
    app.click("[data-testid=player-delete]").await;
    app.click("[data-testid=confirm-delete]").await;
    app.wait_gone("[data-testid=confirm-delete]").await;
    let rest: BTreeSet<String> = folder_keys().into_iter().filter(|k| k != victim).collect();
    if app.count("[data-testid=player]").await > 0 {
        app.click("[data-testid=player-back]").await;
    }
    app.wait_cards("the two videos left", |keys| as_set(keys) == rest).await;
    assert!(!root.join(victim).exists(), "the file is still in the folder");
    assert!(
        !root.join("previews/dora-2024-08-01_12-00-00").exists(),
        "its previews are still there"
    );
    for key in &rest {
        assert!(root.join(key).exists(), "{key} went too");
    }
    // The app's XDG_DATA_HOME (testkit::app): the freedesktop trash is there.
    let trash = data.path().join("webview/data/Trash/files");
    let trashed: Vec<String> = std::fs::read_dir(&trash)
        .unwrap_or_else(|e| panic!("no trash at {}: {e}", trash.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        trashed.iter().any(|n| n.starts_with("dora-2024-08-01_12-00-00")),
        "{trashed:?}"
    );
    assert_eq!(
        trashed.iter().filter(|n| n.starts_with("segment_")).count(),
        2,
        "{trashed:?}"
    );
    app.close().await;
}
