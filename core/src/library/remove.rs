//! Deleting a video for good: its object, its own preview segments, then its catalog row
//! and user state. Objects go first, so a failure part-way leaves the catalog row in
//! place and running the same delete again finishes the job; deleting what is already
//! gone succeeds, so it is idempotent.
//!
//! Which segments are its own: those of the folder named by its stem always (no other
//! video has that stem). A folder named by its timestamp (the original layout) can be
//! linked by another video recorded in the same second by another creator; such a folder
//! is kept whenever another video in the catalog has the same timestamp.

use std::sync::Arc;

use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::catalog::{Catalog, CatalogError};
use crate::keys::{ObjectKind, PREVIEWS_PREFIX, classify, parse_video};
use crate::sources::{ObjectEntry, Source, SourceError};

#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    #[error("{0:?} is not a video key")]
    NotAVideo(String),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("could not delete {} of {total} files of the video; first: {}: {}", failed.len(), failed[0].0, failed[0].1)]
    DeleteFailed {
        failed: Vec<(String, String)>,
        total: usize,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("the delete stopped abnormally")]
    Aborted(#[source] tokio::task::JoinError),
}

crate::catalog::wraps_catalog_error!(RemoveError);

impl RemoveError {
    pub fn is_transient(&self) -> bool {
        match self {
            RemoveError::Source(e) => e.is_transient(),
            RemoveError::Catalog(e) => e.is_transient(),
            RemoveError::DeleteFailed { .. } => true,
            RemoveError::NotAVideo(_) | RemoveError::Aborted(_) => false,
        }
    }
}

/// What a delete did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Removal {
    pub key: String,
    /// Whether the catalog had the video (false when it was already removed).
    pub was_in_catalog: bool,
    /// Its preview segments that were deleted.
    pub preview_segments: Vec<String>,
    /// Segments of a shared timestamp folder that were left for the other videos.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shared_segments_kept: usize,
    /// Of an HLS video: the parts its playlists name that were deleted with it (a part
    /// another video's playlist names too is left).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stream_parts_deleted: usize,
}

/// What would be deleted, computed before anything is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Targets {
    segments: Vec<String>,
    /// Preview folders whose catalog rows go with the video.
    folders: Vec<String>,
    shared_kept: usize,
}

/// Deletes the video `key` with its own preview segments from `source` (a folder's go
/// to the OS trash), then from the catalog.
pub async fn remove_video(catalog: &Arc<Catalog>, source: &Source, key: &str) -> Result<Removal, RemoveError> {
    let video = parse_video(key)
        .filter(|_| !key.starts_with(PREVIEWS_PREFIX))
        .ok_or_else(|| RemoveError::NotAVideo(key.to_owned()))?;
    let segments_in = |objects: Vec<ObjectEntry>| -> Vec<String> {
        objects
            .into_iter()
            .filter(|o| matches!(classify(&o.key), ObjectKind::PreviewSegment(_)))
            .map(|o| o.key)
            .collect()
    };
    let own = segments_in(source.list_prefix(&format!("{PREVIEWS_PREFIX}{}/", video.stem)).await?);
    let mut targets = Targets {
        segments: own,
        folders: vec![video.stem.clone()],
        shared_kept: 0,
    };
    if targets.segments.is_empty()
        && let (Some(stamp), Some(recorded_at)) = (&video.stamp, video.recorded_at)
    {
        let by_stamp = segments_in(source.list_prefix(&format!("{PREVIEWS_PREFIX}{stamp}/")).await?);
        let (reading, owner) = (catalog.clone(), key.to_owned());
        let shared = tokio::task::spawn_blocking(move || others_with_stamp(&reading, &owner, recorded_at))
            .await
            .map_err(RemoveError::Aborted)??;
        if shared {
            targets.shared_kept = by_stamp.len();
        } else {
            targets.segments = by_stamp;
            targets.folders.push(stamp.clone());
        }
    }

    let parts = if video.is_playlist {
        let (reading, owner) = (catalog.clone(), key.to_owned());
        tokio::task::spawn_blocking(move || reading.own_stream_parts(&owner))
            .await
            .map_err(RemoveError::Aborted)??
    } else {
        Vec::new()
    };

    // The playlist last: a delete that fails part-way leaves a video that still names
    // what is left of it, and deleting it again finishes the job.
    let mut keys = Vec::with_capacity(targets.segments.len() + parts.len() + 1);
    keys.extend(targets.segments.iter().cloned());
    keys.extend(parts.iter().cloned());
    keys.push(key.to_owned());
    let deleted = source.delete(&keys).await;
    if !deleted.failed.is_empty() {
        return Err(RemoveError::DeleteFailed {
            failed: deleted.failed,
            total: keys.len(),
        });
    }
    let (writing, owner, forgotten) = (catalog.clone(), key.to_owned(), targets.clone());
    let was_in_catalog = tokio::task::spawn_blocking(move || writing.write(|tx| forget(tx, &owner, &forgotten)))
        .await
        .map_err(RemoveError::Aborted)??;
    Ok(Removal {
        key: key.to_owned(),
        was_in_catalog,
        preview_segments: targets.segments,
        shared_segments_kept: targets.shared_kept,
        stream_parts_deleted: parts.len(),
    })
}

