//! Bringing the catalog to match its source: list, plan, apply, as the listing arrives.
//!
//! The listing runs on the async runtime; the catalog is written on the blocking pool,
//! batch by batch as pages come in, so the grid fills during a long first sync. A cancel
//! is checked between batches.
//!
//! Safety rules: nothing is removed until the listing is whole (a listing that failed or
//! was cancelled part-way has only added and updated what it saw); a listing that would
//! remove more than half the library removes nothing unless `prune_all` says so, and
//! marks those videos missing instead; every batch is its own transaction, so a process
//! killed at any moment leaves a consistent catalog and the next sync finishes the job.
//! User state is keyed apart from the video rows (`user_state`), so removing a video and
//! syncing it back loses nothing.

mod apply;
pub mod plan;
mod streams;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub use self::apply::{Added, Removed, apply_additions, apply_removals, catalog_state};
pub use self::plan::{
    Additions, CatalogState, KnownVideo, Plan, Removals, Seen, SegmentRow, additions, part_changes, plan, removals,
};
use crate::catalog::history::SyncRecord;
use crate::catalog::ingest::IngestError;
use crate::catalog::streams::StreamChanges;
use crate::catalog::{Catalog, CatalogError};
use crate::sources::{ListingOptions, ObjectEntry, Source, SourceError};

/// Rows per write transaction: large enough that commits cost little, small enough that
/// the writer lock is held for well under a second.
pub const DEFAULT_BATCH: usize = 5_000;

/// Pages the listing may run ahead of the writer.
const PAGES_AHEAD: usize = 32;

/// A batch is written once it holds this many objects, or once its first page has waited
/// this long: the first videos reach the grid within a second.
const FLUSH_AFTER: Duration = Duration::from_millis(500);

/// A first sync whose listing outran its writes by this many new videos writes the rest
/// in one bulk load (indexes built once at the end) rather than row by row: what a folder,
/// listed in a fraction of a second, always does.
const BULK_AT_LEAST: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Remove whatever the listing does not have, even most of the library.
    pub prune_all: bool,
    pub listing: ListingOptions,
    pub batch: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            prune_all: false,
            listing: ListingOptions::default(),
            batch: DEFAULT_BATCH,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{}", stopped_part_way(written))]
    Listing {
        #[source]
        source: SourceError,
        /// What was written before the listing stopped.
        written: Box<SyncReport>,
    },
    #[error("the sync was cancelled; {}", written_so_far(written))]
    Cancelled { written: Box<SyncReport> },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("the sync stopped abnormally")]
    Aborted(#[source] tokio::task::JoinError),
}

crate::catalog::wraps_catalog_error!(SyncError);

fn written_so_far(report: &SyncReport) -> String {
    if report.videos_added + report.videos_updated == 0 {
        "nothing was changed".into()
    } else {
        format!(
            "{} new and {} changed videos were written before it stopped; nothing was removed",
            report.videos_added, report.videos_updated
        )
    }
}

fn stopped_part_way(report: &SyncReport) -> String {
    format!("the listing stopped part-way; {}", written_so_far(report))
}

impl SyncError {
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Listing { source, .. } => source.is_transient(),
            SyncError::Catalog(e) => e.is_transient(),
            SyncError::Ingest(IngestError::Catalog(e)) => e.is_transient(),
            SyncError::Ingest(_) | SyncError::Cancelled { .. } | SyncError::Aborted(_) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    /// Listing, and writing what it finds as it goes.
    Listing,
    /// The listing is whole: removing what it no longer has.
    Writing,
    Done,
}

