//! Where a library's videos live, behind one seam with three jobs: **list** every object
//! (the same [`ObjectEntry`] stream whatever the kind), make a **URL** a player can fetch
//! a video or a preview segment from, and **delete** a set of keys. Two kinds: an
//! S3-compatible bucket and a folder on this computer laid out like one. Nothing here
//! knows the catalog; callers ask it which keys to list, play or delete.

pub mod bucket;
pub mod folder;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use self::bucket::{
    Bucket, BucketError, BucketSettings, PresignError, Presigner, Profile, ProfileError, Secret, SecretSource,
};
use self::folder::{Folder, FolderError, MediaServer};

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEntry {
    /// The bucket key, or the path inside the folder with `/` between its parts.
    pub key: String,
    pub size: u64,
    /// Unix ms.
    pub last_modified: i64,
    /// A bucket's ETag without its quotes; `None` for a file (size and time tell a change).
    pub etag: Option<String>,
}

/// Where a listing sends what it finds, page by page, as it finds it.
pub type Pages = tokio::sync::mpsc::Sender<Vec<ObjectEntry>>;

/// What a listing that reached its end found, beside the pages it sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    pub objects: u64,
    /// Key prefixes (`alice/2023/`) whose contents could not be read: their videos are
    /// not known to be gone, so a sync keeps them.
    pub unreadable: Vec<String>,
    /// Entries left out: names that are not UTF-8, links that lead out of the folder.
    pub skipped: u64,
}

/// How a source is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingOptions {
    /// Listing requests in flight at once (a bucket).
    pub concurrency: usize,
    /// One listing per creator folder instead of three key ranges (a bucket).
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

/// What a delete did, key by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deleted {
    /// Keys now gone (deleting a missing key succeeds, as in S3).
    pub deleted: Vec<String>,
    /// Keys that failed, with the reason.
    pub failed: Vec<(String, String)>,
}

/// A URL a player fetches media from, and the moment it stops working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MediaUrl {
    pub key: String,
    /// An http(s) URL; for a folder reached without the app's media server (the CLI),
    /// the file's absolute path, which any player opens as it is.
    pub url: String,
    /// Unix ms; `None` for a URL that works as long as the app runs.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub expires_at: Option<i64>,
}

/// What the player needs to play a video and preview it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VideoUrls {
    pub video: MediaUrl,
    /// In natural order (`segment_2` before `segment_10`).
    pub preview_segments: Vec<MediaUrl>,
}

/// Why media may have failed to load, asked of the source about that one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum MediaCheck {
    /// The object is there and readable: the link expired, or the format cannot be
    /// played here.
    Available,
    /// No longer in the source: deleted behind the app's back.
    Gone,
    /// The server cannot be reached.
    Unreachable { message: String },
    /// The server does not answer in time.
    NoAnswer { message: String },
    /// The source refused: a wrong secret, no permission, an unreadable file.
    Refused { message: String },
}

/// How a library reaches its videos, as saved with the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SourceSettings {
    Bucket(Profile),
    Folder(FolderSettings),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FolderSettings {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
}

impl SourceSettings {
    pub fn kind(&self) -> SourceKind {
        match self {
            SourceSettings::Bucket(_) => SourceKind::Bucket,
            SourceSettings::Folder(_) => SourceKind::Folder,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SourceKind {
    Bucket,
    Folder,
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SourceKind::Bucket => "bucket",
            SourceKind::Folder => "folder",
        })
    }
}

