//! The bucket: an R2 or other S3-compatible bucket reached with aws-sdk-s3, listed page
//! by page, its objects deleted, its errors turned into situations a user understands.
//!
//! The library behind the app is a bucket today; a local folder could be another kind of
//! [`crate::listing::Library`] later, offering the same listing and delete with no S3 in it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::retry::{ClassifyRetry, RetryAction, RetryConfig};
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde::Serialize;

use crate::profile::{Profile, Secret};

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEntry {
    pub key: String,
    pub size: u64,
    /// Unix ms.
    pub last_modified: i64,
    /// Without the quotes S3 puts around it.
    pub etag: Option<String>,
}

/// A run of keys to list: those under `prefix`, after `start_after`, before `end_before`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRange {
    pub prefix: Option<String>,
    pub start_after: Option<String>,
    pub end_before: Option<String>,
}

/// How the client behaves on a slow or failing server.
#[derive(Debug, Clone)]
pub struct BucketSettings {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub connect_timeout: Duration,
    /// One attempt of one request: a listing page of a big bucket takes well under this.
    pub attempt_timeout: Duration,
}

impl Default for BucketSettings {
    fn default() -> Self {
        BucketSettings {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot reach {endpoint}: {detail} (check the endpoint URL and the network)")]
    Unreachable { endpoint: String, detail: String },
    #[error("{endpoint} did not answer in time (check the network, or try again)")]
    Timeout { endpoint: String },
    #[error("there is no bucket {bucket:?} at {endpoint} (check the bucket name)")]
    NoSuchBucket { bucket: String, endpoint: String },
    #[error("{endpoint} does not know the access key id {access_key_id:?} (check the access key id)")]
    UnknownAccessKey { access_key_id: String, endpoint: String },
    #[error("the secret access key is wrong for access key id {access_key_id:?} (the server refused the signature)")]
    BadSecret { access_key_id: String },
    #[error("this computer's clock differs from the server's by too much for a signed request; set the system time")]
    ClockSkew,
    #[error("access to bucket {bucket:?} is denied: {message} (check the key's permissions)")]
    AccessDenied { bucket: String, message: String },
    #[error("the server is throttling requests ({code}); try again later")]
    Throttled { code: String },
    #[error("the server kept failing (HTTP {status}{code}) after retrying; nothing was changed, try again later")]
    ServerFailing { status: u16, code: String },
    #[error("the server's answer could not be read (HTTP {status}): {detail}")]
    BadResponse { status: u16, detail: String },
    #[error("the listing of the bucket stopped part-way: {0}")]
    ListingIncomplete(String),
    #[error("the server refused the request: {code}: {message} (HTTP {status})")]
    Refused { status: u16, code: String, message: String },
    #[error("cannot build a request for {endpoint}: {detail}")]
    Request { endpoint: String, detail: String },
    #[error("could not delete {failed} of {total} objects; first failure: {first}")]
    DeleteFailed { failed: usize, total: usize, first: String },
}

impl StorageError {
    /// Whether the same request later can succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            StorageError::Unreachable { .. }
                | StorageError::Timeout { .. }
                | StorageError::Throttled { .. }
                | StorageError::ServerFailing { .. }
                | StorageError::BadResponse { .. }
                | StorageError::ListingIncomplete(_)
                | StorageError::DeleteFailed { .. }
        )
    }
}

/// Cloudflare's edge answers 520-527 (origin errors, timeouts) with no S3 error code; the
/// SDK's classifiers do not know them. They are worth a retry like a 503.
#[derive(Debug)]
struct CloudflareEdgeErrors;

impl ClassifyRetry for CloudflareEdgeErrors {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.response().map(|r| r.status().as_u16()) {
            Some(520..=527) => RetryAction::server_error(),
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "cloudflare edge errors"
    }
}