/// Where a sync is, for the progress bar and the app's events.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    pub phase: SyncPhase,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub objects_listed: u64,
    /// Objects the last complete listing had: what this one is likely to reach. `None`
    /// on a first sync.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub expected_objects: Option<u64>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_added: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_updated: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_removed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    /// Objects listed per second so far.
    pub rate: f64,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub objects_listed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_listed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segments_listed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub other_objects: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_added: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_updated: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_removed: u64,
    /// Videos marked missing earlier that the source has again.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_found_again: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segments_written: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segments_removed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_without_previews: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unlinked_preview_folders: u64,
    /// Videos the listing no longer has that were kept and marked missing, because
    /// removing them would take most of the library and `prune_all` was not given.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub removal_held_back: u64,
    /// Videos under folders that could not be read, kept as they were.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_unknown: u64,
    /// Objects an HLS playlist may name (segments, keys, variant playlists).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stream_parts_listed: u64,
    /// HLS playlists read (new or changed ones only).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub playlists_read: u64,
    /// Parts of HLS videos whose listed size changed, or that appeared or went.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stream_parts_changed: u64,
    /// Rows taken for videos that a playlist names as its part (an fMP4 init section, a
    /// variant playlist beside its master), removed as videos.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub parts_not_videos: u64,
    /// Entries the listing left out (names that are not text, links out of the folder).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub objects_skipped: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub library_videos: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub listing_ms: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

impl SyncReport {
    /// One line saying what happened.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "listed {} objects ({} videos, {} preview segments) in {:.1}s; videos +{} ~{} -{}; segments written {} removed {}; {:.1}s in all",
            self.objects_listed,
            self.videos_listed,
            self.segments_listed,
            self.listing_ms as f64 / 1000.0,
            self.videos_added,
            self.videos_updated,
            self.videos_removed,
            self.segments_written,
            self.segments_removed,
            self.elapsed_ms as f64 / 1000.0,
        );
        if self.playlists_read > 0 || self.stream_parts_listed > 0 {
            line.push_str(&format!(
                "; HLS: {} parts listed, {} playlists read",
                self.stream_parts_listed, self.playlists_read
            ));
        }
        if self.videos_found_again > 0 {
            line.push_str(&format!("; {} missing videos are back", self.videos_found_again));
        }
        if self.removal_held_back > 0 {
            line.push_str(&format!(
                "; {} of {} videos are missing from the source and were kept, marked missing",
                self.removal_held_back, self.library_videos
            ));
        }
        if self.videos_unknown > 0 {
            line.push_str(&format!(
                "; {} videos are in folders that could not be read and were kept",
                self.videos_unknown
            ));
        }
        line
    }

    fn progress(&self, phase: SyncPhase, expected: Option<u64>, started: Instant) -> SyncProgress {
        let elapsed = started.elapsed();
        SyncProgress {
            phase,
            objects_listed: self.objects_listed,
            expected_objects: expected,
            videos_added: self.videos_added,
            videos_updated: self.videos_updated,
            videos_removed: self.videos_removed,
            elapsed_ms: elapsed.as_millis() as u64,
            rate: self.objects_listed as f64 / elapsed.as_secs_f64().max(1e-3),
        }
    }

    fn add(&mut self, added: Added) {
        self.videos_added += added.videos_added;
        self.videos_updated += added.videos_updated;
        self.videos_found_again += added.found_again;
        self.segments_written += added.segments_written;
    }
}

/// Receives progress, from whichever thread is working.
pub type ProgressFn = Arc<dyn Fn(&SyncProgress) + Send + Sync>;

