//! The grid and the filter bar: pages, counts, creators.

use m3u8v_core::{CreatorCounts, Filter, Page, PageRequest};

use super::{App, with_catalog};
use crate::error::AppError;

#[tauri::command]
pub async fn list_page(app: App<'_>, request: PageRequest) -> Result<Page, AppError> {
    with_catalog(&app, move |catalog| catalog.page(&request)).await
}

#[tauri::command]
pub async fn count(app: App<'_>, filter: Filter) -> Result<u64, AppError> {
    with_catalog(&app, move |catalog| catalog.count(&filter)).await
}

#[tauri::command]
pub async fn creators(app: App<'_>) -> Result<Vec<CreatorCounts>, AppError> {
    with_catalog(&app, |catalog| catalog.creators()).await
}
