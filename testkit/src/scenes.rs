//! The scenes the app's end-to-end tests start from: a connected app, a synced one, the
//! player open on a video. Shared by every `app_*` test file.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::Path;

use m3u8v_core::sources::bucket::PROFILE_FILE;
use m3u8v_core::{Profile, Secret};

use crate::app::{App, card};
use crate::media::{BUCKET, VIDEOS, library_server};
use crate::servers::{SECRET_KEY, Server};

/// Saves a profile for `server` in `data_dir` and its secret in the OS keychain: the app
/// then starts connected, as after a first run.
pub fn seed_profile(server: &Server, data_dir: &Path) -> Profile {
    let profile = server.profile(BUCKET);
    profile.save(&data_dir.join(PROFILE_FILE)).expect("profile saved");
    profile
        .store_secret(&Secret::new(SECRET_KEY))
        .expect("the secret stored in the OS keychain (is a Secret Service running? use scripts/e2e)");
    profile
}

/// A launched app on a fresh data folder, connected to a bucket holding the library.
pub async fn connected(test: &str) -> (Server, tempfile::TempDir, App) {
    let server = library_server().await;
    let data = tempfile::tempdir().expect("a data folder");
    seed_profile(&server, data.path());
    let app = App::launch(test, data.path()).await;
    app.wait_for("[data-testid=library]").await;
    (server, data, app)
}

/// Clicks sync and waits for its result; answers whether progress was seen on the way
/// (six objects may list faster than a poll).
pub async fn sync_via_ui(app: &App) -> bool {
    app.click("[data-testid=sync-start]").await;
    let saw_progress = Cell::new(false);
    app.until("the sync to finish ([data-testid=sync-result])", async |app: &App| {
        if app.count("[data-testid=sync-progress]").await > 0 {
            saw_progress.set(true);
        }
        Ok((app.count("[data-testid=sync-result]").await > 0).then_some(()))
    })
    .await;
    saw_progress.get()
}

pub fn all_keys() -> BTreeSet<String> {
    VIDEOS.iter().map(|v| v.key.to_owned()).collect()
}

pub fn keys_of(creator: &str) -> BTreeSet<String> {
    VIDEOS
        .iter()
        .filter(|v| v.creator == creator)
        .map(|v| v.key.to_owned())
        .collect()
}

pub fn as_set(keys: &[String]) -> BTreeSet<String> {
    keys.iter().cloned().collect()
}

/// A launched, connected app whose catalog was filled by a sync through the UI.
pub async fn synced(test: &str) -> (Server, tempfile::TempDir, App) {
    let (server, data, app) = connected(test).await;
    sync_via_ui(&app).await;
    app.wait_cards("all six videos", |keys| as_set(keys) == all_keys())
        .await;
    (server, data, app)
}

pub async fn open_player(app: &App, key: &str) {
    app.click(&format!("{} [data-testid=card-open]", card(key))).await;
    app.wait_for("[data-testid=player]").await;
}

pub async fn player_src(app: &App) -> String {
    app.js("const v = document.querySelector('[data-testid=player-video]'); return v ? v.currentSrc : ''")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
