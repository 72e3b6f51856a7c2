//! One video: its detail, and what the user changes about it.

use m3u8v_core::{MutateError, VideoDetail};
use tauri::State;

use super::with_catalog;
use crate::error::AppError;
use crate::state::Library;

#[tauri::command]
pub async fn get_video(library: State<'_, Library>, key: String) -> Result<VideoDetail, AppError> {
    with_catalog(&library, move |catalog| {
        catalog
            .video(&key)
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::from(MutateError::NoSuchVideo(key)))
    })
    .await
}

#[tauri::command]
pub async fn set_favorite(library: State<'_, Library>, key: String, favorite: bool) -> Result<(), AppError> {
    with_catalog(&library, move |catalog| catalog.set_favorite(&key, favorite)).await
}

/// Marks the video watched now; returns that time (Unix ms) so the card can show it.
#[tauri::command]
pub async fn mark_seen(library: State<'_, Library>, key: String) -> Result<i64, AppError> {
    with_catalog(&library, move |catalog| catalog.mark_seen(&key)).await
}

#[tauri::command]
pub async fn save_position(library: State<'_, Library>, key: String, seconds: f64) -> Result<(), AppError> {
    with_catalog(&library, move |catalog| catalog.save_position(&key, seconds)).await
}
