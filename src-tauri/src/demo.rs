//! The demo library: 40 short clips of 5 invented creators with previews, predictions and
//! a few favorites (made by `scripts/make-demo`, committed under `src-tauri/demo/`),
//! carried inside the app so it works on any machine without ffmpeg or a network. Chosen
//! on first run, it is copied into the data folder and opened as an ordinary folder
//! library: browse, preview, play, delete to the trash.

use std::path::Path;
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use m3u8v_core::{CancellationToken, FolderSettings, SourceSettings, SyncOptions};

use crate::error::{AppError, ErrorKind};
use crate::state::AppState;

static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/demo");

/// The folder the demo's videos are copied to, inside the data folder.
const FOLDER: &str = "Demo library";
const NAME: &str = "Demo";

/// Copies the demo's videos into `target`: a file already there with the same size is
/// left as it is (the user's copy), so choosing the demo twice changes nothing.
fn copy_videos(target: &Path) -> std::io::Result<usize> {
    let library = DEMO
        .get_dir("library")
        .ok_or_else(|| std::io::Error::other("the app carries no demo library"))?;
    let mut copied = 0;
    let mut pending = vec![library];
    while let Some(dir) = pending.pop() {
        pending.extend(dir.dirs());
        for file in dir.files() {
            let relative = file.path().strip_prefix("library").unwrap_or(file.path());
            let path = target.join(relative);
            if std::fs::metadata(&path).is_ok_and(|m| m.len() == file.contents().len() as u64) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, file.contents())?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn text(name: &str) -> &'static str {
    DEMO.get_file(name).and_then(|f| f.contents_utf8()).unwrap_or_default()
}

/// Opens the demo library, adding it (copied, synced, scored) the first time.
pub async fn open(state: &Arc<AppState>) -> Result<(), AppError> {
    let data_dir = state
        .data_dir
        .clone()
        .ok_or_else(|| AppError::new(ErrorKind::CatalogUnavailable, "no data folder: set M3U8V_DATA_DIR"))?;
    let target = data_dir.join(FOLDER);
    let existing = state.with_libraries(|l| Ok(l.find_folder(&target).map(|e| e.id.clone())))?;
    if let Some(id) = existing {
        return state.switch_to(&id).await;
    }
    let copying = target.clone();
    let copied = tauri::async_runtime::spawn_blocking(move || copy_videos(&copying)).await??;
    tracing::info!(copied, folder = %target.display(), "demo library copied");

    let settings = SourceSettings::Folder(FolderSettings { path: target });
    let entry = state.with_libraries(|l| {
        let name = super::commands::settings::free_name(l, NAME);
        let entry = l.add(&name, settings)?;
        l.set_active(&entry.id)?;
        Ok(entry)
    })?;
    let opened = state.open_entry(&entry, None).await;
    let (catalog, source) = (opened.catalog()?, opened.source()?);
    state.install(opened);
    m3u8v_core::sync(
        &catalog,
        &source,
        SyncOptions::default(),
        Arc::new(|_| {}),
        &CancellationToken::new(),
    )
    .await?;
    let scoring = catalog.clone();
    tauri::async_runtime::spawn_blocking(move || -> Result<(), AppError> {
        let report = scoring
            .import_predictions(text("predictions.jsonl").as_bytes())
            .map_err(|e| AppError::new(ErrorKind::Internal, crate::error::message(&e)))?;
        tracing::debug!(?report, "demo predictions");
        for key in text("favorites.txt").lines().map(str::trim).filter(|k| !k.is_empty()) {
            scoring.set_favorite(key, true)?;
        }
        Ok(())
    })
    .await??;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_carried_whole_and_copies_once() {
        let dir = tempfile::tempdir().unwrap();
        let copied = copy_videos(dir.path()).unwrap();
        assert!(copied >= 40 * 3, "{copied} files");
        let videos = walk(dir.path())
            .into_iter()
            .filter(|p| !p.contains("previews/"))
            .count();
        assert_eq!(videos, 40);
        assert_eq!(copy_videos(dir.path()).unwrap(), 0, "a second copy rewrites nothing");
        let scored = text("predictions.jsonl").lines().count();
        assert!((30..40).contains(&scored), "{scored} scored");
        assert_eq!(
            text("favorites.txt").lines().filter(|l| !l.trim().is_empty()).count(),
            3
        );
    }

    fn walk(root: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
                }
            }
        }
        out
    }
}
