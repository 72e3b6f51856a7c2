//! The IPC surface, grouped by domain: one small command per user action, each one call
//! into core. SQLite work runs on the blocking pool so it never stalls the async runtime.

pub mod grid;
pub mod libraries;
pub mod posters;
pub mod saved_views;
pub mod selection;
pub mod settings;
pub mod sync;
pub mod video;
pub mod view;

use std::sync::Arc;

use m3u8v_core::Catalog;

use crate::error::AppError;
use crate::state::AppState;

/// The state as commands receive it.
pub type App<'a> = tauri::State<'a, Arc<AppState>>;

/// Runs `work` against the open library's catalog on the blocking pool.
pub(crate) async fn with_catalog<T, E>(
    state: &AppState,
    work: impl FnOnce(&Catalog) -> Result<T, E> + Send + 'static,
) -> Result<T, AppError>
where
    T: Send + 'static,
    E: Into<AppError> + Send + 'static,
{
    let catalog: Arc<Catalog> = state.current().catalog()?;
    tauri::async_runtime::spawn_blocking(move || work(&catalog))
        .await?
        .map_err(Into::into)
}
