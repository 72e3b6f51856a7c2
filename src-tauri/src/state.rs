//! What the commands share: the catalog, opened once at startup.

use std::path::PathBuf;
use std::sync::Arc;

use m3u8v_core::Catalog;

use crate::error::{AppError, ErrorKind};

/// The catalog, or why it could not be opened. A failed open does not stop the app: the
/// window still comes up and says what is wrong, which a crash at startup cannot.
pub struct Library {
    catalog: Result<Arc<Catalog>, AppError>,
}

impl Library {
    pub fn open(path: Option<PathBuf>) -> Library {
        let catalog = match path {
            None => Err(AppError::new(
                ErrorKind::CatalogUnavailable,
                "no folder for the catalog: set M3U8V_DB or M3U8V_DATA_DIR",
            )),
            Some(path) => Catalog::open(&path).map(Arc::new).map_err(|e| {
                let e = AppError::from(e);
                AppError::new(ErrorKind::CatalogUnavailable, e.message)
            }),
        };
        if let Err(e) = &catalog {
            tracing::error!(error = %e, "catalog unavailable");
        }
        Library { catalog }
    }

    /// A handle the blocking pool can own; the catalog is shared, not copied.
    pub fn catalog(&self) -> Result<Arc<Catalog>, AppError> {
        self.catalog.clone()
    }
}
