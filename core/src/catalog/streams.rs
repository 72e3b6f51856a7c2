//! HLS videos' parts in the catalog: what reading their playlists found, the listed
//! size of each part, and from those each video's size (the playlist and every part the
//! source has) and how many of its parts are missing.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Catalog, CatalogError};
use crate::keys::is_playlist_key;
use crate::sources::ObjectEntry;

/// What reading one video's playlists found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRead {
    /// The video's playlist, as the listing had it when it was read.
    pub playlist: ObjectEntry,
    /// Every key its playlists name (its variant playlists included), each once, with
    /// the listed object's size: `None` when the source does not have it.
    pub parts: Vec<(String, Option<u64>)>,
    /// URIs that lead out of the source.
    pub outside: u64,
    /// Why the playlist (or one of its variant playlists) is not one.
    pub problem: Option<String>,
}

/// What a sync changes in its HLS videos, written in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamChanges {
    pub reads: Vec<StreamRead>,
    /// Parts whose listed size changed, appeared or went (`None`).
    pub part_sizes: Vec<(String, Option<u64>)>,
}

impl StreamChanges {
    pub fn is_empty(&self) -> bool {
        self.reads.is_empty() && self.part_sizes.is_empty()
    }
}

/// What writing them did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamsWritten {
    pub playlists_read: u64,
    /// Rows taken for videos that a playlist names as its part (an fMP4 init section
    /// `init.mp4`, a variant playlist beside its master): removed as videos.
    pub parts_not_videos: u64,
}

/// Each HLS video's size and missing parts, from its parts: a part the source lacks, a
/// URI out of it and a playlist that cannot be read each count as one missing.
const RECOUNT: &str = "
    UPDATE videos
       SET size = t.total, parts_missing = t.missing
      FROM (SELECT p.video_id,
                   p.size + coalesce((SELECT sum(s.size) FROM stream_parts s WHERE s.video_id = p.video_id), 0) AS total,
                   (SELECT count(*) FROM stream_parts s WHERE s.video_id = p.video_id AND s.size IS NULL)
                     + p.outside + (p.problem IS NOT NULL) AS missing
              FROM stream_playlists p) AS t
     WHERE videos.id = t.video_id AND (videos.size <> t.total OR videos.parts_missing <> t.missing)";

impl Catalog {
    /// Writes what a sync found of its HLS videos. Nothing to write writes nothing.
    pub fn write_streams(&self, changes: &StreamChanges) -> Result<StreamsWritten, CatalogError> {
        if changes.is_empty() {
            return Ok(StreamsWritten::default());
        }
        self.write(|tx| {
            let mut done = StreamsWritten::default();
            for read in &changes.reads {
                done.playlists_read += u64::from(write_read(tx, read)?);
            }
            let mut resize = tx.prepare_cached("UPDATE stream_parts SET size = ?2 WHERE key = ?1")?;
            for (key, size) in &changes.part_sizes {
                resize.execute(params![key, size.map(|s| s as i64)])?;
            }
            // What a playlist names is its part: a row for it came from its name alone.
            done.parts_not_videos =
                tx.execute("DELETE FROM videos WHERE key IN (SELECT key FROM stream_parts)", [])? as u64;
            tx.execute(RECOUNT, [])?;
            Ok(done)
        })
    }
}

impl Catalog {
    /// Whether `key` is an HLS video's playlist or a part one of its playlists names:
    /// what the player may fetch through the core.
    pub fn is_stream_object(&self, key: &str) -> Result<bool, CatalogError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM stream_parts WHERE key = ?1)
                 OR (?2 AND EXISTS (SELECT 1 FROM videos WHERE key = ?1))",
        )?;
        Ok(stmt.query_row(params![key, is_playlist_key(key)], |r| r.get(0))?)
    }

    /// The parts of the HLS video `key` that the source has and no other video's
    /// playlist names: what deleting the video deletes with it, in key order.
    pub fn own_stream_parts(&self, key: &str) -> Result<Vec<String>, CatalogError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT s.key FROM stream_parts s JOIN videos v ON v.id = s.video_id
              WHERE v.key = ?1 AND s.size IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM stream_parts o WHERE o.key = s.key AND o.video_id <> s.video_id)
              ORDER BY s.key",
        )?;
        let keys = stmt.query_map([key], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(keys)
    }
}

/// Replaces what the catalog has of one video's playlists; false when the video is no
/// longer in the catalog.
fn write_read(tx: &Transaction, read: &StreamRead) -> Result<bool, CatalogError> {
    let playlist = &read.playlist;
    let Some(video_id) = tx
        .prepare_cached("SELECT id FROM videos WHERE key = ?")?
        .query_row([&playlist.key], |r| r.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(false);
    };
    tx.prepare_cached("DELETE FROM stream_parts WHERE video_id = ?")?
        .execute([video_id])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO stream_parts (video_id, key, size) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")?;
    for (key, size) in read.parts.iter().filter(|(key, _)| *key != playlist.key) {
        insert.execute(params![video_id, key, size.map(|s| s as i64)])?;
    }
    tx.prepare_cached(
        "INSERT INTO stream_playlists (video_id, size, last_modified, etag, outside, problem)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (video_id) DO UPDATE SET size = excluded.size, last_modified = excluded.last_modified,
             etag = excluded.etag, outside = excluded.outside, problem = excluded.problem",
    )?
    .execute(params![
        video_id,
        playlist.size as i64,
        playlist.last_modified,
        playlist.etag,
        read.outside as i64,
        read.problem
    ])?;
    Ok(true)
}