/// Videos deleted at once by [`remove_videos`]: each is a few requests (list its
/// previews, delete), so a handful in flight hides the round trips to a remote bucket
/// without flooding it.
const AT_ONCE: usize = 4;

/// What deleting several videos did: the ones removed, and the ones that failed with why
/// (left in the catalog, as a failed single delete leaves its video).
#[derive(Debug)]
pub struct BulkRemoval {
    pub removed: Vec<Removal>,
    pub failed: Vec<(String, RemoveError)>,
}

/// Deletes each of `keys` as [`remove_video`] does, a few at a time. One failure stops
/// none of the others.
pub async fn remove_videos(catalog: &Arc<Catalog>, source: &Source, keys: &[String]) -> BulkRemoval {
    let mut done = BulkRemoval {
        removed: Vec::with_capacity(keys.len()),
        failed: Vec::new(),
    };
    // In batches of a few, in the order asked.
    for batch in keys.chunks(AT_ONCE) {
        let outcomes = futures_util::future::join_all(batch.iter().map(|key| remove_video(catalog, source, key))).await;
        for (key, outcome) in batch.iter().zip(outcomes) {
            match outcome {
                Ok(removal) => done.removed.push(removal),
                Err(e) => done.failed.push((key.clone(), e)),
            }
        }
    }
    done
}

/// Whether another video in the catalog carries the timestamp `stamp`.
fn others_with_stamp(catalog: &Catalog, key: &str, recorded_at: i64) -> Result<bool, CatalogError> {
    // A stamp is one recording time: same stamp, same recorded_at. The date index finds
    // them (sort_date is recorded_at whenever there is one) without reading every key.
    let conn = catalog.reader()?;
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM videos WHERE sort_date = ?1 AND recorded_at = ?1 AND key <> ?2)",
    )?;
    Ok(stmt.query_row(params![recorded_at, key], |r| r.get(0))?)
}

/// Removes the video's row, its user state and its segments' rows. Returns whether the
/// row was there.
fn forget(tx: &Transaction, key: &str, targets: &Targets) -> Result<bool, CatalogError> {
    let removed = tx.execute("DELETE FROM videos WHERE key = ?1", [key])?;
    tx.execute("DELETE FROM user_state WHERE key = ?1", [key])?;
    let mut by_key = tx.prepare_cached("DELETE FROM preview_segments WHERE key = ?1")?;
    for segment in &targets.segments {
        by_key.execute([segment])?;
    }
    let mut by_folder = tx.prepare_cached("DELETE FROM preview_segments WHERE folder = ?1")?;
    for folder in &targets.folders {
        by_folder.execute([folder])?;
    }
    Ok(removed > 0)
}
