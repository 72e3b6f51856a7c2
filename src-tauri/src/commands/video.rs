//! One video: its detail and URLs, what the user changes about it, deleting it.

use m3u8v_core::{MutateError, Removal, VideoDetail, VideoUrls, remove_video};

use super::{App, with_catalog};
use crate::error::AppError;

#[tauri::command]
pub async fn get_video(app: App<'_>, key: String) -> Result<VideoDetail, AppError> {
    with_catalog(&app, move |catalog| {
        catalog
            .video(&key)
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::from(MutateError::NoSuchVideo(key)))
    })
    .await
}

/// Presigned URLs of the video and its preview segments (1 hour; signed locally, no
/// request is made). The player and the hover preview load them straight from the bucket.
#[tauri::command]
pub async fn video_urls(app: App<'_>, key: String) -> Result<VideoUrls, AppError> {
    let connection = app.connection()?;
    with_catalog(&app, move |catalog| connection.presigner.video_urls(catalog, &key)).await
}

#[tauri::command]
pub async fn set_favorite(app: App<'_>, key: String, favorite: bool) -> Result<(), AppError> {
    with_catalog(&app, move |catalog| catalog.set_favorite(&key, favorite)).await
}

/// Marks the video watched now; returns that time (Unix ms) so the card can show it.
#[tauri::command]
pub async fn mark_seen(app: App<'_>, key: String) -> Result<i64, AppError> {
    with_catalog(&app, move |catalog| catalog.mark_seen(&key)).await
}

#[tauri::command]
pub async fn save_position(app: App<'_>, key: String, seconds: f64) -> Result<(), AppError> {
    with_catalog(&app, move |catalog| catalog.save_position(&key, seconds)).await
}

/// Deletes the video and its own preview segments from the bucket, then from the
/// catalog. The bucket goes first: a failure there leaves the catalog as it was.
#[tauri::command]
pub async fn delete_video(app: App<'_>, key: String) -> Result<Removal, AppError> {
    let connection = app.connection()?;
    let catalog = app.catalog()?;
    Ok(remove_video(&catalog, &connection.library, &key).await?)
}
