//! The selection bar: bulk actions over picked videos or over all results of a filter,
//! each one call into core (one statement for marks), never one IPC call per video.

use std::sync::Arc;

use m3u8v_core::{Mark, Selection, SelectionSize, remove_videos};
use serde::Serialize;

use super::{App, with_catalog};
use crate::error::{AppError, message};

/// Sets `mark` on every video of the selection; returns how many changed.
#[tauri::command]
pub async fn mark_selection(app: App<'_>, selection: Selection, mark: Mark) -> Result<u64, AppError> {
    with_catalog(&app, move |catalog| catalog.mark_selection(&selection, mark)).await
}

/// How many videos the selection holds and their size: what the delete question names.
#[tauri::command]
pub async fn selection_size(app: App<'_>, selection: Selection) -> Result<SelectionSize, AppError> {
    with_catalog(&app, move |catalog| catalog.selection_size(&selection)).await
}

/// A video a bulk delete could not remove, and why in words.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FailedDelete {
    pub key: String,
    pub message: String,
}

/// What a bulk delete did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkDeleteReport {
    /// Keys removed (from the source and the catalog).
    pub removed: Vec<String>,
    pub failed: Vec<FailedDelete>,
}

/// Deletes every video of the selection with its own previews, a few at a time; those
/// that fail stay and are reported with why.
#[tauri::command]
pub async fn delete_selection(app: App<'_>, selection: Selection) -> Result<BulkDeleteReport, AppError> {
    let open = app.current();
    let (catalog, source): (Arc<_>, Arc<_>) = (open.catalog()?, open.source()?);
    let keys = with_catalog(&app, move |catalog| catalog.selection_keys(&selection)).await?;
    let done = remove_videos(&catalog, &source, &keys).await;
    let removed: Vec<String> = done.removed.into_iter().map(|r| r.key).collect();
    super::posters::forget_posters(&open, removed.clone()).await;
    Ok(BulkDeleteReport {
        removed,
        failed: done
            .failed
            .into_iter()
            .map(|(key, e)| FailedDelete {
                key,
                message: message(&e),
            })
            .collect(),
    })
}
