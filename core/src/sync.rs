//! Bringing the catalog to match the bucket: list, compute a plan (plain data: what to
//! insert, update and remove), then apply it in batched transactions.
//!
//! Safety rules: a listing that failed part-way removes nothing (nothing is written
//! before the listing is whole); a listing that would remove more than half the library
//! removes nothing unless `prune_all` says so; every batch is its own transaction, so a
//! process killed at any moment leaves a consistent catalog and the next sync, which
//! computes its plan afresh, finishes the job. User state is keyed apart from the video
//! rows (`user_state`), so removing a video and syncing it back loses nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::catalog::{Catalog, CatalogError};
use crate::ingest::{IngestError, NewVideo, upsert_videos};
use crate::keys::{ObjectKind, classify};
use crate::listing::{Library, ListingOptions};
use crate::storage::{ObjectEntry, StorageError};

/// Rows per write transaction: large enough that commits cost little, small enough that
/// the writer lock is held for well under a second.
pub const DEFAULT_BATCH: usize = 5_000;

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
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Catalog(e.into())
    }
}

impl SyncError {
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Storage(e) => e.is_transient(),
            SyncError::Catalog(e) => e.is_transient(),
            SyncError::Ingest(IngestError::Catalog(e)) => e.is_transient(),
            SyncError::Ingest(_) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    Listing,
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

/// A preview segment as the catalog stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRow {
    pub key: String,
    pub folder: String,
    pub size: u64,
    pub last_modified: i64,
    pub etag: Option<String>,
}

/// What the catalog holds, as the plan compares it: key -> (size, last modified, ETag).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogState {
    pub videos: HashMap<String, (u64, i64, Option<String>)>,
    pub segments: HashMap<String, (u64, i64, Option<String>)>,
}

/// The difference between a listing and the catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// New and changed videos (the write path tells them apart).
    pub upsert_videos: Vec<NewVideo>,
    pub new_videos: u64,
    pub changed_videos: u64,
    pub remove_videos: Vec<String>,
    pub upsert_segments: Vec<SegmentRow>,
    pub remove_segments: Vec<String>,
    /// Videos in the catalog before the sync.
    pub library_videos: u64,
    pub listed_videos: u64,
    pub listed_segments: u64,
    /// Objects that are neither videos nor preview segments (covers, notes, markers).
    pub other_objects: u64,
    pub videos_without_previews: u64,
    /// Preview folders no listed video links to.
    pub unlinked_preview_folders: u64,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.upsert_videos.is_empty()
            && self.remove_videos.is_empty()
            && self.upsert_segments.is_empty()
            && self.remove_segments.is_empty()
    }

    /// Whether applying the removals would take away most of the library: what an empty
    /// or wrong listing (another bucket, a permission change) looks like.
    pub fn removes_most_of_the_library(&self) -> bool {
        !self.remove_videos.is_empty() && self.remove_videos.len() as u64 * 2 > self.library_videos
    }
}

