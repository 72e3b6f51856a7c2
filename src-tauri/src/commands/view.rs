//! The view of a library as the user left it (sort, filters, card size, scroll
//! position), kept beside its catalog so it comes back after a restart. Its shape is the
//! UI's own; here it is stored as the JSON it is, within a size limit.

use serde_json::Value;

use super::App;
use crate::error::{AppError, ErrorKind};

const VIEW_FILE: &str = "view.json";
/// A view is a handful of fields; anything bigger is not one.
const MAX_BYTES: usize = 64 * 1024;

/// The saved view of the open library; `null` when there is none (or it is unreadable:
/// the UI then starts from its defaults).
#[tauri::command]
pub async fn get_view(app: App<'_>) -> Result<Option<Value>, AppError> {
    let open = app.current();
    if open.id.is_empty() {
        return Ok(None);
    }
    let path = open.folder.join(VIEW_FILE);
    Ok(match tokio::fs::read(&path).await {
        Ok(bytes) => serde_json::from_slice(&bytes).ok(),
        Err(_) => None,
    })
}

#[tauri::command]
pub async fn save_view(app: App<'_>, view: Value) -> Result<(), AppError> {
    let open = app.current();
    if open.id.is_empty() {
        return Ok(());
    }
    let bytes = serde_json::to_vec(&view).map_err(|e| AppError::new(ErrorKind::Invalid, e.to_string()))?;
    if bytes.len() > MAX_BYTES {
        return Err(AppError::new(
            ErrorKind::Invalid,
            format!("a view of {} bytes is too big to keep", bytes.len()),
        ));
    }
    tokio::fs::create_dir_all(&open.folder).await?;
    // Whole or not at all: a crash mid-write leaves the last view.
    let temp = open.folder.join(format!("{VIEW_FILE}.tmp"));
    tokio::fs::write(&temp, &bytes).await?;
    tokio::fs::rename(&temp, open.folder.join(VIEW_FILE)).await?;
    Ok(())
}
