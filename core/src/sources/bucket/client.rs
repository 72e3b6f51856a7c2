//! The client of an R2 or other S3-compatible bucket (aws-sdk-s3), and its failures
//! turned into situations a user understands, each keeping the SDK's error as its cause.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::retry::{ClassifyRetry, RetryAction, RetryConfig};
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::settings::{Profile, ProfileError, Secret};

/// An error as a cause: the SDK's, kept whole for whoever wants the detail.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

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

impl BucketSettings {
    /// For one question about one object while the user waits (why did this video not
    /// play?): one attempt, a short time limit.
    pub fn quick_check() -> BucketSettings {
        BucketSettings {
            max_attempts: 1,
            connect_timeout: Duration::from_secs(3),
            attempt_timeout: Duration::from_secs(5),
            ..BucketSettings::default()
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BucketError {
    #[error("cannot reach {endpoint} (check the endpoint URL and the network)")]
    Unreachable {
        endpoint: String,
        #[source]
        source: Cause,
    },
    #[error("{endpoint} did not answer in time (check the network, or try again)")]
    Timeout {
        endpoint: String,
        #[source]
        source: Cause,
    },
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
    #[error("the bucket has no object {key:?}")]
    NoSuchKey { key: String },
    #[error("{key:?} is {size} bytes, more than the {limit} read here")]
    TooLarge { key: String, size: u64, limit: u64 },
    #[error("the server is throttling requests ({code}); try again later")]
    Throttled { code: String },
    #[error("the server kept failing (HTTP {status}{code}) after retrying; try again later")]
    ServerFailing { status: u16, code: String },
    #[error("the server's answer could not be read (HTTP {status})")]
    BadResponse {
        status: u16,
        #[source]
        source: Cause,
    },
    #[error("the listing of the bucket stopped part-way: {reason}")]
    ListingIncomplete { reason: String },
    #[error("the server refused the request: {code}: {message} (HTTP {status})")]
    Refused { status: u16, code: String, message: String },
    #[error("cannot build a request for {endpoint}")]
    Request {
        endpoint: String,
        #[source]
        source: Cause,
    },
    #[error("the bucket settings are not usable")]
    Settings(#[from] ProfileError),
}

impl BucketError {
    /// Whether the same request later can succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            BucketError::Unreachable { .. }
                | BucketError::Timeout { .. }
                | BucketError::Throttled { .. }
                | BucketError::ServerFailing { .. }
                | BucketError::BadResponse { .. }
                | BucketError::ListingIncomplete { .. }
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
    pub(super) client: Client,
    pub(super) profile: Profile,
    credentials: Credentials,
    /// Set once R2 (or another server) refused batch DeleteObjects, so later deletes go
    /// straight to one request per key.
    pub(super) batch_delete_refused: Arc<AtomicBool>,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl Bucket {
    /// Builds the client for `profile`. Makes no request.
    pub fn connect(profile: &Profile, secret: &Secret, settings: &BucketSettings) -> Result<Bucket, BucketError> {
        profile.validate()?;
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

    /// The same bucket with other retry and time limits (sharing nothing but settings).
    pub fn with_settings(&self, secret: &Secret, settings: &BucketSettings) -> Result<Bucket, BucketError> {
        Bucket::connect(&self.profile, secret, settings)
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
    pub async fn check(&self) -> Result<(), BucketError> {
        self.client
            .list_objects_v2()
            .bucket(&self.profile.bucket)
            .max_keys(1)
            .send()
            .await
            .map(drop)
            .map_err(|e| self.error(e))
    }

    /// Whether `key` is in the bucket and readable with these credentials: the first byte
    /// of it, asked with the same signature a player's URL carries. A GET rather than a
    /// HEAD, whose error answers have no body to tell a wrong secret from a denial.
    pub async fn check_object(&self, key: &str) -> Result<(), BucketError> {
        match self
            .client
            .get_object()
            .bucket(&self.profile.bucket)
            .key(key)
            .range("bytes=0-0")
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match self.error(e) {
                BucketError::NoSuchBucket { .. } | BucketError::Refused { status: 404, .. } => {
                    Err(BucketError::NoSuchKey { key: key.to_owned() })
                }
                BucketError::Refused { code, .. } if code == "NoSuchKey" => {
                    Err(BucketError::NoSuchKey { key: key.to_owned() })
                }
                // An empty object has no byte 0: it is there all the same.
                BucketError::Refused { status: 416, .. } => Ok(()),
                other => Err(other),
            },
        }
    }

    /// The whole of `key`, when it is at most `limit` bytes (the size is asked of the
    /// answer's header before any of the body is read).
    pub async fn read(&self, key: &str, limit: u64) -> Result<Vec<u8>, BucketError> {
        let answer = self
            .client
            .get_object()
            .bucket(&self.profile.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| match self.error(e) {
                BucketError::NoSuchBucket { .. } | BucketError::Refused { status: 404, .. } => {
                    BucketError::NoSuchKey { key: key.to_owned() }
                }
                BucketError::Refused { code, .. } if code == "NoSuchKey" => {
                    BucketError::NoSuchKey { key: key.to_owned() }
                }
                other => other,
            })?;
        let size = answer.content_length().map_or(0, |n| n.max(0) as u64);
        if size > limit {
            return Err(BucketError::TooLarge {
                key: key.to_owned(),
                size,
                limit,
            });
        }
        let body = answer.body.collect().await.map_err(|e| BucketError::BadResponse {
            status: 200,
            source: Box::new(e),
        })?;
        Ok(body.into_bytes().to_vec())
    }

    /// Turns an SDK error into a situation a user can act on, keeping it as the cause.
    pub(crate) fn error<E>(&self, err: SdkError<E, HttpResponse>) -> BucketError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let endpoint = self.profile.endpoint.clone();
        match &err {
            SdkError::TimeoutError(_) => BucketError::Timeout {
                endpoint,
                source: err.into(),
            },
            SdkError::DispatchFailure(failure) if failure.is_timeout() => BucketError::Timeout {
                endpoint,
                source: err.into(),
            },
            SdkError::DispatchFailure(_) => BucketError::Unreachable {
                endpoint,
                source: err.into(),
            },
            SdkError::ResponseError(response) => {
                let status = response.raw().status().as_u16();
                if status >= 500 {
                    BucketError::ServerFailing {
                        status,
                        code: String::new(),
                    }
                } else {
                    BucketError::BadResponse {
                        status,
                        source: err.into(),
                    }
                }
            }
            SdkError::ServiceError(service) => {
                let status = service.raw().status().as_u16();
                let code = service.err().code().unwrap_or_default().to_owned();
                let message = service.err().message().unwrap_or_default().to_owned();
                self.service_error(status, code, message)
            }
            _ => BucketError::Request {
                endpoint,
                source: err.into(),
            },
        }
    }

    pub(super) fn service_error(&self, status: u16, code: String, message: String) -> BucketError {
        let profile = &self.profile;
        match (code.as_str(), status) {
            ("NoSuchKey", _) => BucketError::Refused { status, code, message },
            ("NoSuchBucket", _) | ("", 404) => BucketError::NoSuchBucket {
                bucket: profile.bucket.clone(),
                endpoint: profile.endpoint.clone(),
            },
            // s3s answers NotSignedUp for a key it does not know.
            ("InvalidAccessKeyId" | "NotSignedUp", _) => BucketError::UnknownAccessKey {
                access_key_id: profile.access_key_id.clone(),
                endpoint: profile.endpoint.clone(),
            },
            ("SignatureDoesNotMatch", _) => BucketError::BadSecret {
                access_key_id: profile.access_key_id.clone(),
            },
            ("RequestTimeTooSkewed", _) => BucketError::ClockSkew,
            ("AccessDenied", _) | ("", 403) => BucketError::AccessDenied {
                bucket: profile.bucket.clone(),
                message: if message.is_empty() {
                    "no reason given".into()
                } else {
                    message
                },
            },
            ("SlowDown" | "Throttling" | "ThrottlingException" | "TooManyRequests", _) | (_, 429) => {
                BucketError::Throttled { code }
            }
            (_, 500..) => BucketError::ServerFailing {
                status,
                code: if code.is_empty() { code } else { format!(" {code}") },
            },
            _ => BucketError::Refused { status, code, message },
        }
    }
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
        assert!(matches!(e("NoSuchBucket", 404), BucketError::NoSuchBucket { .. }));
        assert!(matches!(e("", 404), BucketError::NoSuchBucket { .. }));
        assert!(matches!(
            e("InvalidAccessKeyId", 403),
            BucketError::UnknownAccessKey { .. }
        ));
        assert!(matches!(e("NotSignedUp", 403), BucketError::UnknownAccessKey { .. }));
        assert!(matches!(e("SignatureDoesNotMatch", 403), BucketError::BadSecret { .. }));
        assert!(matches!(e("RequestTimeTooSkewed", 403), BucketError::ClockSkew));
        assert!(matches!(e("SlowDown", 503), BucketError::Throttled { .. }));
        assert!(e("", 524).is_transient(), "a Cloudflare edge error is transient");
        assert!(!e("NotImplemented", 501).to_string().is_empty());
        assert!(!e("InvalidArgument", 400).is_transient());
    }

    #[test]
    fn the_secret_never_shows() {
        let b = bucket();
        assert!(!format!("{b:?}").contains("s3cr3t"), "{b:?}");
        for code in ["SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", ""] {
            let message = b.service_error(403, code.into(), String::new()).to_string();
            assert!(!message.contains("s3cr3t"), "{message}");
        }
    }

    #[tokio::test]
    async fn an_unreachable_endpoint_keeps_its_cause() {
        let b = Bucket::connect(
            bucket().profile(),
            &Secret::new("s3cr3t-value"),
            &BucketSettings::quick_check(),
        )
        .unwrap();
        let e = b.check().await.unwrap_err();
        assert!(matches!(e, BucketError::Unreachable { .. }), "{e}");
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        assert!(
            causes.iter().any(|c| c.to_lowercase().contains("refused")),
            "the connection refusal is lost: {causes:?}"
        );
        assert!(!format!("{e} {causes:?}").contains("s3cr3t"));
    }
}
