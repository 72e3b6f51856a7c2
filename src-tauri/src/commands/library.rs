//! The grid and the filter bar: pages, counts, creators.

use m3u8v_core::{CreatorCounts, Filter, Page, PageRequest};
use tauri::State;

use super::with_catalog;
use crate::error::AppError;
use crate::state::Library;

#[tauri::command]
pub async fn list_page(library: State<'_, Library>, request: PageRequest) -> Result<Page, AppError> {
    with_catalog(&library, move |catalog| catalog.page(&request)).await
}

#[tauri::command]
pub async fn count(library: State<'_, Library>, filter: Filter) -> Result<u64, AppError> {
    with_catalog(&library, move |catalog| catalog.count(&filter)).await
}

#[tauri::command]
pub async fn creators(library: State<'_, Library>) -> Result<Vec<CreatorCounts>, AppError> {
    with_catalog(&library, |catalog| catalog.creators()).await
}
