//! The one error the UI sees: `{kind, message}`. `kind` is what the UI branches on;
//! `message` is core's sentence, written for a person. A kind is added only when the UI
//! does something different for it.
//!
//! Nothing secret reaches a message: core's errors name keys, paths, endpoints and
//! counts, never a credential (the profile's secret is a `Secret` whose Debug is
//! redacted, and keychain errors are described without their payload).

use m3u8v_core::{
    CatalogError, MutateError, PresignError, ProfileError, QueryError, RemoveError, StorageError, SyncError,
};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The page cursor no longer fits: the UI starts again from the first page.
    BadCursor,
    /// The video is gone from the catalog (a sync removed it): the UI drops the card.
    NotFound,
    /// The request itself is wrong (page size, date range, a profile field): shown as is.
    Invalid,
    /// Another program holds the catalog, or the server is briefly failing: try again.
    Busy,
    /// The catalog could not be opened at startup: the UI shows the reason, not a grid.
    CatalogUnavailable,
    /// No bucket is set up, or its secret is missing: the UI offers the settings.
    NotConnected,
    /// The bucket refused or could not be reached; the message says what to change.
    Bucket,
    /// The OS keychain could not store or give the secret.
    Keychain,
    /// A sync is already running; one at a time.
    SyncRunning,
    /// The user cancelled the sync before it wrote anything.
    Cancelled,
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

/// Core's message with its causes, so "catalog database error" says which one.
fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> Self {
        let kind = if e.is_transient() {
            ErrorKind::Busy
        } else {
            ErrorKind::Internal
        };
        AppError::new(kind, chain(&e))
    }
}

impl From<QueryError> for AppError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Catalog(inner) => inner.into(),
            QueryError::BadCursor | QueryError::CursorForOtherSort { .. } => {
                AppError::new(ErrorKind::BadCursor, chain(&e))
            }
            QueryError::PageSize(_) | QueryError::EmptyDateRange | QueryError::Quality(_) => {
                AppError::new(ErrorKind::Invalid, chain(&e))
            }
        }
    }
}

impl From<MutateError> for AppError {
    fn from(e: MutateError) -> Self {
        match e {
            MutateError::Catalog(inner) => inner.into(),
            MutateError::NoSuchVideo(_) => AppError::new(ErrorKind::NotFound, chain(&e)),
            _ => AppError::new(ErrorKind::Invalid, chain(&e)),
        }
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        let kind = if e.is_transient() {
            ErrorKind::Busy
        } else {
            ErrorKind::Bucket
        };
        AppError::new(kind, chain(&e))
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Storage(inner) => inner.into(),
            SyncError::Catalog(inner) => inner.into(),
            SyncError::Ingest(_) => AppError::new(ErrorKind::Internal, chain(&e)),
        }
    }
}

impl From<RemoveError> for AppError {
    fn from(e: RemoveError) -> Self {
        match e {
            RemoveError::Storage(inner) => inner.into(),
            RemoveError::Catalog(inner) => inner.into(),
            RemoveError::NotAVideo(_) => AppError::new(ErrorKind::Invalid, chain(&e)),
        }
    }
}

impl From<PresignError> for AppError {
    fn from(e: PresignError) -> Self {
        match e {
            PresignError::Query(inner) => inner.into(),
            PresignError::NotInCatalog(_) => AppError::new(ErrorKind::NotFound, chain(&e)),
            _ => AppError::new(ErrorKind::Invalid, chain(&e)),
        }
    }
}

impl From<ProfileError> for AppError {
    fn from(e: ProfileError) -> Self {
        let kind = match e {
            ProfileError::Incomplete { .. } | ProfileError::BadEndpoint(_) => ErrorKind::Invalid,
            ProfileError::NoSecret { .. } => ErrorKind::NotConnected,
            ProfileError::Keychain(_) => ErrorKind::Keychain,
            _ => ErrorKind::Internal,
        };
        AppError::new(kind, chain(&e))
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        AppError::new(ErrorKind::Internal, chain(&e))
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
    fn a_bucket_error_says_what_to_change_and_is_not_transient_when_it_is_the_users() {
        let e = AppError::from(StorageError::BadSecret {
            access_key_id: "AKID".into(),
        });
        assert_eq!(e.kind, ErrorKind::Bucket);
        assert!(e.message.contains("secret access key is wrong"), "{}", e.message);
        let busy = AppError::from(StorageError::Timeout {
            endpoint: "http://h".into(),
        });
        assert_eq!(busy.kind, ErrorKind::Busy);
    }

    #[test]
    fn a_missing_profile_field_is_invalid_input() {
        let e = AppError::from(ProfileError::Incomplete {
            missing: "bucket".into(),
        });
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.message.contains("bucket"));
    }
}
