//! The one error the UI sees: `{kind, message}`. `kind` is what the UI branches on;
//! `message` is core's sentence, written for a person. A kind is added only when the UI
//! does something different for it.
//!
//! Nothing secret reaches a message: core's errors name keys, paths and counts, never a
//! credential (the profile's secret is a `Secret` whose Debug is redacted).

use m3u8v_core::{CatalogError, MutateError, QueryError};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The page cursor no longer fits: the UI starts again from the first page.
    BadCursor,
    /// The video is gone from the catalog (a sync removed it): the UI drops the card.
    NotFound,
    /// The request itself is wrong (page size, date range, position): shown as is.
    Invalid,
    /// Another program holds the catalog; trying again later can succeed.
    Busy,
    /// The catalog could not be opened at startup: the UI shows the reason, not a grid.
    CatalogUnavailable,
    /// Anything else: a bug or a damaged catalog.
    Internal,
}

#[derive(Debug, Clone, Serialize, thiserror::Error)]
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
            MutateError::InvalidPrediction(_) | MutateError::InvalidPosition(_) => {
                AppError::new(ErrorKind::Invalid, chain(&e))
            }
        }
    }
}

/// A blocking task that panicked or was cancelled: a bug, not the user's doing.
impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        AppError::new(ErrorKind::Internal, chain(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let e: AppError = MutateError::NoSuchVideo("a/a-2024-01-01_00-00-00.mp4".into()).into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "notFound");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("a/a-2024-01-01_00-00-00.mp4")
        );
    }

    #[test]
    fn cursor_errors_tell_the_ui_to_restart() {
        let e: AppError = QueryError::BadCursor.into();
        assert_eq!(e.kind, ErrorKind::BadCursor);
        let e: AppError = QueryError::PageSize(0).into();
        assert_eq!(e.kind, ErrorKind::Invalid);
    }
}
