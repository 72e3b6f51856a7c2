//! Deleting objects of a bucket: 1,000 per DeleteObjects request, or one DeleteObject per
//! key where the server refuses the batch (R2 has, over checksum headers).

use std::sync::atomic::Ordering;

use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};

use super::client::Bucket;
use crate::sources::Deleted;

/// The failure a DeleteObjects request ended in, for falling back to single deletes.
struct BatchRefused;

impl Bucket {
    /// Deletes `keys`; deleting a key that is already gone succeeds, as in S3.
    pub async fn delete(&self, keys: &[String]) -> Deleted {
        let mut done = Deleted::default();
        for chunk in keys.chunks(1000) {
            if !self.batch_delete_refused.load(Ordering::Relaxed) {
                match self.delete_batch(chunk).await {
                    Ok(step) => {
                        done.deleted.extend(step.deleted);
                        done.failed.extend(step.failed);
                        continue;
                    }
                    Err(BatchRefused) => {
                        tracing::info!("the server refused batch DeleteObjects; deleting one key at a time");
                        self.batch_delete_refused.store(true, Ordering::Relaxed);
                    }
                }
            }
            for key in chunk {
                match self
                    .client
                    .delete_object()
                    .bucket(&self.profile.bucket)
                    .key(key)
                    .send()
                    .await
                {
                    Ok(_) => done.deleted.push(key.clone()),
                    Err(e) => done.failed.push((key.clone(), self.error(e).to_string())),
                }
            }
        }
        done
    }

    async fn delete_batch(&self, keys: &[String]) -> Result<Deleted, BatchRefused> {
        let objects = keys
            .iter()
            .filter_map(|k| ObjectIdentifier::builder().key(k).build().ok())
            .collect::<Vec<_>>();
        let Ok(delete) = Delete::builder().set_objects(Some(objects)).quiet(true).build() else {
            return Err(BatchRefused);
        };
        match self
            .client
            .delete_objects()
            .bucket(&self.profile.bucket)
            .delete(delete)
            .send()
            .await
        {
            Ok(out) => {
                let failed: Vec<(String, String)> = out
                    .errors()
                    .iter()
                    .map(|e| {
                        let reason = format!("{}: {}", e.code().unwrap_or("error"), e.message().unwrap_or_default());
                        (e.key().unwrap_or_default().to_owned(), reason)
                    })
                    .collect();
                let deleted = keys
                    .iter()
                    .filter(|k| !failed.iter().any(|(f, _)| f == *k))
                    .cloned()
                    .collect();
                Ok(Deleted { deleted, failed })
            }
            // Anything else goes to the per-key path too, which reports each key's error;
            // a transient failure there is retried by the client like any request.
            Err(e) => {
                tracing::debug!(error = %DisplayErrorContext(&e), "batch delete failed");
                Err(BatchRefused)
            }
        }
    }
}
