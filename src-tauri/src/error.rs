//! The one error the UI sees: `{kind, message}`. `kind` is what the UI branches on;
//! `message` is core's sentence, written for a person. A kind is added only when the UI
//! does something different for it.
//!
//! Nothing secret reaches a message: core's errors name keys, paths, endpoints and
//! counts, never a credential (the profile's secret is a `Secret` whose Debug is
//! redacted, and keychain errors are described without their payload).

use m3u8v_core::{
    BucketError, CatalogError, FolderError, FrameSourceError, IngestError, LibraryError, MutateError, PosterError,
    ProfileError, QueryError, RemoveError, SelectionError, SourceError, SourceFailure, StreamError, SyncError,
    ViewError,
};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The page cursor no longer fits: the UI starts again from the first page.
    BadCursor,
    /// The video is gone from the catalog (a sync removed it): the UI drops the card.
    NotFound,
    /// The request itself is wrong (page size, date range, a settings field): shown as is.
    Invalid,
    /// Another program holds the catalog, or the server is briefly failing: try again.
    Busy,
    /// The catalog could not be opened: the UI shows the reason, not a grid.
    CatalogUnavailable,
    /// No library exists or is open yet: the UI shows the first-run choices.
    NoLibrary,
    /// The library's bucket or folder is not set up, or its secret is missing: the UI
    /// offers the settings.
    NotConnected,
    /// The bucket or folder refused or could not be reached; the message says what to change.
    Source,
    /// The OS keychain could not keep the secret; the message says what to do instead.
    Keychain,
    /// A sync is already running; one at a time.
    SyncRunning,
    /// The user cancelled the sync.
    Cancelled,
    /// No poster can be made for the video (no preview and too big, or it failed to
    /// decode before): the card keeps its placeholder and does not ask again.
    NoPoster,
    /// Anything else: a bug or a damaged catalog.
    Internal,
}

#[derive(Debug, Clone, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            message: message.into(),
        }
    }
}

/// Whether `e` is one of core's own errors, whose sentence is written for a person (the
/// SDK's and the OS's, below them, are not).
fn is_core(e: &(dyn std::error::Error + 'static)) -> bool {
    e.is::<SyncError>()
        || e.is::<SourceError>()
        || e.is::<SourceFailure>()
        || e.is::<BucketError>()
        || e.is::<FolderError>()
        || e.is::<ProfileError>()
        || e.is::<CatalogError>()
        || e.is::<QueryError>()
        || e.is::<MutateError>()
        || e.is::<RemoveError>()
        || e.is::<LibraryError>()
        || e.is::<IngestError>()
        || e.is::<SelectionError>()
        || e.is::<ViewError>()
        || e.is::<FrameSourceError>()
        || e.is::<PosterError>()
}

/// Core's sentences down its chain of causes, then the innermost cause ("Connection
/// refused", "Permission denied"), each once.
pub fn message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut push = |text: String| {
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    };
    push(error.to_string());
    let mut current = error;
    while let Some(cause) = current.source() {
        if is_core(cause) {
            push(cause.to_string());
        }
        current = cause;
    }
    if !std::ptr::addr_eq(current, error) {
        push(current.to_string());
    }
    parts.join(": ")
}

fn with(kind: ErrorKind, e: &(dyn std::error::Error + 'static)) -> AppError {
    AppError::new(kind, message(e))
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> Self {
        with(
            if e.is_transient() {
                ErrorKind::Busy
            } else {
                ErrorKind::Internal
            },
            &e,
        )
    }
}

impl From<QueryError> for AppError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Catalog(inner) => inner.into(),
            QueryError::BadCursor | QueryError::CursorForOtherSort { .. } => with(ErrorKind::BadCursor, &e),
            QueryError::PageSize(_)
            | QueryError::EmptyDateRange
            | QueryError::Quality(_)
            | QueryError::SeenAndUnseen => with(ErrorKind::Invalid, &e),
        }
    }
}

impl From<MutateError> for AppError {
    fn from(e: MutateError) -> Self {
        match e {
            MutateError::Catalog(inner) => inner.into(),
            MutateError::NoSuchVideo(_) => with(ErrorKind::NotFound, &e),
            _ => with(ErrorKind::Invalid, &e),
        }
    }
}

impl From<SelectionError> for AppError {
    fn from(e: SelectionError) -> Self {
        match e {
            SelectionError::Query(inner) => inner.into(),
            SelectionError::Catalog(inner) => inner.into(),
            SelectionError::TooManyKeys(_) => with(ErrorKind::Invalid, &e),
        }
    }
}

impl From<ViewError> for AppError {
    fn from(e: ViewError) -> Self {
        match e {
            ViewError::Catalog(inner) => inner.into(),
            ViewError::NoSuchView(_) => with(ErrorKind::NotFound, &e),
            ViewError::EmptyName | ViewError::NameTooLong | ViewError::NameTaken(_) => with(ErrorKind::Invalid, &e),
            ViewError::Unreadable { .. } => with(ErrorKind::Internal, &e),
        }
    }
}

impl From<PosterError> for AppError {
    fn from(e: PosterError) -> Self {
        match e {
            PosterError::NotJpeg | PosterError::TooLarge { .. } => with(ErrorKind::Invalid, &e),
            _ if e.is_transient() => with(ErrorKind::Busy, &e),
            _ => with(ErrorKind::Internal, &e),
        }
    }
}

