//! Putting video objects into the catalog: the one write path that the synthetic
//! generator and the bucket sync share.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use crate::catalog::{Catalog, CatalogError};
use crate::keys::parse_video;
use crate::video::is_valid_prediction;

/// A video object as a listing reports it, with the user state it starts with (only the
/// synthetic generator sets one; a sync brings none and keeps what the catalog has).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewVideo {
    pub key: String,
    pub size: u64,
    /// Unix ms.
    pub last_modified: i64,
    pub etag: Option<String>,
    pub initial: InitialState,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct InitialState {
    pub favorite: bool,
    pub seen_at: i64,
    pub position: f64,
    pub prediction: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0:?} is not a video key (a video is a file with a video extension, outside previews/)")]
    NotAVideo(String),
    #[error("the prediction for {key:?} is not 100 characters of 0 and 1")]
    InvalidPrediction { key: String },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

crate::catalog::wraps_catalog_error!(IngestError);

/// What a batch of upserts did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upserted {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Catalog {
    /// Inserts new videos and updates those whose size, date or ETag changed, in one
    /// transaction. User state already in the catalog is never touched here.
    pub fn upsert_videos<'a>(&self, videos: impl IntoIterator<Item = &'a NewVideo>) -> Result<Upserted, IngestError> {
        self.write(|tx| upsert_videos(tx, videos))
    }
}

/// Creator ids by name, cached for the length of one transaction.
struct Creators<'t> {
    tx: &'t Transaction<'t>,
    ids: HashMap<String, i64>,
}

impl Creators<'_> {
    fn id_of(&mut self, name: &str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.ids.get(name) {
            return Ok(id);
        }
        let id = self.tx.prepare_cached(
            "INSERT INTO creators (name) VALUES (?1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        )?
        .query_row([name], |r| r.get(0))?;
        self.ids.insert(name.to_owned(), id);
        Ok(id)
    }
}

pub(crate) fn upsert_videos<'a>(
    tx: &Transaction,
    videos: impl IntoIterator<Item = &'a NewVideo>,
) -> Result<Upserted, IngestError> {
    upsert(tx, videos, Known::Maybe)
}

/// Whether the catalog may already have a key of the batch.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Maybe,
    /// A load into an empty catalog: no lookup per row (a million of them is seconds).
    No,
}

