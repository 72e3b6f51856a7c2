//! Poster frames: the card asks for the one kept, or for the bytes to make one from;
//! the page decodes a frame (see `ui/src/grid/poster-frame.ts`) and hands the JPEG back.
//! Bytes cross as raw IPC bodies, not JSON arrays of numbers.

use m3u8v_core::posters;
use tauri::ipc::{InvokeBody, Request, Response};

use super::App;
use crate::error::{AppError, ErrorKind};
use crate::state::OpenLibrary;

/// The poster kept for the video, JPEG bytes; an empty body when none is made yet.
#[tauri::command]
pub async fn poster(app: App<'_>, key: String) -> Result<Response, AppError> {
    let open = app.current();
    let (catalog, cache) = (open.catalog()?, open.posters()?);
    let kept = tauri::async_runtime::spawn_blocking(move || posters::kept_poster(&catalog, &cache, &key)).await??;
    Ok(Response::new(kept.unwrap_or_default()))
}

/// The media to take the video's frame from: its first preview segment, or the video
/// itself when small. `noPoster` when there is none, or making one failed before.
#[tauri::command]
pub async fn poster_source(app: App<'_>, key: String) -> Result<Response, AppError> {
    let open = app.current();
    let (catalog, cache, source) = (open.catalog()?, open.posters()?, open.source()?);
    Ok(Response::new(
        posters::frame_source(&catalog, &cache, &source, &key).await?,
    ))
}

/// Keeps the JPEG the page made: the raw body, with the video's key (percent-encoded)
/// in the `poster-key` header.
#[tauri::command]
pub async fn save_poster(app: App<'_>, request: Request<'_>) -> Result<(), AppError> {
    let key = request
        .headers()
        .get("poster-key")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| percent_encoding::percent_decode_str(v).decode_utf8().ok())
        .map(|k| k.into_owned())
        .ok_or_else(|| AppError::new(ErrorKind::Invalid, "a poster comes with its video's key"))?;
    let InvokeBody::Raw(jpeg) = request.body() else {
        return Err(AppError::new(ErrorKind::Invalid, "a poster comes as raw bytes"));
    };
    let jpeg = jpeg.clone();
    let open = app.current();
    let (catalog, cache) = (open.catalog()?, open.posters()?);
    tauri::async_runtime::spawn_blocking(move || posters::keep_poster(&catalog, &cache, &key, &jpeg)).await??;
    Ok(())
}

/// The page could not decode a frame: not tried again until the video changes.
#[tauri::command]
pub async fn poster_failed(app: App<'_>, key: String, reason: String) -> Result<(), AppError> {
    let open = app.current();
    let (catalog, cache) = (open.catalog()?, open.posters()?);
    tauri::async_runtime::spawn_blocking(move || posters::poster_failed(&catalog, &cache, &key, &reason)).await??;
    Ok(())
}

/// Drops the posters of deleted videos. A poster left behind is only a few KB of cache,
/// so a failure here is logged, never the delete's.
pub(crate) async fn forget_posters(open: &OpenLibrary, keys: Vec<String>) {
    let Ok(cache) = open.posters() else { return };
    let forgotten = tauri::async_runtime::spawn_blocking(move || cache.forget(&keys)).await;
    if let Ok(Err(e)) = forgotten {
        tracing::warn!(error = %e, "cannot drop the posters of deleted videos");
    }
}