/// A source's failure, saying which library and which kind of source it was.
#[derive(Debug, thiserror::Error)]
#[error("the {kind} of library {library:?}")]
pub struct SourceError {
    pub library: String,
    pub kind: SourceKind,
    #[source]
    pub failure: SourceFailure,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceFailure {
    #[error(transparent)]
    Bucket(#[from] BucketError),
    #[error(transparent)]
    Settings(#[from] ProfileError),
    #[error(transparent)]
    Presign(#[from] PresignError),
    #[error(transparent)]
    Folder(#[from] FolderError),
}

impl SourceError {
    /// Whether the object asked for is not in the source: deleted or moved behind the
    /// catalog's back, until a sync says otherwise.
    pub fn is_missing_object(&self) -> bool {
        match &self.failure {
            SourceFailure::Bucket(BucketError::NoSuchKey { .. }) => true,
            SourceFailure::Folder(FolderError::Unreadable { source, .. }) => {
                source.kind() == std::io::ErrorKind::NotFound
            }
            _ => false,
        }
    }

    /// Whether the same thing later can succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        match &self.failure {
            SourceFailure::Bucket(e) => e.is_transient(),
            SourceFailure::Folder(e) => e.is_transient(),
            SourceFailure::Settings(_) | SourceFailure::Presign(_) => false,
        }
    }
}

/// What connecting needs besides the settings.
#[derive(Clone)]
pub struct ConnectOptions {
    /// How long a presigned URL works.
    pub url_lifetime: Duration,
    pub bucket: BucketSettings,
    /// The app's loopback server, through which folder media reaches the webview, and
    /// the library's id in its URLs. Without it (the CLI), a folder's URLs are paths.
    pub media_server: Option<(Arc<MediaServer>, String)>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            url_lifetime: bucket::DEFAULT_EXPIRY,
            bucket: BucketSettings::default(),
            media_server: None,
        }
    }
}

/// A connected source. Cheap to share behind an `Arc`.
pub struct Source {
    library: String,
    kind: Kind,
}

// One `Source` per open library, shared behind an `Arc`: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Kind {
    Bucket {
        bucket: Bucket,
        /// The same bucket with one attempt and short time limits, for questions asked
        /// while the user waits.
        quick: Bucket,
        presigner: Presigner,
        secret_source: SecretSource,
    },
    Folder(Folder),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("library", &self.library)
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

impl Source {
    /// The one way to a source: the library's name (for messages), its settings, and for
    /// a bucket a secret already in hand with where it is kept (`None`: the stored one,
    /// or the environment's; see [`Profile::keep_secret`]). Makes no request;
    /// [`Source::check`] does.
    pub fn connect(
        library: &str,
        settings: &SourceSettings,
        secret: Option<(Secret, SecretSource)>,
        options: &ConnectOptions,
    ) -> Result<Source, SourceError> {
        let fail = |failure: SourceFailure| SourceError {
            library: library.to_owned(),
            kind: settings.kind(),
            failure,
        };
        let kind = match settings {
            SourceSettings::Bucket(profile) => {
                let (secret, secret_source) = match secret {
                    Some(given) => given,
                    None => profile.secret().map_err(|e| fail(e.into()))?,
                };
                let bucket = Bucket::connect(profile, &secret, &options.bucket).map_err(|e| fail(e.into()))?;
                let quick =
                    Bucket::connect(profile, &secret, &BucketSettings::quick_check()).map_err(|e| fail(e.into()))?;
                let presigner = Presigner::new(&bucket, options.url_lifetime).map_err(|e| fail(e.into()))?;
                Kind::Bucket {
                    bucket,
                    quick,
                    presigner,
                    secret_source,
                }
            }
            SourceSettings::Folder(folder) => {
                Kind::Folder(Folder::open(&folder.path, options.media_server.clone()).map_err(|e| fail(e.into()))?)
            }
        };
        Ok(Source {
            library: library.to_owned(),
            kind,
        })
    }

    pub fn library(&self) -> &str {
        &self.library
    }

    pub fn kind(&self) -> SourceKind {
        match &self.kind {
            Kind::Bucket { .. } => SourceKind::Bucket,
            Kind::Folder(_) => SourceKind::Folder,
        }
    }

    /// Where a bucket's secret came from; `None` for a folder.
    pub fn secret_source(&self) -> Option<SecretSource> {
        match &self.kind {
            Kind::Bucket { secret_source, .. } => Some(*secret_source),
            Kind::Folder(_) => None,
        }
    }

    /// The bucket behind this source, if it is one.
    pub fn bucket(&self) -> Option<&Bucket> {
        match &self.kind {
            Kind::Bucket { bucket, .. } => Some(bucket),
            Kind::Folder(_) => None,
        }
    }

    /// The folder behind this source, if it is one.
    pub fn folder(&self) -> Option<&Folder> {
        match &self.kind {
            Kind::Folder(folder) => Some(folder),
            Kind::Bucket { .. } => None,
        }
    }

    fn error(&self, failure: impl Into<SourceFailure>) -> SourceError {
        SourceError {
            library: self.library.clone(),
            kind: self.kind(),
            failure: failure.into(),
        }
    }

    /// `scheme://host[:port]` of every URL this source makes: what the page's content
    /// security policy must allow media from. `None` when its URLs are file paths.
    pub fn media_origin(&self) -> Option<String> {
        match &self.kind {
            Kind::Bucket { presigner, .. } => Some(presigner.origin().to_owned()),
            Kind::Folder(folder) => folder.media_origin(),
        }
    }