/// Computes the plan. Pure: no catalog, no network.
pub fn plan(state: &CatalogState, listing: &[ObjectEntry]) -> Plan {
    let mut plan = Plan {
        library_videos: state.videos.len() as u64,
        ..Plan::default()
    };
    let mut listed_videos: HashSet<&str> = HashSet::new();
    let mut listed_segments: HashSet<&str> = HashSet::new();
    let mut folders: HashMap<String, bool> = HashMap::new();
    let mut video_folders: Vec<(String, Option<String>)> = Vec::new();
    for entry in listing {
        match classify(&entry.key) {
            ObjectKind::Video(video) => {
                if !listed_videos.insert(&entry.key) {
                    continue;
                }
                video_folders.push((video.stem, video.stamp));
                let listed = (entry.size, entry.last_modified, entry.etag.clone());
                match state.videos.get(&entry.key) {
                    Some(known) if *known == listed => continue,
                    Some(_) => plan.changed_videos += 1,
                    None => plan.new_videos += 1,
                }
                plan.upsert_videos.push(NewVideo {
                    key: entry.key.clone(),
                    size: entry.size,
                    last_modified: entry.last_modified,
                    etag: entry.etag.clone(),
                    initial: Default::default(),
                });
            }
            ObjectKind::PreviewSegment(segment) => {
                if !listed_segments.insert(&entry.key) {
                    continue;
                }
                folders.entry(segment.folder.clone()).or_insert(false);
                let listed = (entry.size, entry.last_modified, entry.etag.clone());
                if state.segments.get(&entry.key) != Some(&listed) {
                    plan.upsert_segments.push(SegmentRow {
                        key: entry.key.clone(),
                        folder: segment.folder,
                        size: entry.size,
                        last_modified: entry.last_modified,
                        etag: entry.etag.clone(),
                    });
                }
            }
            ObjectKind::Other => plan.other_objects += 1,
        }
    }
    // The same rule as the catalog's: the stem folder when there is one, else the stamp's.
    for (stem, stamp) in &video_folders {
        let linked = [Some(stem.as_str()), stamp.as_deref()]
            .into_iter()
            .flatten()
            .find(|name| folders.contains_key(*name));
        match linked.and_then(|name| folders.get_mut(name)) {
            Some(seen) => *seen = true,
            None => plan.videos_without_previews += 1,
        }
    }
    plan.unlinked_preview_folders = folders.values().filter(|linked| !**linked).count() as u64;
    plan.listed_videos = listed_videos.len() as u64;
    plan.listed_segments = listed_segments.len() as u64;
    plan.remove_videos = state
        .videos
        .keys()
        .filter(|k| !listed_videos.contains(k.as_str()))
        .cloned()
        .collect();
    plan.remove_segments = state
        .segments
        .keys()
        .filter(|k| !listed_segments.contains(k.as_str()))
        .cloned()
        .collect();
    // Sorted so that batches, and a resumed sync, go through keys in a stable order.
    plan.remove_videos.sort();
    plan.remove_segments.sort();
    plan
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
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segments_written: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segments_removed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_without_previews: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unlinked_preview_folders: u64,
    /// Videos the listing no longer has but that were kept, because removing them would
    /// take most of the library and `prune_all` was not given.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub removal_held_back: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub library_videos: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub listing_ms: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

impl SyncReport {
    /// One line for the terminal.
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
        if self.removal_held_back > 0 {
            line.push_str(&format!(
                "; {} of {} videos are gone from the bucket and were NOT removed (run with --prune-all if that is right)",
                self.removal_held_back, self.library_videos
            ));
        }
        line
    }
}

/// Lists `library` and brings `catalog` to match it, reporting progress to `progress`.
pub async fn sync(
    catalog: &Catalog,
    library: &Library,
    options: SyncOptions,
    progress: &(dyn Fn(&SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let listed = Arc::new(AtomicU64::new(0));
    let counter = listed.clone();
    let listing = library
        .list_all(options.listing, listed.clone(), || {
            progress(&progress_at(
                SyncPhase::Listing,
                counter.load(Ordering::Relaxed),
                &SyncReport::default(),
                started,
            ));
        })
        .await?;
    let listing_ms = started.elapsed().as_millis() as u64;
    let state = catalog_state(catalog)?;
    let plan = plan(&state, &listing);
    let mut report = SyncReport {
        objects_listed: listed.load(Ordering::Relaxed),
        listing_ms,
        ..SyncReport::default()
    };
    apply(catalog, &plan, &options, &mut report, &|r| {
        progress(&progress_at(SyncPhase::Writing, r.objects_listed, r, started));
    })?;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    progress(&progress_at(SyncPhase::Done, report.objects_listed, &report, started));
    Ok(report)
}

fn progress_at(phase: SyncPhase, objects_listed: u64, report: &SyncReport, started: Instant) -> SyncProgress {
    let elapsed = started.elapsed();
    SyncProgress {
        phase,
        objects_listed,
        videos_added: report.videos_added,
        videos_updated: report.videos_updated,
        videos_removed: report.videos_removed,
        elapsed_ms: elapsed.as_millis() as u64,
        rate: objects_listed as f64 / elapsed.as_secs_f64().max(1e-3),
    }
}

/// Reads what the catalog holds, from a reader (a sync never blocks browsing).
pub fn catalog_state(catalog: &Catalog) -> Result<CatalogState, CatalogError> {
    let conn = catalog.reader()?;
    let mut state = CatalogState::default();
    let mut stmt = conn.prepare("SELECT key, size, last_modified, etag FROM videos")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get(2)?, r.get(3)?),
        ))
    })?;
    for row in rows {
        let (key, value) = row?;
        state.videos.insert(key, value);
    }
    let mut stmt = conn.prepare("SELECT key, size, last_modified, etag FROM preview_segments")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get(2)?, r.get(3)?),
        ))
    })?;
    for row in rows {
        let (key, value) = row?;
        state.segments.insert(key, value);
    }
    Ok(state)
}

