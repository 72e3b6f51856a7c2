//! The IPC surface, grouped by domain. Each command: arguments and state, one call into
//! core on the blocking pool (SQLite must not stall the async runtime), errors mapped to
//! `AppError`.

pub mod library;
pub mod video;

use m3u8v_core::Catalog;
use std::sync::Arc;

use crate::error::AppError;
use crate::state::Library;

/// Runs `work` against the catalog on the blocking pool.
pub(crate) async fn with_catalog<T, E>(
    library: &Library,
    work: impl FnOnce(&Catalog) -> Result<T, E> + Send + 'static,
) -> Result<T, AppError>
where
    T: Send + 'static,
    E: Into<AppError> + Send + 'static,
{
    let catalog: Arc<Catalog> = library.catalog()?;
    tauri::async_runtime::spawn_blocking(move || work(&catalog))
        .await?
        .map_err(Into::into)
}