fn upsert<'a>(
    tx: &Transaction,
    videos: impl IntoIterator<Item = &'a NewVideo>,
    known: Known,
) -> Result<Upserted, IngestError> {
    let mut creators = Creators {
        tx,
        ids: HashMap::new(),
    };
    let mut existing = tx.prepare_cached("SELECT size, last_modified, etag FROM videos WHERE key = ?")?;
    let mut update = tx.prepare_cached(
        "UPDATE videos SET size = ?2, last_modified = ?3, etag = ?4, missing_since = 0 WHERE key = ?1",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO videos (key, creator_id, size, last_modified, etag, recorded_at,
                             favorite, seen_at, position, prediction, shuffle_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (key) DO NOTHING",
    )?;
    let mut done = Upserted::default();
    for video in videos {
        let size = video.size as i64;
        let listed = (size, video.last_modified, video.etag.clone());
        let found = match known {
            Known::No => None,
            Known::Maybe => existing
                .query_row([&video.key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
        };
        match found {
            Some(known) if known == listed => done.unchanged += 1,
            Some(_) => {
                update.execute(params![video.key, size, video.last_modified, video.etag])?;
                done.updated += 1;
            }
            None => {
                let parsed = parse_video(&video.key).ok_or_else(|| IngestError::NotAVideo(video.key.clone()))?;
                let initial = &video.initial;
                if !initial.prediction.is_empty() && !is_valid_prediction(&initial.prediction) {
                    return Err(IngestError::InvalidPrediction { key: video.key.clone() });
                }
                let added = insert.execute(params![
                    video.key,
                    creators.id_of(&parsed.creator)?,
                    size,
                    video.last_modified,
                    video.etag,
                    parsed.recorded_at,
                    initial.favorite,
                    initial.seen_at,
                    initial.position,
                    initial.prediction,
                    shuffle_key(&video.key),
                ])?;
                // Nothing added: the same key came twice in one load.
                if added == 0 {
                    done.unchanged += 1;
                } else {
                    done.inserted += 1;
                }
            }
        }
    }
    Ok(done)
}

/// A stable pseudo-random position for the shuffle sort, derived from the key so a
/// video keeps its place when it is removed and synced back.
///
/// FNV-1a then the SplitMix64 finaliser: std's hasher is not stable across releases,
/// and a hashing crate would be a dependency for eight lines.
pub fn shuffle_key(key: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (h ^ (h >> 31)) as i64
}

/// Derived data that the per-row triggers keep up to date, rebuilt in one pass each
/// after a bulk load (which runs without those triggers).
const REBUILD_AFTER_BULK_LOAD: &str = "
    -- Videos that come back get the user's state back.
    UPDATE videos
       SET favorite = s.favorite, seen_at = s.seen_at, position = s.position, prediction = s.prediction
      FROM user_state AS s
     WHERE s.key = videos.key;
    INSERT INTO seen_marks (video_id, marked_at)
    SELECT v.id, s.marked_seen_at FROM user_state AS s JOIN videos AS v ON v.key = s.key
     WHERE s.marked_seen_at <> 0
    ON CONFLICT (video_id) DO NOTHING;
    DELETE FROM user_state WHERE EXISTS (SELECT 1 FROM videos WHERE videos.key = user_state.key);
    UPDATE creators
       SET videos = t.videos, favorites = t.favorites, unseen = t.unseen,
           favorites_unseen = t.favorites_unseen, bytes = t.bytes
      FROM (SELECT creator_id, count(*) AS videos, sum(favorite) AS favorites, sum(unseen) AS unseen,
                   sum(favorite AND unseen) AS favorites_unseen, sum(size) AS bytes
              FROM (SELECT creator_id, favorite, size,
                           seen_at = 0 AND NOT EXISTS (SELECT 1 FROM seen_marks m WHERE m.video_id = videos.id) AS unseen
                      FROM videos)
             GROUP BY creator_id) AS t
     WHERE creators.id = t.creator_id;
    UPDATE key_changes SET generation = generation + 1;
";

const BULK_CACHE_KIB: i64 = 1024 * 1024;

impl Catalog {
    /// Loads many videos in one transaction, reporting the running total to `progress`.
    ///
    /// Into an empty catalog (a first sync, a synthetic library) the indexes and
    /// triggers are set aside and rebuilt once at the end, from their definitions in the
    /// schema: sorting a million rows once is several times faster than keeping 19
    /// indexes sorted row by row. It is one transaction, so a crash part-way leaves the
    /// catalog as it was. Into a catalog that has videos, it upserts row by row.
    pub fn load_videos(
        &self,
        videos: impl IntoIterator<Item = NewVideo>,
        progress: impl FnMut(u64),
    ) -> Result<Upserted, IngestError> {
        self.load(videos, progress, false)
    }

    /// Loads videos none of whose keys the catalog has yet (the rest of a first sync,
    /// after its first batches went in row by row so the grid showed them): the bulk
    /// path whatever the catalog holds. Its rebuild recomputes what the set-aside
    /// triggers keep (counters, restored user state, the key counter) over every row.
    /// A key the catalog does have is left as it is (counted unchanged).
    pub fn load_new_videos(
        &self,
        videos: impl IntoIterator<Item = NewVideo>,
        progress: impl FnMut(u64),
    ) -> Result<Upserted, IngestError> {
        self.load(videos, progress, true)
    }

    fn load(
        &self,
        videos: impl IntoIterator<Item = NewVideo>,
        mut progress: impl FnMut(u64),
        all_new: bool,
    ) -> Result<Upserted, IngestError> {
        const BATCH: usize = 10_000;
        let started = std::time::Instant::now();
        // A cache that holds the pages of the load keeps SQLite from spilling half-built
        // indexes into the WAL and writing them again; given back after the load.
        let cache = self
            .writer()
            .pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0))?;
        self.writer().pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        let loaded = self.write(|tx| {
            let empty: bool =
                all_new || tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM videos)", [], |r| r.get(0))?;
            let set_aside = if empty { set_aside_indexes_and_triggers(tx, "videos")? } else { Vec::new() };
            let mut done = Upserted::default();
            let mut batch = Vec::with_capacity(BATCH);
            let mut videos = videos.into_iter().peekable();
            while videos.peek().is_some() {
                batch.clear();
                batch.extend(videos.by_ref().take(BATCH));
                let step = upsert(tx, &batch, if empty { Known::No } else { Known::Maybe })?;
                done.inserted += step.inserted;
                done.updated += step.updated;
                done.unchanged += step.unchanged;
                progress(done.inserted + done.updated + done.unchanged);
            }
            if empty {
                let started = std::time::Instant::now();
                tx.execute_batch(REBUILD_AFTER_BULK_LOAD)?;
                tracing::debug!(elapsed = ?started.elapsed(), "rebuilt derived data");
                for sql in &set_aside {
                    let started = std::time::Instant::now();
                    tx.execute_batch(sql)?;
                    tracing::debug!(elapsed = ?started.elapsed(), sql = sql.lines().next().unwrap_or_default(), "restored");
                }
            }
            tracing::debug!(elapsed = ?started.elapsed(), "loaded and indexed");
            Ok(done)
        });
        tracing::debug!(elapsed = ?started.elapsed(), "committed");
        self.writer()
            .pragma_update(None, "cache_size", cache)
            .map_err(CatalogError::from)?;
        loaded
    }
}

/// Drops the indexes and triggers of `table`, returning the SQL that recreates them (from
/// the schema itself, so nothing here repeats a migration).
pub(crate) fn set_aside_indexes_and_triggers(tx: &Transaction, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT type, name, sql FROM sqlite_schema
          WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )?;
    let found: Vec<(String, String, String)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, name, _) in &found {
        // Names come from the schema itself, quoted as identifiers.
        tx.execute_batch(&format!(
            "DROP {} \"{}\"",
            if kind == "index" { "INDEX" } else { "TRIGGER" },
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(found.into_iter().map(|(_, _, sql)| sql).collect())
}
