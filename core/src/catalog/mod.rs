//! The local catalog of a library: one SQLite file, opened one way by the app, the CLI
//! and the tests, and everything asked of it or written to it.
//!
//! One writer connection behind a mutex and a small pool of read-only connections: with
//! WAL, readers see the last committed state and never wait for a sync that is writing.

pub mod changes;
pub mod fold;
pub mod history;
pub mod ingest;
pub mod mutate;
pub mod predictions;
pub mod query;
mod search;
mod seen;
pub mod selection;
pub mod streams;
pub mod synth;
pub mod videos;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use r2d2::{Pool, PooledConnection};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{M, Migrations};

use self::search::KeySearch;

/// The numbered files of `migrations/`, applied in order, each in its own transaction,
/// versioned by SQLite's `user_version`.
const MIGRATION_FILES: &[&str] = &[
    include_str!("../../../migrations/0001_catalog.sql"),
    include_str!("../../../migrations/0002_missing_unscored_folded.sql"),
    include_str!("../../../migrations/0003_views_in_progress.sql"),
    include_str!("../../../migrations/0004_search_in_memory.sql"),
    include_str!("../../../migrations/0005_hls_streams.sql"),
    include_str!("../../../migrations/0006_seen_marks.sql"),
];

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_FILES.iter().map(|sql| M::up(sql)).collect()));

const READERS: u32 = 4;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot create the catalog folder {path}: {source}")]
    CreateFolder { path: PathBuf, source: std::io::Error },
    #[error("cannot open the catalog {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error(
        "the catalog {path} was written by a newer version of M3U8 Viewer (schema {found}, this version knows {known}); update the app"
    )]
    TooNew { path: PathBuf, found: usize, known: usize },
    #[error("cannot bring the catalog {path} up to date: {source}")]
    Migrate {
        path: PathBuf,
        source: rusqlite_migration::Error,
    },
    #[error("the catalog is busy (another program is writing to it); try again")]
    Busy(#[source] rusqlite::Error),
    #[error("catalog database error")]
    Sqlite(#[source] rusqlite::Error),
    #[error("no free connection to the catalog")]
    Pool(#[from] r2d2::Error),
    #[error("cannot start a thread to watch the catalog")]
    Thread(#[source] std::io::Error),
}

impl CatalogError {
    /// Whether trying the same thing again later can succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, CatalogError::Busy(_) | CatalogError::Pool(_))
    }
}

impl From<rusqlite::Error> for CatalogError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => CatalogError::Busy(e),
            _ => CatalogError::Sqlite(e),
        }
    }
}

/// Lets an error enum that wraps [`CatalogError`] in a `Catalog` variant take SQLite's
/// errors with `?`: the one place the rusqlite-to-catalog step is written.
macro_rules! wraps_catalog_error {
    ($($error:ty),+ $(,)?) => {$(
        impl From<rusqlite::Error> for $error {
            fn from(e: rusqlite::Error) -> Self {
                <$error>::Catalog(e.into())
            }
        }
    )+};
}
pub(crate) use wraps_catalog_error;

/// Connection settings, measured rather than copied (see BENCHMARKS.md, "PRAGMAs").
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Page cache per connection, in KiB.
    pub cache_kib: i64,
    /// Bytes of the file mapped into memory; reads skip a copy through the page cache.
    pub mmap_bytes: i64,
    /// `synchronous = NORMAL` in WAL mode: a power cut can lose the last commits but
    /// never corrupts the catalog, and every commit avoids an fsync.
    pub synchronous_normal: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            cache_kib: 64 * 1024,
            mmap_bytes: 1 << 30,
            synchronous_normal: true,
        }
    }
}

impl Tuning {
    /// For the desktop app, which shares the machine with a web view: no memory map (its
    /// touched pages count against the app's memory; a scroll through a million-video
    /// grid mapped ~300 MB of the file) and a 16 MiB cache per connection. Pages stay
    /// around a millisecond at 1M videos (BENCHMARKS.md).
    pub fn desktop() -> Self {
        Tuning {
            cache_kib: 16 * 1024,
            mmap_bytes: 0,
            synchronous_normal: true,
        }
    }

    /// SQLite's own defaults, for measuring what the tuning buys.
    pub fn sqlite_defaults() -> Self {
        Tuning {
            cache_kib: 2000,
            mmap_bytes: 0,
            synchronous_normal: false,
        }
    }

