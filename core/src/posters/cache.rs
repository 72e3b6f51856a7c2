//! The poster cache: one small JPEG per video, made once by the app and kept in a SQLite
//! file beside the library's catalog (`catalog.sqlite` -> `catalog.posters.sqlite`).
//!
//! A file of its own, not a table of the catalog: it is a cache, which the user can clear
//! (`m3u8v thumbnails --clear`) or lose without losing anything they own, and the
//! catalog stays small. SQLite rather than one file per poster: a hundred thousand
//! 15 KB images read faster from one database than from as many files, are counted and
//! cleared in one statement, and a half-written poster cannot exist.

use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};
use serde::Serialize;

/// The largest poster kept: sized for the largest card, a JPEG of 480x270 is 8-15 KB.
pub const MAX_POSTER_BYTES: usize = 20 * 1024;

/// How much of the disk the posters may take: about 170,000 posters of 6 KB. Beyond it
/// the oldest made are dropped as the cache opens (and made again if shown again), so a
/// library of half a million videos scrolled end to end does not fill the disk.
pub const DEFAULT_LIMIT_BYTES: u64 = 1024 * 1024 * 1024;

/// What a cleared or unreadable cache starts again from.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![M::up(include_str!(
        "../../../migrations/posters/0001_posters.sql"
    ))])
});

#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    #[error("cannot create the folder {path} for the poster cache")]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the poster cache {path}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot bring the poster cache {path} up to date")]
    Migrate {
        path: PathBuf,
        #[source]
        source: rusqlite_migration::Error,
    },
    #[error("a poster must be a JPEG image")]
    NotJpeg,
    #[error("a poster of {size} bytes is larger than the {MAX_POSTER_BYTES} bytes kept")]
    TooLarge { size: usize },
    #[error("poster cache database error")]
    Sqlite(#[from] rusqlite::Error),
}

impl PosterError {
    /// Whether the same thing later can succeed: another program holds the cache.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PosterError::Sqlite(e) if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        )
    }
}

/// What the cache knows of a video's poster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cached {
    /// A JPEG made for this version of the video.
    Made(Vec<u8>),
    /// None could be made for this version; the reason says why.
    Unavailable { reason: String },
    /// None was made for this version yet (or the video changed since).
    NotMade,
}

/// How much the cache holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PosterStats {
    /// Posters kept.
    pub posters: u64,
    /// Videos known to have none.
    pub unavailable: u64,
    /// Bytes of the posters themselves.
    pub image_bytes: u64,
    /// Bytes of the cache file (and its write-ahead log) on disk.
    pub file_bytes: u64,
}

pub struct PosterCache {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for PosterCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PosterCache")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The cache file of the catalog at `catalog`: the same folder and name, `.posters.sqlite`.
pub fn cache_path_beside(catalog: &Path) -> PathBuf {
    let stem = catalog
        .file_stem()
        .map_or_else(|| "catalog".into(), |s| s.to_string_lossy().into_owned());
    catalog.with_file_name(format!("{stem}.posters.sqlite"))
}

/// The version of a video a poster is made for: its ETag, else (a file) its size and
/// modification time, which is what tells a file's change.
pub fn version_of(etag: Option<&str>, size: u64, last_modified: i64) -> String {
    match etag {
        Some(etag) if !etag.is_empty() => etag.to_owned(),
        _ => format!("{size}@{last_modified}"),
    }
}

impl PosterCache {
    /// Opens (creating if needed) the cache at `path`. A file that is not a database
    /// (damaged, or something else by that name) is a cache lost: it is set aside and a
    /// new one begun, rather than leaving every card without a poster.
    pub fn open(path: impl AsRef<Path>) -> Result<PosterCache, PosterError> {
        Self::open_within(path, DEFAULT_LIMIT_BYTES)
    }