/// Applies `plan` batch by batch. An empty plan writes nothing at all.
pub fn apply(
    catalog: &Catalog,
    plan: &Plan,
    options: &SyncOptions,
    report: &mut SyncReport,
    progress: &dyn Fn(&SyncReport),
) -> Result<(), SyncError> {
    report.videos_listed = plan.listed_videos;
    report.segments_listed = plan.listed_segments;
    report.other_objects = plan.other_objects;
    report.videos_without_previews = plan.videos_without_previews;
    report.unlinked_preview_folders = plan.unlinked_preview_folders;
    report.library_videos = plan.library_videos;
    let batch = options.batch.max(1);

    if plan.library_videos == 0 && !plan.upsert_videos.is_empty() {
        // A first sync: the bulk path builds the indexes once at the end, in one
        // transaction (all or nothing, like a batch).
        let done = catalog.load_videos(plan.upsert_videos.iter().cloned(), |n| {
            report.videos_added = n;
            progress(report);
        })?;
        report.videos_added = done.inserted;
        report.videos_updated = done.updated;
    } else {
        for chunk in plan.upsert_videos.chunks(batch) {
            let done = catalog.write(|tx| upsert_videos(tx, chunk))?;
            report.videos_added += done.inserted;
            report.videos_updated += done.updated;
            progress(report);
        }
    }
    for chunk in plan.upsert_segments.chunks(batch) {
        catalog.write(|tx| write_segments(tx, chunk))?;
        report.segments_written += chunk.len() as u64;
        progress(report);
    }

    if plan.removes_most_of_the_library() && !options.prune_all {
        report.removal_held_back = plan.remove_videos.len() as u64;
        tracing::warn!(
            gone = plan.remove_videos.len(),
            library = plan.library_videos,
            "removal held back"
        );
        return Ok(());
    }
    for chunk in plan.remove_videos.chunks(batch) {
        report.videos_removed += catalog.write(|tx| delete_keys(tx, "DELETE FROM videos WHERE key = ?", chunk))?;
        progress(report);
    }
    for chunk in plan.remove_segments.chunks(batch) {
        report.segments_removed +=
            catalog.write(|tx| delete_keys(tx, "DELETE FROM preview_segments WHERE key = ?", chunk))?;
        progress(report);
    }
    Ok(())
}

fn write_segments(tx: &Transaction, segments: &[SegmentRow]) -> Result<(), SyncError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO preview_segments (key, folder, size, last_modified, etag) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key) DO UPDATE SET folder = excluded.folder, size = excluded.size,
                                         last_modified = excluded.last_modified, etag = excluded.etag",
    )?;
    for s in segments {
        stmt.execute(params![s.key, s.folder, s.size as i64, s.last_modified, s.etag])?;
    }
    Ok(())
}

fn delete_keys(tx: &Transaction, sql: &'static str, keys: &[String]) -> Result<u64, SyncError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let mut removed = 0;
    for key in keys {
        removed += stmt.execute([key])? as u64;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests;