/// A connected bucket. Cheap to clone: the client is shared.
#[derive(Clone)]
pub struct Bucket {
    client: Client,
    profile: Profile,
    credentials: Credentials,
    /// Set once R2 (or another server) refused batch DeleteObjects, so later deletes go
    /// straight to one request per key.
    batch_delete_refused: Arc<AtomicBool>,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// What a delete did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deleted {
    /// Keys the server confirmed gone (deleting a missing key succeeds, as in S3).
    pub deleted: usize,
    /// Keys that failed, with the server's reason.
    pub failed: Vec<(String, String)>,
}

impl Bucket {
    /// Builds the client for `profile`. Makes no request.
    pub fn connect(profile: &Profile, secret: &Secret, settings: &BucketSettings) -> Result<Bucket, StorageError> {
        profile.validate().map_err(|e| StorageError::Request {
            endpoint: profile.endpoint.clone(),
            detail: e.to_string(),
        })?;
        let credentials = Credentials::new(&profile.access_key_id, secret.expose(), None, None, "m3u8v-profile");
        let retry = RetryConfig::standard()
            .with_max_attempts(settings.max_attempts.max(1))
            .with_initial_backoff(settings.initial_backoff)
            .with_max_backoff(settings.max_backoff);
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(settings.connect_timeout)
            .operation_attempt_timeout(settings.attempt_timeout)
            .build();
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(&profile.endpoint)
            .region(Region::new(profile.region.clone()))
            .force_path_style(profile.uses_path_style())
            .credentials_provider(credentials.clone())
            // R2 and several S3-compatible servers reject the CRC checksum headers the
            // SDK adds by default since early 2025: send and check them only when the
            // operation requires it.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .retry_config(retry)
            .retry_classifier(CloudflareEdgeErrors)
            .timeout_config(timeouts)
            .build();
        Ok(Bucket {
            client: Client::from_conf(config),
            profile: profile.clone(),
            credentials,
            batch_delete_refused: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn name(&self) -> &str {
        &self.profile.bucket
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// One cheap request that needs the endpoint, the bucket, the key, the secret and a
    /// right clock: a listing of at most one key (which sync needs permission for anyway).
    pub async fn check(&self) -> Result<(), StorageError> {
        self.client
            .list_objects_v2()
            .bucket(&self.profile.bucket)
            .max_keys(1)
            .send()
            .await
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Lists every object of `range`, following continuation tokens to the end, adding the
    /// number of objects seen to `listed` as pages arrive. An answer that does not say
    /// where the listing goes on is an error, never taken for the end.
    pub async fn list(&self, range: &KeyRange, listed: &AtomicU64) -> Result<Vec<ObjectEntry>, StorageError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut request = self
                .client
                .list_objects_v2()
                .bucket(&self.profile.bucket)
                .max_keys(1000);
            if let Some(prefix) = &range.prefix {
                request = request.prefix(prefix);
            }
            request = match (&token, &range.start_after) {
                (Some(token), _) => request.continuation_token(token),
                (None, Some(after)) => request.start_after(after),
                (None, None) => request,
            };
            let page = request.send().await.map_err(|e| self.error(e))?;
            let mut past_end = false;
            let before = out.len();
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                // Checked here as well, for servers that ignore StartAfter.
                if range.start_after.as_deref().is_some_and(|after| key <= after) {
                    continue;
                }
                if range.end_before.as_deref().is_some_and(|end| key >= end) {
                    past_end = true;
                    continue;
                }
                out.push(ObjectEntry {
                    key: key.to_owned(),
                    size: object.size().unwrap_or(0).max(0) as u64,
                    last_modified: object.last_modified().and_then(|t| t.to_millis().ok()).unwrap_or(0),
                    etag: object.e_tag().map(|t| t.trim_matches('"').to_owned()),
                });
            }
            // Counted as kept: a run that ends before `previews/` drops the rest of its
            // last page, which the previews run lists.
            listed.fetch_add((out.len() - before) as u64, Ordering::Relaxed);
            if past_end {
                return Ok(out);
            }
            match (
                page.is_truncated(),
                page.next_continuation_token().filter(|t| !t.is_empty()),
            ) {
                (Some(false), _) => return Ok(out),
                (Some(true), Some(next)) if token.as_deref() == Some(next) => {
                    return Err(StorageError::ListingIncomplete(
                        "the server gave the same continuation token twice".into(),
                    ));
                }
                (Some(true), Some(next)) => token = Some(next.to_owned()),
                (Some(true), None) => {
                    return Err(StorageError::ListingIncomplete(
                        "the server said there is more but gave no continuation token".into(),
                    ));
                }
                (None, _) => {
                    return Err(StorageError::ListingIncomplete(
                        "the server's answer does not say whether the listing is complete".into(),
                    ));
                }
            }
        }
    }

    /// The top-level folders of the bucket (`alice/`, `previews/`, ...), and the objects
    /// at its root.
    pub async fn top_level(&self, listed: &AtomicU64) -> Result<(Vec<String>, Vec<ObjectEntry>), StorageError> {
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
            let page = request.send().await.map_err(|e| self.error(e))?;
            folders.extend(
                page.common_prefixes()
                    .iter()
                    .filter_map(|p| p.prefix().map(str::to_owned)),
            );
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                objects.push(ObjectEntry {
                    key: key.to_owned(),
                    size: object.size().unwrap_or(0).max(0) as u64,
                    last_modified: object.last_modified().and_then(|t| t.to_millis().ok()).unwrap_or(0),
                    etag: object.e_tag().map(|t| t.trim_matches('"').to_owned()),
                });
            }
            listed.fetch_add(page.contents().len() as u64, Ordering::Relaxed);
            match (
                page.is_truncated(),
                page.next_continuation_token().filter(|t| !t.is_empty()),
            ) {
                (Some(false), _) => return Ok((folders, objects)),
                (Some(true), Some(next)) if token.as_deref() != Some(next) => token = Some(next.to_owned()),
                _ => {
                    return Err(StorageError::ListingIncomplete(
                        "the server's answer does not say where the listing goes on".into(),
                    ));
                }
            }
        }
    }

