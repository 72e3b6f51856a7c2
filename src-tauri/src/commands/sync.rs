//! Syncing the open library's catalog with its source, with progress streamed to the UI
//! and a cancel.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use m3u8v_core::{SyncOptions, SyncPhase, SyncProgress, SyncReport};
use tauri::ipc::Channel;

use super::App;
use crate::error::AppError;

/// Progress events at most this often (phase changes always go out): a listing page
/// of 1,000 objects can come every few milliseconds.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Lists the library's source and brings the catalog to match it, writing as it lists.
/// Browsing goes on meanwhile: reads use their own connections, and the grid refreshes
/// as batches land (the catalog watch). `prune_all` removes videos the source no longer
/// has even when that is most of the library (they are kept and marked missing otherwise).
#[tauri::command]
pub async fn sync_library(
    app: App<'_>,
    prune_all: bool,
    on_progress: Channel<SyncProgress>,
) -> Result<SyncReport, AppError> {
    let state = app.inner().clone();
    let slot = state.begin_sync()?;
    let open = state.current();
    let (catalog, source) = (open.catalog()?, open.source()?);
    let options = SyncOptions {
        prune_all,
        ..SyncOptions::default()
    };
    let last = Mutex::new((Instant::now() - PROGRESS_EVERY, SyncPhase::Listing));
    let progress = Arc::new(move |p: &SyncProgress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if last.0.elapsed() >= PROGRESS_EVERY || last.1 != p.phase {
            *last = (Instant::now(), p.phase);
            // A closed window is not a reason to stop the sync.
            let _ = on_progress.send(p.clone());
        }
    });
    Ok(m3u8v_core::sync(&catalog, &source, options, progress, &slot.cancel).await?)
}

/// Stops the running sync between two batches; false when none runs.
#[tauri::command]
pub fn cancel_sync(app: App<'_>) -> bool {
    app.cancel_sync()
}