    /// One cheap request (or look at the folder) that needs everything to be right.
    pub async fn check(&self) -> Result<(), SourceError> {
        match &self.kind {
            Kind::Bucket { quick, .. } => quick.check().await.map_err(|e| self.error(e)),
            Kind::Folder(folder) => folder.check().map_err(|e| self.error(e)),
        }
    }

    /// Lists every object into `pages`, complete or an error.
    pub async fn list(&self, options: ListingOptions, pages: &Pages) -> Result<Listed, SourceError> {
        match &self.kind {
            Kind::Bucket { bucket, .. } => bucket.list_all(options, pages).await.map_err(|e| self.error(e)),
            Kind::Folder(folder) => folder.list(pages).await.map_err(|e| self.error(e)),
        }
    }

    /// Every object under `prefix`, complete or an error.
    pub async fn list_prefix(&self, prefix: &str) -> Result<Vec<ObjectEntry>, SourceError> {
        match &self.kind {
            Kind::Bucket { bucket, .. } => bucket.list_prefix(prefix).await.map_err(|e| self.error(e)),
            Kind::Folder(folder) => folder.list_prefix(prefix).map_err(|e| self.error(e)),
        }
    }

    /// A URL for `key` (a video or a preview segment of the catalog).
    pub fn url(&self, key: &str) -> Result<MediaUrl, SourceError> {
        self.url_at(key, SystemTime::now())
    }

    fn url_at(&self, key: &str, now: SystemTime) -> Result<MediaUrl, SourceError> {
        match &self.kind {
            Kind::Bucket { presigner, .. } => presigner.url_at(key, now).map_err(|e| self.error(e)),
            Kind::Folder(folder) => folder.url(key).map_err(|e| self.error(e)),
        }
    }

    /// URLs for a video key and the given segment keys, in the order given.
    pub fn video_urls(&self, key: &str, segments: &[String]) -> Result<VideoUrls, SourceError> {
        let now = SystemTime::now();
        Ok(VideoUrls {
            video: self.url_at(key, now)?,
            preview_segments: segments.iter().map(|s| self.url_at(s, now)).collect::<Result<_, _>>()?,
        })
    }

    /// The whole of object `key`, when it is at most `limit` bytes: what a poster is
    /// made from.
    pub async fn read(&self, key: &str, limit: u64) -> Result<Vec<u8>, SourceError> {
        match &self.kind {
            Kind::Bucket { bucket, .. } => bucket.read(key, limit).await.map_err(|e| self.error(e)),
            Kind::Folder(folder) => folder.read(key, limit).await.map_err(|e| self.error(e)),
        }
    }

    /// Deletes `keys`: from a bucket for good, from a folder into the OS trash.
    pub async fn delete(&self, keys: &[String]) -> Deleted {
        match &self.kind {
            Kind::Bucket { bucket, .. } => bucket.delete(keys).await,
            Kind::Folder(folder) => folder.trash(keys),
        }
    }

    /// Why `key` may have failed to play, from one quick question about it.
    pub async fn check_media(&self, key: &str) -> MediaCheck {
        match &self.kind {
            Kind::Bucket { quick, .. } => match quick.check_object(key).await {
                Ok(()) => MediaCheck::Available,
                Err(e) => media_check_of(&e),
            },
            Kind::Folder(folder) => folder.check_media(key),
        }
    }
}

/// The innermost cause of an error: "Connection refused", "Name or service not known".
pub fn root_cause(error: &dyn std::error::Error) -> String {
    let mut source = error;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

fn media_check_of(e: &BucketError) -> MediaCheck {
    let message = match e {
        BucketError::Unreachable { .. } | BucketError::Timeout { .. } => {
            format!("{e}: {}", root_cause(e))
        }
        _ => e.to_string(),
    };
    match e {
        BucketError::NoSuchKey { .. } => MediaCheck::Gone,
        BucketError::Unreachable { .. } => MediaCheck::Unreachable { message },
        BucketError::Timeout { .. } => MediaCheck::NoAnswer { message },
        BucketError::Throttled { .. } | BucketError::ServerFailing { .. } | BucketError::BadResponse { .. } => {
            MediaCheck::NoAnswer { message }
        }
        _ => MediaCheck::Refused { message },
    }
}