    /// Deletes `keys`, 1,000 per DeleteObjects request, or one DeleteObject per key when
    /// the server refuses the batch (R2 has, over checksum headers).
    pub async fn delete(&self, keys: &[String]) -> Result<Deleted, StorageError> {
        let mut done = Deleted::default();
        for chunk in keys.chunks(1000) {
            if !self.batch_delete_refused.load(Ordering::Relaxed) {
                match self.delete_batch(chunk).await {
                    Ok(step) => {
                        done.deleted += step.deleted;
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
                    Ok(_) => done.deleted += 1,
                    Err(e) => done.failed.push((key.clone(), self.error(e).to_string())),
                }
            }
        }
        Ok(done)
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
                Ok(Deleted {
                    deleted: keys.len() - failed.len(),
                    failed,
                })
            }
            // Anything else goes to the per-key path too, which reports each key's error;
            // a transient failure there is retried by the client like any request.
            Err(e) => {
                tracing::debug!(error = %DisplayErrorContext(&e), "batch delete failed");
                Err(BatchRefused)
            }
        }
    }

    /// Turns an SDK error into a situation a user can act on.
    pub(crate) fn error<E>(&self, err: SdkError<E, HttpResponse>) -> StorageError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let endpoint = self.profile.endpoint.clone();
        match &err {
            SdkError::TimeoutError(_) => StorageError::Timeout { endpoint },
            SdkError::DispatchFailure(failure) if failure.is_timeout() => StorageError::Timeout { endpoint },
            SdkError::DispatchFailure(failure) => {
                let detail = failure
                    .as_connector_error()
                    .map_or_else(|| DisplayErrorContext(&err).to_string(), connector_detail);
                StorageError::Unreachable { endpoint, detail }
            }
            SdkError::ConstructionFailure(_) => StorageError::Request {
                endpoint,
                detail: DisplayErrorContext(&err).to_string(),
            },
            SdkError::ResponseError(response) => {
                let status = response.raw().status().as_u16();
                if status >= 500 {
                    StorageError::ServerFailing {
                        status,
                        code: String::new(),
                    }
                } else {
                    StorageError::BadResponse {
                        status,
                        detail: DisplayErrorContext(&err).to_string(),
                    }
                }
            }
            SdkError::ServiceError(service) => {
                let status = service.raw().status().as_u16();
                let code = service.err().code().unwrap_or_default().to_owned();
                let message = service.err().message().unwrap_or_default().to_owned();
                self.service_error(status, code, message)
            }
            _ => StorageError::Request {
                endpoint,
                detail: DisplayErrorContext(&err).to_string(),
            },
        }
    }

    fn service_error(&self, status: u16, code: String, message: String) -> StorageError {
        let profile = &self.profile;
        match (code.as_str(), status) {
            ("NoSuchBucket", _) | ("", 404) => StorageError::NoSuchBucket {
                bucket: profile.bucket.clone(),
                endpoint: profile.endpoint.clone(),
            },
            // s3s answers NotSignedUp for a key it does not know.
            ("InvalidAccessKeyId" | "NotSignedUp", _) => StorageError::UnknownAccessKey {
                access_key_id: profile.access_key_id.clone(),
                endpoint: profile.endpoint.clone(),
            },
            ("SignatureDoesNotMatch", _) => StorageError::BadSecret {
                access_key_id: profile.access_key_id.clone(),
            },
            ("RequestTimeTooSkewed", _) => StorageError::ClockSkew,
            ("AccessDenied", _) | ("", 403) => StorageError::AccessDenied {
                bucket: profile.bucket.clone(),
                message: if message.is_empty() {
                    "no reason given".into()
                } else {
                    message
                },
            },
            ("SlowDown" | "Throttling" | "ThrottlingException" | "TooManyRequests", _) | (_, 429) => {
                StorageError::Throttled { code }
            }
            (_, 500..) => StorageError::ServerFailing {
                status,
                code: if code.is_empty() { code } else { format!(" {code}") },
            },
            _ => StorageError::Refused { status, code, message },
        }
    }
}