    /// [`PosterCache::open`], dropping the oldest posters until those left take at most
    /// nine tenths of `limit_bytes`, when they take more than `limit_bytes`.
    pub fn open_within(path: impl AsRef<Path>, limit_bytes: u64) -> Result<PosterCache, PosterError> {
        let cache = Self::open_file(path)?;
        cache.keep_within(limit_bytes)?;
        Ok(cache)
    }

    fn open_file(path: impl AsRef<Path>) -> Result<PosterCache, PosterError> {
        let path = path.as_ref().to_path_buf();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| PosterError::CreateFolder {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let conn = match Self::connect(&path) {
            Err(
                PosterError::Open { source, .. }
                | PosterError::Migrate {
                    source: rusqlite_migration::Error::RusqliteError { err: source, .. },
                    ..
                },
            ) if is_damaged(&source) => {
                tracing::warn!(path = %path.display(), "the poster cache is damaged; starting a new one");
                let aside = path.with_extension("sqlite.damaged");
                std::fs::rename(&path, &aside).map_err(|source| PosterError::CreateFolder {
                    path: path.clone(),
                    source,
                })?;
                Self::connect(&path)?
            }
            other => other?,
        };
        Ok(PosterCache {
            path,
            conn: Mutex::new(conn),
        })
    }

    fn connect(path: &Path) -> Result<Connection, PosterError> {
        let open_err = |source| PosterError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        // A power cut may lose the last posters made, which are made again; no fsync each.
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(open_err)?;
        MIGRATIONS.to_latest(&mut conn).map_err(|source| PosterError::Migrate {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding it cannot leave a half-done statement behind: SQLite
        // rolls back what a dropped statement did.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The poster of `key` made for `version`, if one was.
    pub fn get(&self, key: &str, version: &str) -> Result<Cached, PosterError> {
        let row = self
            .conn()
            .prepare_cached("SELECT version, image, reason FROM posters WHERE key = ?1")?
            .query_row([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<Vec<u8>>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()?;
        Ok(match row {
            Some((kept, Some(image), _)) if kept == version => Cached::Made(image),
            Some((kept, None, reason)) if kept == version => Cached::Unavailable {
                reason: reason.unwrap_or_default(),
            },
            _ => Cached::NotMade,
        })
    }

    /// Keeps `jpeg` as the poster of `key` at `version`, replacing what was kept for it.
    pub fn keep(&self, key: &str, version: &str, jpeg: &[u8], now_ms: i64) -> Result<(), PosterError> {
        // The bytes come from the page: only a JPEG (its start-of-image marker) of a
        // poster's size is kept, so the cache cannot be made to hold anything else.
        if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(PosterError::NotJpeg);
        }
        if jpeg.len() > MAX_POSTER_BYTES {
            return Err(PosterError::TooLarge { size: jpeg.len() });
        }
        self.put(key, version, Some(jpeg), None, now_ms)
    }

    /// Remembers that no poster can be made for `key` at `version`, and why.
    pub fn keep_unavailable(&self, key: &str, version: &str, reason: &str, now_ms: i64) -> Result<(), PosterError> {
        let reason: String = if reason.trim().is_empty() {
            "unknown".into()
        } else {
            reason.chars().take(300).collect()
        };
        self.put(key, version, None, Some(&reason), now_ms)
    }

    fn put(
        &self,
        key: &str,
        version: &str,
        image: Option<&[u8]>,
        reason: Option<&str>,
        now_ms: i64,
    ) -> Result<(), PosterError> {
        self.conn()
            .prepare_cached(
                "INSERT INTO posters (key, version, made_at, image, reason) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (key) DO UPDATE SET
                     version = excluded.version, made_at = excluded.made_at,
                     image = excluded.image, reason = excluded.reason",
            )?
            .execute(params![key, version, now_ms, image, reason])?;
        Ok(())
    }

    /// Drops the posters of deleted videos.
    pub fn forget(&self, keys: &[String]) -> Result<(), PosterError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut delete = tx.prepare_cached("DELETE FROM posters WHERE key = ?1")?;
            for key in keys {
                delete.execute([key])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn stats(&self) -> Result<PosterStats, PosterError> {
        let conn = self.conn();
        let (posters, unavailable, image_bytes) = conn.query_row(
            "SELECT count(image), count(*) - count(image), coalesce(sum(length(image)), 0) FROM posters",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)),
        )?;
        let on_disk = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        Ok(PosterStats {
            posters: posters as u64,
            unavailable: unavailable as u64,
            image_bytes: image_bytes as u64,
            file_bytes: on_disk(&self.path) + on_disk(&wal),
        })
    }

    /// Drops the oldest posters when they take more than `limit_bytes`; returns how many.
    fn keep_within(&self, limit_bytes: u64) -> Result<usize, PosterError> {
        if self.stats()?.image_bytes <= limit_bytes {
            return Ok(0);
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let dropped = {
            let total: i64 = tx.query_row("SELECT coalesce(sum(length(image)), 0) FROM posters", [], |r| r.get(0))?;
            let mut excess = total - (limit_bytes as i64 / 10 * 9);
            let mut oldest =
                tx.prepare("SELECT id, length(image) FROM posters WHERE image IS NOT NULL ORDER BY made_at, id")?;
            let mut rows = oldest.query([])?;
            let mut ids = Vec::new();
            while excess > 0
                && let Some(row) = rows.next()?
            {
                ids.push(row.get::<_, i64>(0)?);
                excess -= row.get::<_, i64>(1)?;
            }
            drop(rows);
            let mut delete = tx.prepare("DELETE FROM posters WHERE id = ?1")?;
            for id in &ids {
                delete.execute([id])?;
            }
            ids.len()
        };
        tx.commit()?;
        tracing::info!(
            dropped,
            "the poster cache was over its size; the oldest posters were dropped"
        );
        Ok(dropped)
    }

    /// Empties the cache and gives its space back to the disk; returns what it held.
    pub fn clear(&self) -> Result<PosterStats, PosterError> {
        let before = self.stats()?;
        let conn = self.conn();
        conn.execute("DELETE FROM posters", [])?;
        conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(before)
    }
}

fn is_damaged(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];

    fn cache(dir: &tempfile::TempDir) -> PosterCache {
        PosterCache::open(dir.path().join("catalog.posters.sqlite")).unwrap()
    }

    #[test]
    fn the_cache_sits_beside_its_catalog() {
        assert_eq!(
            cache_path_beside(Path::new("/data/libraries/home/catalog.sqlite")),
            Path::new("/data/libraries/home/catalog.posters.sqlite")
        );
        assert_eq!(cache_path_beside(Path::new("c.sqlite")), Path::new("c.posters.sqlite"));
    }

    #[test]
    fn a_file_is_versioned_by_size_and_time_a_bucket_object_by_etag() {
        assert_eq!(version_of(Some("abc"), 10, 5), "abc");
        assert_eq!(version_of(None, 10, 5), "10@5");
        assert_ne!(version_of(None, 10, 5), version_of(None, 11, 5));
    }

    #[test]
    fn a_poster_is_kept_for_its_version_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(&dir);
        assert_eq!(cache.get("a/a.mp4", "v1").unwrap(), Cached::NotMade);
        cache.keep("a/a.mp4", "v1", JPEG, 1).unwrap();
        assert_eq!(cache.get("a/a.mp4", "v1").unwrap(), Cached::Made(JPEG.to_vec()));
        // The video changed: its old poster is not shown for it.
        assert_eq!(cache.get("a/a.mp4", "v2").unwrap(), Cached::NotMade);
        cache.keep_unavailable("a/a.mp4", "v2", "no frame", 2).unwrap();
        assert_eq!(
            cache.get("a/a.mp4", "v2").unwrap(),
            Cached::Unavailable {
                reason: "no frame".into()
            }
        );
        assert_eq!(cache.get("a/a.mp4", "v1").unwrap(), Cached::NotMade);
    }

    #[test]
    fn posters_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        cache(&dir).keep("k", "v", JPEG, 1).unwrap();
        assert_eq!(cache(&dir).get("k", "v").unwrap(), Cached::Made(JPEG.to_vec()));
    }

    #[test]
    fn only_a_jpeg_of_a_posters_size_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(&dir);
        assert!(matches!(cache.keep("k", "v", b"<svg/>", 1), Err(PosterError::NotJpeg)));
        let mut big = JPEG.to_vec();
        big.resize(MAX_POSTER_BYTES + 1, 0);
        assert!(matches!(
            cache.keep("k", "v", &big, 1),
            Err(PosterError::TooLarge { .. })
        ));
        assert_eq!(
            cache.get("k", "v").unwrap(),
            Cached::NotMade,
            "a refused poster changed the cache"
        );
    }

    #[test]
    fn stats_count_and_clear_empties() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(&dir);
        cache.keep("a", "v", JPEG, 1).unwrap();
        cache.keep("b", "v", JPEG, 1).unwrap();
        cache.keep_unavailable("c", "v", "", 1).unwrap();
        let stats = cache.stats().unwrap();
        assert_eq!(
            (stats.posters, stats.unavailable, stats.image_bytes),
            (2, 1, 2 * JPEG.len() as u64)
        );
        assert!(stats.file_bytes > 0);
        assert_eq!(cache.clear().unwrap().posters, 2);
        let after = cache.stats().unwrap();
        assert_eq!((after.posters, after.unavailable, after.image_bytes), (0, 0, 0));
        assert_eq!(cache.get("a", "v").unwrap(), Cached::NotMade);
    }

