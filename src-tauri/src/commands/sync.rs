//! Syncing the catalog with the bucket, with progress streamed to the UI and a cancel.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use m3u8v_core::{SyncOptions, SyncPhase, SyncProgress, SyncReport};
use tauri::ipc::Channel;

use super::App;
use crate::error::{AppError, ErrorKind};

/// Progress events at most this often (phase changes always go out): a listing page
/// of 1,000 objects can come every few milliseconds.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Lists the bucket and brings the catalog to match it. Browsing goes on meanwhile:
/// reads use their own connections. `prune_all` removes videos the bucket no longer has
/// even when that is most of the library (held back otherwise).
#[tauri::command]
pub async fn sync_library(
    app: App<'_>,
    prune_all: bool,
    on_progress: Channel<SyncProgress>,
) -> Result<SyncReport, AppError> {
    let state = app.inner().clone();
    let slot = state.begin_sync()?;
    let catalog = state.catalog()?;
    let connection = state.connection()?;
    let options = SyncOptions {
        prune_all,
        ..SyncOptions::default()
    };
    let last = Mutex::new((Instant::now() - PROGRESS_EVERY, SyncPhase::Listing));
    let progress = move |p: &SyncProgress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if last.0.elapsed() >= PROGRESS_EVERY || last.1 != p.phase {
            *last = (Instant::now(), p.phase);
            // A closed window is not a reason to stop the sync.
            let _ = on_progress.send(p.clone());
        }
    };
    let work = m3u8v_core::sync(&catalog, &connection.library, options, &progress);
    tokio::select! {
        // Writing is synchronous once the listing is in: a cancel that arrives then
        // waits for the write to finish, so a cancelled sync has written nothing.
        biased;
        result = work => Ok(result?),
        () = slot.stop.notified() => Err(AppError::new(
            ErrorKind::Cancelled,
            "sync cancelled before anything was written; the catalog is as it was",
        )),
    }
}

/// Stops the running sync; false when none runs.
#[tauri::command]
pub fn cancel_sync(app: App<'_>) -> bool {
    app.cancel_sync()
}