    fn apply(&self, conn: &Connection, key_search: &Arc<KeySearch>) -> rusqlite::Result<()> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(
            None,
            "synchronous",
            if self.synchronous_normal { "NORMAL" } else { "FULL" },
        )?;
        conn.pragma_update(None, "cache_size", -self.cache_kib)?;
        conn.pragma_update(None, "mmap_size", self.mmap_bytes)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Lets SQLite sort with a helper thread (index builds, ORDER BY without an index).
        conn.pragma_update(None, "threads", 2)?;
        key_search.register(conn)?;
        Ok(())
    }
}

pub struct Catalog {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Pool<SqliteConnectionManager>,
    /// What one- and two-character search terms are answered from, shared by every
    /// connection's `key_search_hit`.
    key_search: Arc<KeySearch>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// Opens (creating if needed) the catalog at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Catalog, CatalogError> {
        Self::open_tuned(path, Tuning::default())
    }

    pub fn open_tuned(path: impl AsRef<Path>, tuning: Tuning) -> Result<Catalog, CatalogError> {
        let path = path.as_ref().to_path_buf();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| CatalogError::CreateFolder {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let open_err = |source| CatalogError::Open {
            path: path.clone(),
            source,
        };
        let mut writer = Connection::open(&path).map_err(open_err)?;
        // WAL is a property of the file; setting it once from the writer is enough.
        writer.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        let key_search = Arc::new(KeySearch::default());
        tuning.apply(&writer, &key_search).map_err(open_err)?;
        Self::migrate(&path, &mut writer)?;

        let terms = key_search.clone();
        let manager = SqliteConnectionManager::file(&path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)
            .with_init(move |conn| {
                tuning.apply(conn, &terms)?;
                conn.pragma_update(None, "query_only", true)
            });
        // Readers are made on demand: opening the catalog stays cheap.
        let readers = Pool::builder()
            .max_size(READERS)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Catalog {
            path,
            writer: Mutex::new(writer),
            readers,
            key_search,
        })
    }

    fn migrate(path: &Path, conn: &mut Connection) -> Result<(), CatalogError> {
        let found: usize = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
        let latest = schema_version();
        if found > latest {
            return Err(CatalogError::TooNew {
                path: path.to_path_buf(),
                found,
                known: latest,
            });
        }
        MIGRATIONS.to_latest(conn).map_err(|source| CatalogError::Migrate {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read-only connection from the pool.
    pub(crate) fn reader(&self) -> Result<PooledConnection<SqliteConnectionManager>, CatalogError> {
        Ok(self.readers.get()?)
    }

    /// The one writer. Held only for the length of a transaction.
    pub(crate) fn writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while writing rolls its transaction back, so the connection is sound.
        self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` in one immediate write transaction: all of it lands, or none of it.
    pub(crate) fn write<T, E>(&self, work: impl FnOnce(&Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<CatalogError>,
    {
        let mut conn = self.writer();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(CatalogError::from)?;
        let out = work(&tx)?;
        tx.commit().map_err(CatalogError::from)?;
        Ok(out)
    }

    /// Refreshes the planner's statistics after a large change (bulk load, first sync).
    pub fn optimize(&self) -> Result<(), CatalogError> {
        // A sample of each index is enough for the planner and takes milliseconds, where a
        // full ANALYZE of a million-row catalog takes seconds.
        self.writer()
            .execute_batch("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA optimize;")?;
        Ok(())
    }
}

/// The schema version this build writes.
pub fn schema_version() -> usize {
    MIGRATION_FILES.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn opening_sets_wal_and_the_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path().join("sub/catalog.sqlite")).unwrap();
        let conn = catalog.reader().unwrap();
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), version as usize), ("wal", schema_version()));
        drop(conn);
        drop(catalog);
        // Reopening an up-to-date catalog changes nothing.
        Catalog::open(dir.path().join("sub/catalog.sqlite")).unwrap();
    }

    #[test]
    fn readers_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
        let err = catalog
            .reader()
            .unwrap()
            .execute("INSERT INTO creators (name) VALUES ('x')", [])
            .unwrap_err();
        assert!(
            err.to_string().contains("readonly")
                || err.to_string().contains("read-only")
                || err.to_string().contains("query_only"),
            "{err}"
        );
    }

    #[test]
    fn a_catalog_from_a_newer_version_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        Catalog::open(&path).unwrap();
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Catalog::open(&path).unwrap_err();
        assert!(matches!(err, CatalogError::TooNew { found: 99, .. }), "{err}");
        let version: i64 = Connection::open(&path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 99);
    }

    #[test]
    fn a_file_that_is_not_a_catalog_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        std::fs::write(
            &path,
            b"this is not a database, just some text that is long enough to have a header",
        )
        .unwrap();
        let err = Catalog::open(&path).unwrap_err();
        assert!(
            err.to_string().contains("cannot open the catalog") || err.to_string().contains("cannot bring"),
            "{err}"
        );
    }
}
