//! Writing a plan into the catalog, in transactions of at most `batch` rows: each one
//! lands whole or not at all, and a process killed at any moment leaves a consistent
//! catalog for the next sync, which computes its plan afresh, to finish.

use rusqlite::{Transaction, params};

use super::SyncError;
use super::plan::{Additions, CatalogState, KnownVideo, Removals, SegmentRow};
use crate::catalog::ingest::{set_aside_indexes_and_triggers, upsert_videos};
use crate::catalog::{Catalog, CatalogError};
use crate::keys::is_playlist_key;

/// What writing a batch of additions did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    pub videos_added: u64,
    pub videos_updated: u64,
    pub found_again: u64,
    pub segments_written: u64,
}

/// What applying the removals did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub videos_removed: u64,
    pub segments_removed: u64,
    /// Kept and marked missing, because removing would take most of the library.
    pub marked_missing: u64,
}

/// Reads what the catalog holds, from a reader (a sync never blocks browsing).
pub fn catalog_state(catalog: &Catalog) -> Result<CatalogState, CatalogError> {
    let conn = catalog.reader()?;
    let mut state = CatalogState::default();
    let mut stmt = conn.prepare("SELECT key, size, last_modified, etag, missing_since FROM videos")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            KnownVideo {
                size: r.get::<_, i64>(1)? as u64,
                last_modified: r.get(2)?,
                etag: r.get(3)?,
                missing: r.get::<_, i64>(4)? != 0,
                unread: false,
            },
        ))
    })?;
    for row in rows {
        let (key, mut known) = row?;
        known.unread = is_playlist_key(&key);
        state.add_video(key, known);
    }
    // An HLS video's row has the whole video's size; the playlist's own, as it was when
    // read, is what tells whether it changed. Read apart from the videos, rather than
    // joined to each of a million rows that mostly are single files.
    let mut stmt = conn.prepare("SELECT v.key, p.size FROM stream_playlists p JOIN videos v ON v.id = p.video_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
    for row in rows {
        let (key, size) = row?;
        if let Some(known) = state.video_mut(&key) {
            known.size = size;
            known.unread = false;
        }
    }
    let mut stmt = conn.prepare("SELECT key, size FROM stream_parts")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.map(|s| s as u64)))
    })?;
    for row in rows {
        let (key, size) = row?;
        state.add_part(key, size);
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
        state.add_segment(key, value);
    }
    Ok(state)
}

/// Writes one batch of additions. An empty batch writes nothing at all.
pub fn apply_additions(catalog: &Catalog, additions: &Additions, batch: usize) -> Result<Added, SyncError> {
    let batch = batch.max(1);
    let mut done = Added::default();
    for chunk in additions.upsert_videos.chunks(batch) {
        let step = catalog.write(|tx| upsert_videos(tx, chunk))?;
        done.videos_added += step.inserted;
        done.videos_updated += step.updated;
    }
    for chunk in additions.found_again.chunks(batch) {
        done.found_again += catalog.write(|tx| {
            run_per_key(
                tx,
                "UPDATE videos SET missing_since = 0 WHERE key = ?1 AND missing_since <> 0",
                chunk,
            )
        })?;
    }
    for chunk in additions.upsert_segments.chunks(batch) {
        catalog.write(|tx| write_segments(tx, chunk))?;
        done.segments_written += chunk.len() as u64;
    }
    Ok(done)
}

/// Applies the removals of a whole listing. When they would take most of the library and
/// `prune_all` is not given, nothing is removed: the videos are marked missing (since
/// `now`, Unix ms, or since they first went missing) for the user to decide.
pub fn apply_removals(
    catalog: &Catalog,
    removals: &Removals,
    prune_all: bool,
    batch: usize,
    now: i64,
) -> Result<Removed, SyncError> {
    let batch = batch.max(1);
    let mut done = Removed::default();
    if removals.removes_most_of_the_library() && !prune_all {
        tracing::warn!(
            gone = removals.videos.len(),
            library = removals.library_videos,
            "removal held back; the videos are marked missing"
        );
        for chunk in removals.videos.chunks(batch) {
            catalog.write(|tx| {
                let mut stmt =
                    tx.prepare_cached("UPDATE videos SET missing_since = ?2 WHERE key = ?1 AND missing_since = 0")?;
                for key in chunk {
                    stmt.execute(params![key, now])?;
                }
                Ok::<_, SyncError>(())
            })?;
        }
        done.marked_missing = removals.videos.len() as u64;
        return Ok(done);
    }
    for chunk in removals.videos.chunks(batch) {
        done.videos_removed += catalog.write(|tx| run_per_key(tx, "DELETE FROM videos WHERE key = ?1", chunk))?;
    }
    for chunk in removals.segments.chunks(batch) {
        done.segments_removed +=
            catalog.write(|tx| run_per_key(tx, "DELETE FROM preview_segments WHERE key = ?1", chunk))?;
    }
    Ok(done)
}

/// Writes the preview segments of a first sync's backlog in one transaction, the folder
/// index set aside and built once at the end: cheaper than keeping it sorted row by row
/// when most of the table is new.
pub fn load_new_segments(catalog: &Catalog, segments: &[SegmentRow]) -> Result<u64, SyncError> {
    catalog.write(|tx| {
        let set_aside = set_aside_indexes_and_triggers(tx, "preview_segments")?;
        write_segments(tx, segments)?;
        for sql in &set_aside {
            tx.execute_batch(sql)?;
        }
        Ok(segments.len() as u64)
    })
}

fn write_segments(tx: &Transaction, segments: &[SegmentRow]) -> Result<(), SyncError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO preview_segments (key, folder, size, last_modified, etag) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key) DO UPDATE SET folder = excluded.folder, size = excluded.size,
                                         last_modified = excluded.last_modified, etag = excluded.etag",
    )?;
    // In key order: each insert lands beside the last in the key's B-tree instead of
    // anywhere in it (a walk hands folders over in no particular order).
    let mut ordered: Vec<&SegmentRow> = segments.iter().collect();
    ordered.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    for s in ordered {
        stmt.execute(params![s.key, s.folder, s.size as i64, s.last_modified, s.etag])?;
    }
    Ok(())
}

/// Runs `sql` (one `?1` for the key) for each key; the rows it changed.
fn run_per_key(tx: &Transaction, sql: &'static str, keys: &[String]) -> Result<u64, SyncError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let mut changed = 0;
    for key in keys {
        changed += stmt.execute([key])? as u64;
    }
    Ok(changed)
}
