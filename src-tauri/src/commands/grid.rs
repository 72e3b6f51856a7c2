//! The grid and the filter bar: pages, counts, creators.

use m3u8v_core::{CreatorCounts, Filter, Page, PageRequest};

use super::{App, with_catalog};
use crate::error::AppError;

/// One page of the grid; `skip` rows further in when the scrollbar jumped past the pages
/// loaded so far.
#[tauri::command]
pub async fn list_page(app: App<'_>, request: PageRequest, skip: Option<u64>) -> Result<Page, AppError> {
    with_catalog(&app, move |catalog| catalog.page_at(&request, skip.unwrap_or(0))).await
}

/// A random video of the filter, first of a page that goes on in shuffle order ("Play
/// random", then "next").
#[tauri::command]
pub async fn random_page(app: App<'_>, filter: Filter, limit: u32) -> Result<Page, AppError> {
    with_catalog(&app, move |catalog| catalog.random_page(&filter, limit)).await
}

#[tauri::command]
pub async fn count(app: App<'_>, filter: Filter) -> Result<u64, AppError> {
    with_catalog(&app, move |catalog| catalog.count(&filter)).await
}

/// The search box got focus: one- and two-character terms are answered from the keys
/// held in memory, read now rather than at the first letter typed.
#[tauri::command]
pub async fn prepare_search(app: App<'_>) -> Result<(), AppError> {
    with_catalog(&app, |catalog| catalog.prepare_search()).await
}

#[tauri::command]
pub async fn creators(app: App<'_>) -> Result<Vec<CreatorCounts>, AppError> {
    with_catalog(&app, |catalog| catalog.creators()).await
}