/// Lists `source` and brings `catalog` to match it, reporting progress to `progress`,
/// stopping between batches when `cancel` fires.
pub async fn sync(
    catalog: &Arc<Catalog>,
    source: &Source,
    options: SyncOptions,
    progress: ProgressFn,
    cancel: &CancellationToken,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let (pages, received) = mpsc::channel::<Vec<ObjectEntry>>(PAGES_AHEAD);
    let writer = Writer {
        catalog: catalog.clone(),
        options,
        progress: progress.clone(),
        cancel: cancel.clone(),
        started,
    };
    let writing = tokio::task::spawn_blocking(move || writer.run(received));
    let listing = async move {
        let listed = source.list(options.listing, &pages).await;
        drop(pages); // the writer sees the end of the pages
        listed
    };
    let listed = tokio::select! {
        listed = listing => Some(listed),
        () = cancel.cancelled() => None,
    };
    let Written {
        state,
        seen,
        mut report,
        expected,
        cancelled,
        playlists,
    } = writing.await.map_err(SyncError::Aborted)??;
    let listed = match listed {
        _ if cancelled => None,
        Some(Ok(listed)) => Some(listed),
        Some(Err(source)) => {
            return Err(SyncError::Listing {
                source,
                written: Box::new(report),
            });
        }
        None => None,
    };
    let Some(listed) = listed else {
        return Err(SyncError::Cancelled {
            written: Box::new(report),
        });
    };
    report.listing_ms = started.elapsed().as_millis() as u64;
    report.objects_skipped = listed.skipped;
    report.videos_listed = seen.videos_listed();
    report.segments_listed = seen.segments_listed();
    report.other_objects = seen.other_objects;
    (report.videos_without_previews, report.unlinked_preview_folders) = seen.preview_links();
    progress(&report.progress(SyncPhase::Writing, expected, started));
    report.stream_parts_listed = seen.stream_parts;
    // HLS playlists are read now that the listing is whole: their parts may come after
    // them in it, and only the listing says which of the parts they name exist.
    let reads = tokio::select! {
        reads = streams::read_playlists(source, &playlists, &state, &seen) => reads,
        () = cancel.cancelled() => {
            return Err(SyncError::Cancelled {
                written: Box::new(report),
            });
        }
    };

    let catalog = catalog.clone();
    let report = tokio::task::spawn_blocking(move || -> Result<SyncReport, SyncError> {
        let removals = removals(&state, &seen, &listed.unreadable);
        report.library_videos = removals.library_videos;
        report.videos_unknown = removals.unknown;
        let now = chrono::Utc::now().timestamp_millis();
        let removed = apply_removals(&catalog, &removals, options.prune_all, options.batch, now)?;
        report.videos_removed = removed.videos_removed;
        report.segments_removed = removed.segments_removed;
        report.removal_held_back = removed.marked_missing;
        // A listing that would take most of the library is not trusted with the parts'
        // sizes either; what was read stays unread and is read next time.
        if removed.marked_missing == 0 {
            let changes = StreamChanges {
                reads,
                part_sizes: part_changes(&state, &seen, &listed.unreadable),
            };
            let written = catalog.write_streams(&changes)?;
            report.playlists_read = written.playlists_read;
            report.parts_not_videos = written.parts_not_videos;
            // Such rows were, nearly always, added by this very sync from their names.
            report.videos_added = report.videos_added.saturating_sub(written.parts_not_videos);
            report.videos_listed = report.videos_listed.saturating_sub(written.parts_not_videos);
            report.stream_parts_changed = changes.part_sizes.len() as u64;
        }
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        // A sync that changed nothing and listed what the last one did writes nothing at
        // all, not even its line of history: no commit, nothing for the app to refresh.
        let changed = report.videos_added
            + report.videos_updated
            + report.videos_removed
            + report.videos_found_again
            + report.segments_written
            + report.segments_removed
            + report.removal_held_back
            + report.playlists_read
            + report.stream_parts_changed
            > 0;
        if changed || expected != Some(report.objects_listed) {
            catalog.record_sync(&SyncRecord {
                finished_at: now,
                objects_listed: report.objects_listed,
                elapsed_ms: report.elapsed_ms,
                videos_added: report.videos_added,
                videos_updated: report.videos_updated,
                videos_removed: report.videos_removed,
                videos_missing: report.removal_held_back,
            })?;
        }
        Ok(report)
    })
    .await
    .map_err(SyncError::Aborted)??;
    progress(&report.progress(SyncPhase::Done, Some(report.objects_listed), started));
    Ok(report)
}

