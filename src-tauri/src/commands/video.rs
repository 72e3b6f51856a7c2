//! One video: its detail and URLs, what the user changes about it, deleting it, and why
//! it did not play.

use std::sync::Arc;

use m3u8v_core::{MediaCheck, MutateError, Removal, VideoDetail, VideoUrls, remove_video};
use tauri::ipc::Response;

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

/// URLs of the video and its preview segments: presigned for a bucket (signed locally, no
/// request), the loopback media server's for a folder.
#[tauri::command]
pub async fn video_urls(app: App<'_>, key: String) -> Result<VideoUrls, AppError> {
    let source = app.current().source()?;
    with_catalog(&app, move |catalog| {
        let video = catalog
            .video(&key)
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::from(MutateError::NoSuchVideo(key.clone())))?;
        source.video_urls(&key, &video.preview_segments).map_err(AppError::from)
    })
    .await
}

/// The bytes of an HLS video's playlist or of one of its parts, for the player's hls.js
/// (see `ui/src/player/stream.ts`): fetched by the core, as a raw IPC body.
#[tauri::command]
pub async fn stream_object(app: App<'_>, key: String) -> Result<Response, AppError> {
    let open = app.current();
    let (catalog, source) = (open.catalog()?, open.source()?);
    Ok(Response::new(m3u8v_core::stream_object(&catalog, &source, &key).await?))
}

/// Why the video (or a preview segment) did not load: one quick question to its source
/// about that object.
#[tauri::command]
pub async fn check_media(app: App<'_>, key: String) -> Result<MediaCheck, AppError> {
    let source = app.current().source()?;
    Ok(source.check_media(&key).await)
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

/// Remembers where playback stopped; `duration` lets the core tell a finished video.
/// Returns the position kept (0 for a finished one).
#[tauri::command]
pub async fn save_position(app: App<'_>, key: String, seconds: f64, duration: Option<f64>) -> Result<f64, AppError> {
    with_catalog(&app, move |catalog| catalog.save_position(&key, seconds, duration)).await
}

/// Deletes the video and its own preview segments (from the bucket, or a folder's to the
/// OS trash), then from the catalog. The source goes first: a failure there leaves the
/// catalog as it was.
#[tauri::command]
pub async fn delete_video(app: App<'_>, key: String) -> Result<Removal, AppError> {
    let open = app.current();
    let (catalog, source): (Arc<_>, Arc<_>) = (open.catalog()?, open.source()?);
    let removal = remove_video(&catalog, &source, &key).await?;
    super::posters::forget_posters(&open, vec![key]).await;
    Ok(removal)
}
