//! Reading videos and creators as the rest of the app sees them: a row of the catalog
//! turned into a [`VideoSummary`], one video with its preview segments, the creators with
//! their counts.

use rusqlite::{Connection, OptionalExtension, Row};

use super::Catalog;
use super::query::QueryError;
use crate::keys::{file_name, natural_cmp, parse_video};
use crate::video::{CreatorCounts, DateSource, VideoDetail, VideoSummary};

// The creator's name comes from a scalar subquery rather than a join: with a join, the
// planner at a million rows may loop over creators first and then sort every match.
pub(super) const SUMMARY_COLUMNS: &str = "v.id, v.key, (SELECT name FROM creators WHERE id = v.creator_id), v.size, \
     v.last_modified, v.recorded_at, v.favorite, v.seen_at, v.position, v.prediction, v.quality, v.missing_since, v.parts_missing, \
     (SELECT marked_at FROM seen_marks WHERE video_id = v.id)";
pub(super) const SUMMARY_WIDTH: usize = 14;

pub(super) fn summary_from_row(row: &Row) -> rusqlite::Result<VideoSummary> {
    let key: String = row.get(1)?;
    let last_modified: i64 = row.get(4)?;
    let recorded_at: Option<i64> = row.get(5)?;
    let seen_at: i64 = row.get(7)?;
    let prediction: String = row.get(9)?;
    let missing_since: i64 = row.get(11)?;
    let parsed = parse_video(&key);
    let is_playlist = parsed.as_ref().is_some_and(|v| v.is_playlist);
    // A playlist in a folder that names its video is called by the folder's name.
    let name = match &parsed {
        Some(v) if v.is_playlist => v.name.clone(),
        _ => file_name(&key).to_owned(),
    };
    let title = parsed.filter(|v| !v.has_recorder_name()).map(|v| v.name);
    Ok(VideoSummary {
        id: row.get(0)?,
        name,
        title,
        creator: row.get(2)?,
        size: row.get::<_, i64>(3)? as u64,
        last_modified,
        recorded_at,
        date: recorded_at.unwrap_or(last_modified),
        dated_by: if recorded_at.is_some() {
            DateSource::Recorded
        } else {
            DateSource::Uploaded
        },
        favorite: row.get(6)?,
        seen_at: (seen_at != 0).then_some(seen_at),
        position: row.get(8)?,
        quality: if prediction.is_empty() {
            None
        } else {
            Some(row.get(10)?)
        },
        prediction: (!prediction.is_empty()).then_some(prediction),
        missing_since: (missing_since != 0).then_some(missing_since),
        is_playlist,
        parts_missing: row.get(12)?,
        marked_seen_at: row.get(13)?,
        key,
    })
}

impl Catalog {
    /// Every creator that has videos, with the counts the sidebar shows, by name.
    pub fn creators(&self) -> Result<Vec<CreatorCounts>, QueryError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT name, videos, favorites, unseen, bytes FROM creators WHERE videos > 0 ORDER BY name COLLATE NOCASE, name",
        )?;
        let creators = stmt
            .query_map([], |r| {
                Ok(CreatorCounts {
                    name: r.get(0)?,
                    videos: r.get::<_, i64>(1)? as u64,
                    favorites: r.get::<_, i64>(2)? as u64,
                    unseen: r.get::<_, i64>(3)? as u64,
                    bytes: r.get::<_, i64>(4)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(creators)
    }

    /// One video by key, with its preview segments; `None` when the catalog has no such key.
    pub fn video(&self, key: &str) -> Result<Option<VideoDetail>, QueryError> {
        let conn = self.reader()?;
        let sql = format!("SELECT {SUMMARY_COLUMNS}, v.etag FROM videos v WHERE v.key = ?");
        let found = conn
            .prepare_cached(&sql)?
            .query_row([key], |r| {
                Ok((summary_from_row(r)?, r.get::<_, Option<String>>(SUMMARY_WIDTH)?))
            })
            .optional()?;
        let Some((summary, etag)) = found else {
            return Ok(None);
        };
        let preview_segments = match parse_video(key) {
            Some(parsed) => preview_segments_of(&conn, &parsed.stem, parsed.stamp.as_deref())?,
            None => Vec::new(),
        };
        Ok(Some(VideoDetail {
            summary,
            etag,
            preview_segments,
        }))
    }

    /// Whether `key` is something of the catalog a player may fetch: a video or one of
    /// the preview segments. What the loopback media server serves, and nothing else.
    pub fn has_media(&self, key: &str) -> Result<bool, QueryError> {
        let conn = self.reader()?;
        let found = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM videos WHERE key = ?1)
                     OR EXISTS (SELECT 1 FROM preview_segments WHERE key = ?1)",
            )?
            .query_row([key], |r| r.get(0))?;
        Ok(found)
    }
}

/// The segments of a video: its own folder (named by its file stem) when it has one,
/// else the folder named by its timestamp, as the original layout does.
pub(crate) fn preview_segments_of(conn: &Connection, stem: &str, stamp: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT key FROM preview_segments WHERE folder = ?")?;
    let mut keys: Vec<String> = stmt.query_map([stem], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if keys.is_empty()
        && let Some(stamp) = stamp
    {
        keys = stmt
            .query_map([stamp], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    keys.sort_by(|a, b| natural_cmp(a, b));
    Ok(keys)
}