/// The failure a DeleteObjects request ended in, for falling back to single deletes.
struct BatchRefused;

/// The innermost cause of a connection failure ("Connection refused", "failed to lookup
/// address information: Name or service not known", ...).
fn connector_detail(e: &aws_smithy_runtime_api::client::result::ConnectorError) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    let detail = source.to_string();
    if detail.is_empty() { e.to_string() } else { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket() -> Bucket {
        let profile = Profile {
            endpoint: "http://127.0.0.1:1".into(),
            bucket: "videos".into(),
            region: "auto".into(),
            access_key_id: "AKID".into(),
            path_style: true,
        };
        Bucket::connect(&profile, &Secret::new("s3cr3t-value"), &BucketSettings::default()).unwrap()
    }

    #[test]
    fn service_errors_say_what_is_wrong() {
        let b = bucket();
        let e = |code: &str, status| b.service_error(status, code.into(), "m".into());
        assert!(matches!(e("NoSuchBucket", 404), StorageError::NoSuchBucket { .. }));
        assert!(matches!(e("", 404), StorageError::NoSuchBucket { .. }));
        assert!(matches!(
            e("InvalidAccessKeyId", 403),
            StorageError::UnknownAccessKey { .. }
        ));
        assert!(matches!(e("NotSignedUp", 403), StorageError::UnknownAccessKey { .. }));
        assert!(matches!(
            e("SignatureDoesNotMatch", 403),
            StorageError::BadSecret { .. }
        ));
        assert!(matches!(e("RequestTimeTooSkewed", 403), StorageError::ClockSkew));
        assert!(matches!(e("SlowDown", 503), StorageError::Throttled { .. }));
        assert!(e("", 524).is_transient(), "a Cloudflare edge error is transient");
        assert!(!e("NotImplemented", 501).to_string().is_empty());
        assert!(!e("InvalidArgument", 400).is_transient());
    }

    #[test]
    fn the_secret_never_shows() {
        let b = bucket();
        assert!(!format!("{b:?}").contains("s3cr3t"));
        assert!(
            !b.service_error(403, "SignatureDoesNotMatch".into(), String::new())
                .to_string()
                .contains("s3cr3t")
        );
    }
}
