//! What earlier syncs found: the size of the last complete listing (what the next sync's
//! progress bar measures against) and when the library was last synced.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Catalog, CatalogError};

/// Rows of history kept: enough to show a trend, never a growing table.
const KEPT: i64 = 50;

/// One sync that listed its source to the end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncRecord {
    /// Unix ms.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub finished_at: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub objects_listed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_added: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_updated: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_removed: u64,
    /// Videos the listing did not have that were kept and marked missing.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos_missing: u64,
}

impl Catalog {
    /// Remembers a sync whose listing was complete.
    pub fn record_sync(&self, record: &SyncRecord) -> Result<(), CatalogError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO sync_history (finished_at, objects_listed, elapsed_ms, videos_added, videos_updated,
                                           videos_removed, videos_missing)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                record.finished_at,
                record.objects_listed as i64,
                record.elapsed_ms as i64,
                record.videos_added as i64,
                record.videos_updated as i64,
                record.videos_removed as i64,
                record.videos_missing as i64,
            ])?;
            tx.prepare_cached("DELETE FROM sync_history WHERE id <= (SELECT max(id) FROM sync_history) - ?1")?
                .execute([KEPT])?;
            Ok(())
        })
    }

    /// The last sync that listed its source to the end, if any.
    pub fn last_sync(&self) -> Result<Option<SyncRecord>, CatalogError> {
        let conn = self.reader()?;
        let found = conn
            .prepare_cached(
                "SELECT finished_at, objects_listed, elapsed_ms, videos_added, videos_updated, videos_removed,
                        videos_missing
                   FROM sync_history ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |r| {
                Ok(SyncRecord {
                    finished_at: r.get(0)?,
                    objects_listed: r.get::<_, i64>(1)? as u64,
                    elapsed_ms: r.get::<_, i64>(2)? as u64,
                    videos_added: r.get::<_, i64>(3)? as u64,
                    videos_updated: r.get::<_, i64>(4)? as u64,
                    videos_removed: r.get::<_, i64>(5)? as u64,
                    videos_missing: r.get::<_, i64>(6)? as u64,
                })
            })
            .optional()?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_sync_is_remembered_and_history_stays_short() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
        assert_eq!(catalog.last_sync().unwrap(), None);
        for n in 1..=(KEPT as u64 + 10) {
            catalog
                .record_sync(&SyncRecord {
                    finished_at: n as i64,
                    objects_listed: n * 10,
                    ..SyncRecord::default()
                })
                .unwrap();
        }
        let last = catalog.last_sync().unwrap().unwrap();
        assert_eq!(last.objects_listed, (KEPT as u64 + 10) * 10);
        let rows: i64 = catalog
            .reader()
            .unwrap()
            .query_row("SELECT count(*) FROM sync_history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, KEPT);
    }
}