/// The blocking half of a sync: takes the listing's pages and writes them.
struct Writer {
    catalog: Arc<Catalog>,
    options: SyncOptions,
    progress: ProgressFn,
    cancel: CancellationToken,
    started: Instant,
}

/// What the writer leaves for the removals.
struct Written {
    state: CatalogState,
    seen: Seen,
    report: SyncReport,
    expected: Option<u64>,
    cancelled: bool,
    /// HLS playlists to read once the listing is whole.
    playlists: Vec<ObjectEntry>,
}

impl Writer {
    fn run(self, mut received: mpsc::Receiver<Vec<ObjectEntry>>) -> Result<Written, SyncError> {
        let expected = self.catalog.last_sync()?.map(|r| r.objects_listed);
        let state = catalog_state(&self.catalog)?;
        // A first sync writes by time only, so that a listing faster than the writes
        // (a folder) leaves a backlog for the bulk load at the end.
        let first_sync = state.videos() == 0;
        let mut seen = Seen::default();
        let mut report = SyncReport::default();
        // Each page is planned as it arrives, on this thread, while the listing goes on.
        let mut planned = Additions::default();
        let mut waiting_since: Option<Instant> = None;
        let batch = self.options.batch.max(1);
        let mut cancelled = false;
        let mut playlists = Vec::new();
        while let Some(page) = received.blocking_recv() {
            if self.cancel.is_cancelled() {
                cancelled = true;
                break;
            }
            report.objects_listed += page.len() as u64;
            planned.append(additions(&state, &page, &mut seen));
            playlists.append(&mut planned.playlists);
            // The very first batch goes at once, so a first sync shows videos at once.
            let first = report.videos_added == 0 && report.videos_updated == 0;
            let full = !first_sync && planned.len() >= batch;
            // The wait starts with the first page that asked for a write.
            let waited = !planned.is_empty() && waiting_since.get_or_insert_with(Instant::now).elapsed() >= FLUSH_AFTER;
            if !planned.is_empty() && (first || full || waited) {
                let writing = Instant::now();
                report.add(apply_additions(&self.catalog, &std::mem::take(&mut planned), batch)?);
                tracing::debug!(elapsed = ?writing.elapsed(), "wrote a batch");
                waiting_since = None;
            }
            (self.progress)(&report.progress(SyncPhase::Listing, expected, self.started));
        }
        if self.cancel.is_cancelled() {
            cancelled = true;
        }
        tracing::debug!(elapsed = ?self.started.elapsed(), backlog = planned.len(), "listing received");
        if !cancelled && !planned.is_empty() {
            let writing = Instant::now();
            if first_sync && planned.upsert_videos.len() >= BULK_AT_LEAST {
                // Every key here is new: the catalog was empty, and `seen` counts a key once.
                let videos = std::mem::take(&mut planned.upsert_videos);
                let loaded = self.catalog.load_new_videos(videos, |_| {})?;
                report.videos_added += loaded.inserted;
                tracing::debug!(elapsed = ?writing.elapsed(), "bulk-loaded the videos");
                let segments = std::mem::take(&mut planned.upsert_segments);
                report.segments_written += apply::load_new_segments(&self.catalog, &segments)?;
                tracing::debug!(elapsed = ?writing.elapsed(), "bulk-loaded the segments");
            }
            // A first sync's backlog goes in one transaction: batches exist so that a
            // reader sees progress, and the grid already shows the bulk-loaded videos.
            let backlog_batch = if first_sync { usize::MAX } else { batch };
            report.add(apply_additions(&self.catalog, &planned, backlog_batch)?);
            tracing::debug!(elapsed = ?writing.elapsed(), "wrote the backlog");
            (self.progress)(&report.progress(SyncPhase::Listing, expected, self.started));
        }
        Ok(Written {
            state,
            seen,
            report,
            expected,
            cancelled,
            playlists,
        })
    }
}

#[cfg(test)]
mod tests;