    #[test]
    fn a_cache_over_its_size_drops_its_oldest_posters_as_it_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.posters.sqlite");
        {
            let cache = PosterCache::open(&path).unwrap();
            let mut image = JPEG.to_vec();
            image.resize(1000, 7);
            for i in 0..10 {
                cache.keep(&format!("k{i}"), "v", &image, i).unwrap();
            }
            cache.keep_unavailable("none", "v", "no frame", 0).unwrap();
        }
        // Room for 8,000 bytes: 10,000 is over, so down to 7,200 at most: the 3 oldest go.
        let cache = PosterCache::open_within(&path, 8000).unwrap();
        let stats = cache.stats().unwrap();
        assert_eq!((stats.posters, stats.image_bytes), (7, 7000), "{stats:?}");
        for i in 0..3 {
            assert_eq!(
                cache.get(&format!("k{i}"), "v").unwrap(),
                Cached::NotMade,
                "k{i} was kept"
            );
        }
        assert!(matches!(cache.get("k9", "v").unwrap(), Cached::Made(_)));
        assert!(matches!(cache.get("none", "v").unwrap(), Cached::Unavailable { .. }));
        // Under its size, nothing goes.
        drop(cache);
        assert_eq!(
            PosterCache::open_within(&path, 8000).unwrap().stats().unwrap().posters,
            7
        );
    }

    #[test]
    fn forgetting_drops_only_the_keys_given() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(&dir);
        cache.keep("a", "v", JPEG, 1).unwrap();
        cache.keep("b", "v", JPEG, 1).unwrap();
        cache.forget(&["a".to_owned()]).unwrap();
        assert_eq!(cache.get("a", "v").unwrap(), Cached::NotMade);
        assert_eq!(cache.get("b", "v").unwrap(), Cached::Made(JPEG.to_vec()));
    }

    #[test]
    fn a_damaged_cache_is_set_aside_and_begun_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.posters.sqlite");
        std::fs::write(&path, vec![0x42u8; 8192]).unwrap();
        let cache = PosterCache::open(&path).unwrap();
        cache.keep("a", "v", JPEG, 1).unwrap();
        assert_eq!(cache.get("a", "v").unwrap(), Cached::Made(JPEG.to_vec()));
        assert!(
            path.with_extension("sqlite.damaged").exists(),
            "the damaged file was not kept aside"
        );
    }
}
