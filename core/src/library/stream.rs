//! The bytes of an HLS video's playlists and parts for the player, fetched by the core:
//! a bucket's with the core's own signed request each time (nothing for the page to
//! sign, nothing that expires mid-video, no CORS rule needed on the bucket), a folder's
//! read from the disk. Only keys the catalog knows as a video's playlist or as a part
//! one of its playlists names are fetched.

use std::sync::Arc;

use crate::catalog::{Catalog, CatalogError};
use crate::keys::is_playlist_key;
use crate::playlist::{PlaylistError, Variant, variant, with_absolute_uris};
use crate::sources::{Source, SourceError};

/// The largest part fetched whole: a 10-second fMP4 segment of a 4K recording is tens
/// of MB; more is not an HLS part.
const PART_LIMIT: u64 = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("{0:?} is not a playlist or a part of an HLS video in this library")]
    NotAStreamObject(String),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Playlist(#[from] PlaylistError),
    #[error("the read stopped abnormally")]
    Aborted(#[source] tokio::task::JoinError),
}

/// The bytes of `key`, a playlist or a part of an HLS video of `catalog`.
pub async fn stream_object(catalog: &Arc<Catalog>, source: &Source, key: &str) -> Result<Vec<u8>, StreamError> {
    let (reading, asked) = (catalog.clone(), key.to_owned());
    let known = tokio::task::spawn_blocking(move || reading.is_stream_object(&asked))
        .await
        .map_err(StreamError::Aborted)??;
    if !known {
        return Err(StreamError::NotAStreamObject(key.to_owned()));
    }
    Ok(source.read(key, PART_LIMIT).await?)
}

/// A playlist of the HLS video `key` that players outside the app (mpv, VLC, ffplay)
/// play as it is: its media playlist (a master's highest-bandwidth variant) with every
/// part named by its absolute URL, presigned for a bucket (so it plays for as long as
/// those URLs last), the file's path for a folder.
pub async fn playable_playlist(catalog: &Arc<Catalog>, source: &Source, key: &str) -> Result<String, StreamError> {
    if !is_playlist_key(key) {
        return Err(StreamError::NotAStreamObject(key.to_owned()));
    }
    let bytes = stream_object(catalog, source, key).await?;
    let (media_key, media) = match variant(key, &bytes, Variant::Best)? {
        Some(variant) => {
            let bytes = source.read(&variant, PART_LIMIT).await?;
            (variant, bytes)
        }
        None => (key.to_owned(), bytes),
    };
    let mut failed = None;
    let written = with_absolute_uris(&media_key, &media, |part| match source.url(part) {
        Ok(url) => url.url,
        Err(e) => {
            failed.get_or_insert(e);
            part.to_owned()
        }
    })?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(written),
    }
}