impl From<FrameSourceError> for AppError {
    fn from(e: FrameSourceError) -> Self {
        match e {
            _ if e.is_final() => with(ErrorKind::NoPoster, &e),
            FrameSourceError::Catalog(inner) => inner.into(),
            FrameSourceError::Posters(inner) => inner.into(),
            FrameSourceError::Source { source, .. } => source.into(),
            // Final ones, matched above.
            FrameSourceError::NoSuchVideo(_)
            | FrameSourceError::NothingSmallEnough { .. }
            | FrameSourceError::NoFrameInStream { .. }
            | FrameSourceError::Playlist(_)
            | FrameSourceError::FailedBefore { .. } => with(ErrorKind::NoPoster, &e),
        }
    }
}

impl From<StreamError> for AppError {
    fn from(e: StreamError) -> Self {
        match e {
            StreamError::NotAStreamObject(_) | StreamError::Playlist(_) => with(ErrorKind::Invalid, &e),
            StreamError::Source(inner) => inner.into(),
            StreamError::Catalog(inner) => inner.into(),
            StreamError::Aborted(_) => with(ErrorKind::Internal, &e),
        }
    }
}

impl From<SourceError> for AppError {
    fn from(e: SourceError) -> Self {
        let kind = match &e.failure {
            SourceFailure::Settings(ProfileError::NoSecret { .. } | ProfileError::Incomplete { .. }) => {
                ErrorKind::NotConnected
            }
            SourceFailure::Settings(ProfileError::NoKeychain(_)) => ErrorKind::Keychain,
            _ if e.is_transient() => ErrorKind::Busy,
            _ => ErrorKind::Source,
        };
        with(kind, &e)
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        match &e {
            SyncError::Cancelled { .. } => with(ErrorKind::Cancelled, &e),
            SyncError::Listing { source, .. } if !source.is_transient() => with(ErrorKind::Source, &e),
            _ if e.is_transient() => with(ErrorKind::Busy, &e),
            _ => with(ErrorKind::Internal, &e),
        }
    }
}

impl From<RemoveError> for AppError {
    fn from(e: RemoveError) -> Self {
        match e {
            RemoveError::Source(inner) => inner.into(),
            RemoveError::Catalog(inner) => inner.into(),
            RemoveError::NotAVideo(_) => with(ErrorKind::Invalid, &e),
            RemoveError::DeleteFailed { .. } => with(ErrorKind::Source, &e),
            RemoveError::Aborted(_) => with(ErrorKind::Internal, &e),
        }
    }
}

impl From<ProfileError> for AppError {
    fn from(e: ProfileError) -> Self {
        let kind = match e {
            ProfileError::Incomplete { .. } | ProfileError::BadEndpoint(_) => ErrorKind::Invalid,
            ProfileError::NoSecret { .. } => ErrorKind::NotConnected,
            ProfileError::NoKeychain(_) => ErrorKind::Keychain,
            _ => ErrorKind::Internal,
        };
        with(kind, &e)
    }
}

impl From<LibraryError> for AppError {
    fn from(e: LibraryError) -> Self {
        let kind = match e {
            LibraryError::NoSuchLibrary { .. } => ErrorKind::NotFound,
            LibraryError::NameTaken(_) | LibraryError::NoName | LibraryError::FolderTaken { .. } => ErrorKind::Invalid,
            _ => ErrorKind::Internal,
        };
        with(kind, &e)
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        with(ErrorKind::Internal, &e)
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        with(ErrorKind::Internal, &e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_crosses_ipc_as_kind_and_message() {
        let e = AppError::from(QueryError::BadCursor);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "badCursor");
        assert!(json["message"].as_str().unwrap().contains("cursor"), "{json}");
        assert_eq!(json.as_object().unwrap().len(), 2);
    }

    #[test]
    fn a_missing_profile_field_is_invalid_input() {
        let e = AppError::from(ProfileError::Incomplete {
            missing: "bucket".into(),
        });
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("bucket"));
    }

    #[tokio::test]
    async fn a_source_error_names_the_library_and_the_innermost_cause_once() {
        let profile = m3u8v_core::Profile {
            endpoint: "http://127.0.0.1:1".into(),
            bucket: "videos".into(),
            region: "auto".into(),
            access_key_id: "AKID".into(),
            path_style: true,
        };
        let source = m3u8v_core::Source::connect(
            "Archive",
            &m3u8v_core::SourceSettings::Bucket(profile),
            Some((m3u8v_core::Secret::new("s3cr3t"), m3u8v_core::SecretSource::Keychain)),
            &m3u8v_core::ConnectOptions::default(),
        )
        .unwrap();
        let e = AppError::from(source.check().await.unwrap_err());
        assert_eq!(e.kind, ErrorKind::Busy, "{e:?}");
        assert!(
            e.message
                .starts_with("the bucket of library \"Archive\": cannot reach http://127.0.0.1:1"),
            "{}",
            e.message
        );
        assert!(e.message.to_lowercase().contains("connection refused"), "{}", e.message);
        assert!(
            !e.message.contains("dispatch failure"),
            "SDK internals reach the user: {}",
            e.message
        );
        assert!(!e.message.contains("s3cr3t"));
    }
}
