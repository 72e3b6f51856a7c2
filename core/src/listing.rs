//! Listing a whole library as fast as the server allows, and only ever calling a listing
//! complete when every part of it reached its end.
//!
//! The seed app listed videos with `StartAfter = "previewszz"` to skip `previews/`, which
//! also skipped every creator folder sorting between the two (`previewsbob/`). Here the
//! key space is cut exactly instead, into runs listed side by side:
//!
//! - by range (the default): keys before `previews/`, keys under `previews/`, keys after
//!   every `previews/` key. Three requests in flight at most, whatever the bucket.
//! - by creator: one listing per top-level folder, `concurrency` at a time. On R2 (whose
//!   listing cost follows the keys returned) this scales with the number of creators; the
//!   local test servers walk the whole bucket per request and only get slower. Measured
//!   in BENCHMARKS.md, "Bucket sync".

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::keys::PREVIEWS_PREFIX;
use crate::storage::{Bucket, Deleted, KeyRange, ObjectEntry, StorageError};

/// Greater than every key that starts with `previews/`: U+10FFFF is the largest
/// character, so only keys made of `previews/` and more of it sort after; those are
/// dropped from the runs that are not the previews run.
const AFTER_PREVIEWS: &str = "previews/\u{10FFFF}";

/// How a library is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingOptions {
    /// Listing requests in flight at once.
    pub concurrency: usize,
    /// One listing per creator folder instead of three key ranges.
    pub by_creator: bool,
}

impl Default for ListingOptions {
    fn default() -> Self {
        ListingOptions {
            concurrency: 3,
            by_creator: false,
        }
    }
}

/// Where the videos live. Only a bucket for now; a local folder would be another variant
/// that lists by walking the folder and deletes files.
#[derive(Debug, Clone)]
pub enum Library {
    Bucket(Bucket),
}

impl Library {
    /// Lists every object, counting them into `listed` as pages arrive, and calls
    /// `tick` about five times a second while it waits. Either every run reached its end,
    /// or this is an error.
    pub async fn list_all(
        &self,
        options: ListingOptions,
        listed: Arc<AtomicU64>,
        mut tick: impl FnMut(),
    ) -> Result<Vec<ObjectEntry>, StorageError> {
        match self {
            Library::Bucket(bucket) => list_bucket(bucket, options, listed, &mut tick).await,
        }
    }

    pub async fn delete(&self, keys: &[String]) -> Result<Deleted, StorageError> {
        match self {
            Library::Bucket(bucket) => bucket.delete(keys).await,
        }
    }

    /// Lists the objects under `prefix`, complete or an error.
    pub async fn list_prefix(&self, prefix: &str) -> Result<Vec<ObjectEntry>, StorageError> {
        let range = KeyRange {
            prefix: Some(prefix.to_owned()),
            ..KeyRange::default()
        };
        match self {
            Library::Bucket(bucket) => bucket.list(&range, &AtomicU64::new(0)).await,
        }
    }
}

/// A run of the listing and whether it is the one that covers `previews/`.
struct Run {
    range: KeyRange,
    previews: bool,
}

fn range_runs() -> Vec<Run> {
    vec![
        Run {
            range: KeyRange {
                prefix: Some(PREVIEWS_PREFIX.into()),
                ..KeyRange::default()
            },
            previews: true,
        },
        Run {
            range: KeyRange {
                end_before: Some(PREVIEWS_PREFIX.into()),
                ..KeyRange::default()
            },
            previews: false,
        },
        Run {
            range: KeyRange {
                start_after: Some(AFTER_PREVIEWS.into()),
                ..KeyRange::default()
            },
            previews: false,
        },
    ]
}

async fn list_bucket(
    bucket: &Bucket,
    options: ListingOptions,
    listed: Arc<AtomicU64>,
    tick: &mut impl FnMut(),
) -> Result<Vec<ObjectEntry>, StorageError> {
    let mut out = Vec::new();
    let runs = if options.by_creator {
        let (folders, root_objects) = bucket.top_level(&listed).await?;
        out.extend(root_objects);
        folders
            .into_iter()
            .map(|folder| Run {
                previews: folder == PREVIEWS_PREFIX,
                range: KeyRange {
                    prefix: Some(folder),
                    ..KeyRange::default()
                },
            })
            .collect()
    } else {
        range_runs()
    };

    let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for run in runs {
        let (bucket, listed, permits) = (bucket.clone(), listed.clone(), permits.clone());
        tasks.spawn(async move {
            // The semaphore is never closed, so this only waits.
            let _permit = permits.acquire_owned().await;
            let entries = bucket.list(&run.range, &listed).await?;
            Ok::<_, StorageError>((run.previews, entries))
        });
    }
    let mut ticker = tokio::time::interval(Duration::from_millis(200));
    loop {
        tokio::select! {
            joined = tasks.join_next() => match joined {
                None => break,
                Some(Ok(Ok((previews, entries)))) => {
                    // Keys under previews/ belong to the previews run alone.
                    out.extend(entries.into_iter().filter(|e| previews || !e.key.starts_with(PREVIEWS_PREFIX)));
                }
                // Returning drops the other runs: an incomplete listing is no listing.
                Some(Ok(Err(e))) => return Err(e),
                Some(Err(e)) => return Err(StorageError::ListingIncomplete(format!("a listing task ended abnormally: {e}"))),
            },
            _ = ticker.tick() => tick(),
        }
    }
    tick();
    tracing::debug!(objects = listed.load(Ordering::Relaxed), "listing complete");
    Ok(out)
}
