//! Poster frames: the still image each card shows. The bucket has no thumbnails, so the
//! app makes one per video, once, from the first preview segment (or the video itself
//! when it has none and is small), and keeps it in the [`cache`] beside the catalog.
//!
//! The decoding happens in the page, where the webview already decodes H.264: the core
//! fetches the segment's bytes (a canvas cannot read a frame of a cross-origin video, a
//! presigned URL's, but it can read one from a `blob:` URL of bytes the page was handed)
//! and keeps the JPEG the page makes. No ffmpeg ships with the app.

pub mod cache;

use crate::catalog::Catalog;
use crate::catalog::query::QueryError;
use crate::playlist::{PlaylistError, Variant, first_media, variant};
use crate::sources::{Source, SourceError};
use crate::video::VideoDetail;

pub use cache::{Cached, MAX_POSTER_BYTES, PosterCache, PosterError, PosterStats, cache_path_beside, version_of};

/// The largest object a poster is made from. Preview segments are a few hundred KB; a
/// short video may be used whole, but a long one would cost a download for one frame.
pub const MAX_FRAME_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// Why there is no media to make a video's poster from.
#[derive(Debug, thiserror::Error)]
pub enum FrameSourceError {
    #[error("the catalog has no video {0:?}")]
    NoSuchVideo(String),
    #[error("{key:?} has no preview and is too large ({size} bytes) to take a frame from")]
    NothingSmallEnough { key: String, size: u64 },
    #[error("no poster could be made for {key:?} before: {reason}")]
    FailedBefore { key: String, reason: String },
    #[error("the playlist of {key:?} names no segment a frame can be decoded from (encrypted, or none in the source)")]
    NoFrameInStream { key: String },
    #[error(transparent)]
    Playlist(#[from] PlaylistError),
    #[error(transparent)]
    Catalog(#[from] QueryError),
    #[error(transparent)]
    Posters(#[from] PosterError),
    #[error("cannot fetch what the poster of {key:?} is made from")]
    Source {
        key: String,
        #[source]
        source: SourceError,
    },
}

impl FrameSourceError {
    /// Whether asking again cannot help until the video changes (or, for an object
    /// gone from its source, until a sync): the card keeps its placeholder and does not
    /// ask again this session. Nothing of it is stored.
    pub fn is_final(&self) -> bool {
        match self {
            FrameSourceError::NoSuchVideo(_)
            | FrameSourceError::NothingSmallEnough { .. }
            | FrameSourceError::FailedBefore { .. }
            | FrameSourceError::NoFrameInStream { .. }
            | FrameSourceError::Playlist(_) => true,
            FrameSourceError::Source { source, .. } => source.is_missing_object(),
            FrameSourceError::Catalog(_) | FrameSourceError::Posters(_) => false,
        }
    }
}

/// The version of `video` its poster is kept under.
pub fn version_of_video(video: &VideoDetail) -> String {
    version_of(video.etag.as_deref(), video.summary.size, video.summary.last_modified)
}

/// The object a poster of `video` is made from: its first preview segment, else the
/// video itself when small enough; `None` when neither will do.
pub fn frame_source_key(video: &VideoDetail) -> Option<&str> {
    match video.preview_segments.first() {
        Some(segment) => Some(segment),
        None if video.summary.size <= MAX_FRAME_SOURCE_BYTES => Some(&video.summary.key),
        None => None,
    }
}

/// The poster kept for `key`, if one was made for the video as it is now.
pub fn kept_poster(catalog: &Catalog, posters: &PosterCache, key: &str) -> Result<Option<Vec<u8>>, FrameSourceError> {
    let video = catalog
        .video(key)?
        .ok_or_else(|| FrameSourceError::NoSuchVideo(key.to_owned()))?;
    Ok(match posters.get(key, &version_of_video(&video))? {
        Cached::Made(image) => Some(image),
        Cached::Unavailable { .. } | Cached::NotMade => None,
    })
}

/// The bytes to make the poster of `key` from, fetched from its source; refused when
/// none can be made, including when making one failed before for this version.
pub async fn frame_source(
    catalog: &Catalog,
    posters: &PosterCache,
    source: &Source,
    key: &str,
) -> Result<Vec<u8>, FrameSourceError> {
    let video = catalog
        .video(key)?
        .ok_or_else(|| FrameSourceError::NoSuchVideo(key.to_owned()))?;
    if let Cached::Unavailable { reason } = posters.get(key, &version_of_video(&video))? {
        return Err(FrameSourceError::FailedBefore {
            key: key.to_owned(),
            reason,
        });
    }
    if video.summary.is_playlist && video.preview_segments.is_empty() {
        return stream_frame_source(source, key).await;
    }
    let from = frame_source_key(&video).ok_or_else(|| FrameSourceError::NothingSmallEnough {
        key: key.to_owned(),
        size: video.summary.size,
    })?;
    source
        .read(from, MAX_FRAME_SOURCE_BYTES)
        .await
        .map_err(|source| FrameSourceError::Source {
            key: key.to_owned(),
            source,
        })
}

/// An HLS video's frame source: its first media segment (of its smallest variant), after
/// its init section for fMP4, which together are a fragmented MP4 the page decodes.
async fn stream_frame_source(source: &Source, key: &str) -> Result<Vec<u8>, FrameSourceError> {
    let read = |part: String| async move {
        source
            .read(&part, MAX_FRAME_SOURCE_BYTES)
            .await
            .map_err(|source| FrameSourceError::Source {
                key: key.to_owned(),
                source,
            })
    };
    let playlist = read(key.to_owned()).await?;
    let (media_key, media) = match variant(key, &playlist, Variant::Smallest)? {
        Some(smallest) => (smallest.clone(), read(smallest).await?),
        None => (key.to_owned(), playlist),
    };
    let (init, segment) =
        first_media(&media_key, &media)?.ok_or_else(|| FrameSourceError::NoFrameInStream { key: key.to_owned() })?;
    let mut bytes = match init {
        Some(init) => read(init).await?,
        None => Vec::new(),
    };
    bytes.extend(read(segment).await?);
    Ok(bytes)
}

/// Keeps the poster the page made of `key`, for the video as it is now.
pub fn keep_poster(catalog: &Catalog, posters: &PosterCache, key: &str, jpeg: &[u8]) -> Result<(), FrameSourceError> {
    let video = catalog
        .video(key)?
        .ok_or_else(|| FrameSourceError::NoSuchVideo(key.to_owned()))?;
    posters.keep(key, &version_of_video(&video), jpeg, now_ms())?;
    Ok(())
}

/// Remembers that the poster of `key` could not be made (the page could not decode a
/// frame), so it is not tried again until the video changes.
pub fn poster_failed(
    catalog: &Catalog,
    posters: &PosterCache,
    key: &str,
    reason: &str,
) -> Result<(), FrameSourceError> {
    let video = catalog
        .video(key)?
        .ok_or_else(|| FrameSourceError::NoSuchVideo(key.to_owned()))?;
    posters.keep_unavailable(key, &version_of_video(&video), reason, now_ms())?;
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
