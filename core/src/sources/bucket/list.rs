//! Listing a whole bucket as fast as the server allows, page by page into the sync as the
//! pages arrive, and only ever calling a listing complete when every part of it reached
//! its end.
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

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::client::{Bucket, BucketError};
use crate::keys::PREVIEWS_PREFIX;
use crate::sources::{Listed, ListingOptions, ObjectEntry, Pages};

/// Greater than every key that starts with `previews/`: U+10FFFF is the largest
/// character, so only keys made of `previews/` and more of it sort after; those are
/// dropped from the runs that are not the previews run.
const AFTER_PREVIEWS: &str = "previews/\u{10FFFF}";

/// A run of keys to list: those under `prefix`, after `start_after`, before `end_before`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRange {
    pub prefix: Option<String>,
    pub start_after: Option<String>,
    pub end_before: Option<String>,
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

fn entry(object: &aws_sdk_s3::types::Object) -> Option<ObjectEntry> {
    Some(ObjectEntry {
        key: object.key()?.to_owned(),
        size: object.size().unwrap_or(0).max(0) as u64,
        last_modified: object.last_modified().and_then(|t| t.to_millis().ok()).unwrap_or(0),
        etag: object.e_tag().map(|t| t.trim_matches('"').to_owned()),
    })
}

/// Where a listing goes on after a page, or that it ended; anything else is an error.
fn next_token(
    page_truncated: Option<bool>,
    next: Option<&str>,
    current: Option<&str>,
) -> Result<Option<String>, BucketError> {
    let incomplete = |reason: &str| {
        Err(BucketError::ListingIncomplete {
            reason: reason.to_owned(),
        })
    };
    match (page_truncated, next.filter(|t| !t.is_empty())) {
        (Some(false), _) => Ok(None),
        (Some(true), Some(next)) if current == Some(next) => {
            incomplete("the server gave the same continuation token twice")
        }
        (Some(true), Some(next)) => Ok(Some(next.to_owned())),
        (Some(true), None) => incomplete("the server said there is more but gave no continuation token"),
        (None, _) => incomplete("the server's answer does not say whether the listing is complete"),
    }
}

/// A listing of one key range, a page at a time.
pub struct KeyRangeListing<'b> {
    bucket: &'b Bucket,
    range: KeyRange,
    token: Option<String>,
    done: bool,
}

impl KeyRangeListing<'_> {
    /// The next page, or `None` once the range has been listed to its end. An answer that
    /// does not say where the listing goes on is an error, never taken for the end.
    pub async fn next_page(&mut self) -> Result<Option<Vec<ObjectEntry>>, BucketError> {
        if self.done {
            return Ok(None);
        }
        let (bucket, range) = (self.bucket, &self.range);
        let mut request = bucket
            .client
            .list_objects_v2()
            .bucket(&bucket.profile.bucket)
            .max_keys(1000);
        if let Some(prefix) = &range.prefix {
            request = request.prefix(prefix);
        }
        request = match (&self.token, &range.start_after) {
            (Some(token), _) => request.continuation_token(token),
            (None, Some(after)) => request.start_after(after),
            (None, None) => request,
        };
        let answer = request.send().await.map_err(|e| bucket.error(e))?;
        let mut past_end = false;
        let mut entries = Vec::with_capacity(answer.contents().len());
        for object in answer.contents() {
            let Some(entry) = entry(object) else { continue };
            // Checked here as well, for servers that ignore StartAfter.
            if range
                .start_after
                .as_deref()
                .is_some_and(|after| entry.key.as_str() <= after)
            {
                continue;
            }
            if range.end_before.as_deref().is_some_and(|end| entry.key.as_str() >= end) {
                past_end = true;
                continue;
            }
            entries.push(entry);
        }
        self.token = if past_end {
            None
        } else {
            next_token(
                answer.is_truncated(),
                answer.next_continuation_token(),
                self.token.as_deref(),
            )?
        };
        self.done = self.token.is_none();
        Ok(Some(entries))
    }
}

impl Bucket {
    /// A listing of the objects of `range`, page by page.
    pub fn list(&self, range: KeyRange) -> KeyRangeListing<'_> {
        KeyRangeListing {
            bucket: self,
            range,
            token: None,
            done: false,
        }
    }

    /// Every object under `prefix`, complete or an error.
    pub async fn list_prefix(&self, prefix: &str) -> Result<Vec<ObjectEntry>, BucketError> {
        let mut listing = self.list(KeyRange {
            prefix: Some(prefix.to_owned()),
            ..KeyRange::default()
        });
        let mut all = Vec::new();
        while let Some(page) = listing.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// The top-level folders of the bucket (`alice/`, `previews/`, ...), and the objects
    /// at its root.
    pub async fn top_level(&self) -> Result<(Vec<String>, Vec<ObjectEntry>), BucketError> {
        let mut folders = Vec::new();
        let mut objects = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut request = self
                .client
                .list_objects_v2()
                .bucket(&self.profile.bucket)
                .delimiter("/")
                .max_keys(1000);
            if let Some(token) = &token {
                request = request.continuation_token(token);
            }
            let answer = request.send().await.map_err(|e| self.error(e))?;
            folders.extend(
                answer
                    .common_prefixes()
                    .iter()
                    .filter_map(|p| p.prefix().map(str::to_owned)),
            );
            objects.extend(answer.contents().iter().filter_map(entry));
            match next_token(
                answer.is_truncated(),
                answer.next_continuation_token(),
                token.as_deref(),
            )? {
                None => return Ok((folders, objects)),
                next => token = next,
            }
        }
    }

    /// Lists every object of the bucket into `pages`. Either every run reached its end
    /// and this says how many objects it listed, or this is an error (and whatever was
    /// sent is only part of the bucket).
    pub async fn list_all(&self, options: ListingOptions, pages: &Pages) -> Result<Listed, BucketError> {
        let mut listed = Listed::default();
        let runs = if options.by_creator {
            let (folders, root_objects) = self.top_level().await?;
            listed.objects += root_objects.len() as u64;
            send(pages, root_objects).await?;
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
            let (bucket, pages, permits) = (self.clone(), pages.clone(), permits.clone());
            tasks.spawn(async move {
                // The semaphore is never closed, so this only waits.
                let _permit = permits.acquire_owned().await;
                let mut objects = 0u64;
                let mut listing = bucket.list(run.range);
                while let Some(mut entries) = listing.next_page().await? {
                    // Keys under previews/ belong to the previews run alone.
                    if !run.previews {
                        entries.retain(|e| !e.key.starts_with(PREVIEWS_PREFIX));
                    }
                    objects += entries.len() as u64;
                    send(&pages, entries).await?;
                }
                Ok::<_, BucketError>(objects)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Ok(objects)) => listed.objects += objects,
                // Returning drops the other runs: an incomplete listing is no listing.
                Ok(Err(e)) => return Err(e),
                Err(e) => {
                    return Err(BucketError::ListingIncomplete {
                        reason: format!("a listing task ended abnormally: {e}"),
                    });
                }
            }
        }
        tracing::debug!(objects = listed.objects, "listing complete");
        Ok(listed)
    }
}

async fn send(pages: &Pages, entries: Vec<ObjectEntry>) -> Result<(), BucketError> {
    if entries.is_empty() {
        return Ok(());
    }
    pages.send(entries).await.map_err(|_| BucketError::ListingIncomplete {
        reason: "the sync stopped taking pages".into(),
    })
}
