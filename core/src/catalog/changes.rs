//! Noticing that the catalog changed: a sync writing, the user's own actions, or another
//! program (`m3u8v predictions import` while the app is open). SQLite's `data_version`
//! moves whenever a connection other than the one asking commits, so one idle
//! connection that only ever asks sees every commit, whoever made it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{Catalog, CatalogError};

/// Stops watching when dropped.
pub struct ChangeWatch {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for ChangeWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

impl Catalog {
    /// Calls `on_change` (on a thread of its own) after every check, `every` apart, that
    /// finds a commit since the last one: at most one call per interval however many
    /// commits landed in it.
    pub fn watch_changes(
        &self,
        every: Duration,
        on_change: impl Fn() + Send + 'static,
    ) -> Result<ChangeWatch, CatalogError> {
        let conn = Connection::open_with_flags(
            self.path(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let version = |conn: &Connection| conn.pragma_query_value(None, "data_version", |r| r.get::<_, i64>(0));
        let mut seen = version(&conn)?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("catalog-changes".into())
            .spawn(move || {
                while !stopped.load(Ordering::SeqCst) {
                    std::thread::park_timeout(every);
                    if stopped.load(Ordering::SeqCst) {
                        break;
                    }
                    match version(&conn) {
                        Ok(now) if now != seen => {
                            seen = now;
                            on_change();
                        }
                        Ok(_) => {}
                        // Busy or briefly unreadable: the next check tells.
                        Err(e) => tracing::debug!(error = %e, "data_version check failed"),
                    }
                }
            })
            .map_err(CatalogError::Thread)?;
        Ok(ChangeWatch {
            stop,
            thread: Some(thread),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Instant;

    use super::*;
    use crate::catalog::ingest::NewVideo;

    fn wait_for(what: &str, check: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !check() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn commits_of_this_catalog_and_of_another_program_are_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let catalog = Catalog::open(&path).unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let _watch = catalog
            .watch_changes(Duration::from_millis(20), move || {
                counted.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing changed yet");

        let video = NewVideo {
            key: "a/a-2024-01-01_00-00-00.mp4".into(),
            size: 1,
            last_modified: 1,
            ..NewVideo::default()
        };
        catalog.upsert_videos([&video]).unwrap();
        wait_for("the app's own commit", || calls.load(Ordering::SeqCst) == 1);

        // Another program: a connection of its own, as `m3u8v` would open.
        let other = Connection::open(&path).unwrap();
        other
            .execute("UPDATE videos SET favorite = 1 WHERE key = ?1", [&video.key])
            .unwrap();
        wait_for("another program's commit", || calls.load(Ordering::SeqCst) == 2);
    }

    #[test]
    fn dropping_the_watch_stops_it_promptly() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
        // An hour between checks: only the unpark on drop lets this test end.
        let watch = catalog.watch_changes(Duration::from_secs(3600), || {}).unwrap();
        drop(watch);
    }
}
