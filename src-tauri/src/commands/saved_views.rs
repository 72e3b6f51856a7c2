//! Views the user saved (a filter and a sort under a name), kept in the library's catalog.

use m3u8v_core::{Filter, SavedView, Sort};

use super::{App, with_catalog};
use crate::error::AppError;

#[tauri::command]
pub async fn list_saved_views(app: App<'_>) -> Result<Vec<SavedView>, AppError> {
    with_catalog(&app, |catalog| catalog.saved_views()).await
}

/// Saves the filter and sort under `name`; with `replace`, over a view of that name.
#[tauri::command]
pub async fn add_saved_view(
    app: App<'_>,
    name: String,
    filter: Filter,
    sort: Sort,
    replace: bool,
) -> Result<SavedView, AppError> {
    with_catalog(&app, move |catalog| catalog.save_view(&name, &filter, sort, replace)).await
}

#[tauri::command]
pub async fn rename_saved_view(app: App<'_>, from: String, to: String) -> Result<(), AppError> {
    with_catalog(&app, move |catalog| catalog.rename_view(&from, &to)).await
}

#[tauri::command]
pub async fn delete_saved_view(app: App<'_>, name: String) -> Result<(), AppError> {
    with_catalog(&app, move |catalog| catalog.delete_view(&name)).await
}
