//! The user's libraries: switch, add a folder, add the demo, rename, remove. Adding a
//! bucket library is Settings' `save_profile`.

use std::path::PathBuf;
use std::sync::Arc;

use m3u8v_core::{FolderSettings, SourceSettings};

use super::App;
use super::settings::{Settings, free_name, settings};
use crate::demo;
use crate::error::AppError;
use crate::state::AppState;

async fn settings_now(state: Arc<AppState>) -> Result<Settings, AppError> {
    Ok(tauri::async_runtime::spawn_blocking(move || settings(&state)).await?)
}

/// Opens another library; the app opens it next time too.
#[tauri::command]
pub async fn open_library(app: App<'_>, id: String) -> Result<Settings, AppError> {
    let state = app.inner().clone();
    state.switch_to(&id).await?;
    settings_now(state).await
}

/// Adds the folder at `path` as a library (named after it unless `name` is given) and
/// opens it. Its first sync is the UI's to start.
#[tauri::command]
pub async fn add_folder_library(app: App<'_>, path: String, name: Option<String>) -> Result<Settings, AppError> {
    let state = app.inner().clone();
    let path = PathBuf::from(path.trim());
    let settings = SourceSettings::Folder(FolderSettings { path: path.clone() });
    // The folder must be there to become a library.
    m3u8v_core::Folder::open(&path, None).map_err(|e| {
        AppError::from(m3u8v_core::SourceError {
            library: name.clone().unwrap_or_default(),
            kind: m3u8v_core::SourceKind::Folder,
            failure: e.into(),
        })
    })?;
    let entry = state.with_libraries(|l| {
        let base = name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Folder".into());
        let name = free_name(l, &base);
        let entry = l.add(&name, settings.clone())?;
        l.set_active(&entry.id)?;
        Ok(entry)
    })?;
    let opened = state.open_entry(&entry, None).await;
    state.install(opened);
    settings_now(state).await
}

/// Copies the demo library into the data folder (once), adds it and opens it, synced,
/// with its predictions and favorites.
#[tauri::command]
pub async fn open_demo_library(app: App<'_>) -> Result<Settings, AppError> {
    let state = app.inner().clone();
    demo::open(&state).await?;
    settings_now(state).await
}

/// Each library's own connection test: one request to its bucket, or a look at its
/// folder. Saves nothing.
#[tauri::command]
pub async fn check_library(app: App<'_>, id: String) -> Result<String, AppError> {
    let state = app.inner().clone();
    let entry = state.with_libraries(|l| Ok(l.find(&id)?.clone()))?;
    let open = state.current();
    let source = match open.source() {
        Ok(source) if open.id == entry.id => source,
        _ => state.connect("check", &entry.name, &entry.source, None, None).await?,
    };
    source.check().await?;
    Ok(match &entry.source {
        SourceSettings::Bucket(p) => format!(
            "Connected: bucket \"{}\" at {} accepts access key {}.",
            p.bucket, p.endpoint, p.access_key_id
        ),
        SourceSettings::Folder(f) => format!("The folder {} is there and can be read.", f.path.display()),
    })
}

#[tauri::command]
pub async fn rename_library(app: App<'_>, id: String, name: String) -> Result<Settings, AppError> {
    let state = app.inner().clone();
    state.with_libraries(|l| Ok(l.rename(&id, &name)?))?;
    if state.current().id == id {
        state.switch_to(&id).await?;
    }
    settings_now(state).await
}

/// Removes a library: its catalog and view go; its bucket or folder is not touched. The
/// next library (if any) opens.
#[tauri::command]
pub async fn remove_library(app: App<'_>, id: String) -> Result<Settings, AppError> {
    let state = app.inner().clone();
    if state.current().id == id {
        // Its catalog must be closed before its file goes.
        state.close();
    }
    let next = state.with_libraries(|l| {
        l.remove(&id)?;
        Ok(l.active().map(|e| e.id.clone()))
    })?;
    if let Some(next) = next
        && state.current().id.is_empty()
    {
        state.switch_to(&next).await?;
    }
    settings_now(state).await
}
