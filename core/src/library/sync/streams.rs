//! Reading the HLS playlists a sync found new or changed: each video's playlist and, for
//! a master playlist, its variant playlists (HLS has those two levels), a few at once.

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use super::plan::{CatalogState, Seen};
use crate::catalog::streams::StreamRead;
use crate::playlist::read_playlist;
use crate::sources::{ObjectEntry, Source};

/// Playlists read at once: each is one small GET.
const READS_AT_ONCE: usize = 8;

/// A playlist larger than this is not one a recorder wrote (a 10-hour recording in
/// 2-second segments is about 1 MB of playlist).
const PLAYLIST_LIMIT: u64 = 16 << 20;

/// What reading `playlists` found. A playlist that could not be fetched for a passing
/// reason is left out: it stays unread in the catalog and the next sync reads it.
pub(super) async fn read_playlists(
    source: &Source,
    playlists: &[ObjectEntry],
    state: &CatalogState,
    seen: &Seen,
) -> Vec<StreamRead> {
    // A queue kept full by hand rather than `stream::iter(..).map(..).buffer_unordered`,
    // whose closure over borrowed arguments makes the sync's future not provably `Send`
    // for every lifetime (rustc's higher-ranked closure limits), which Tauri commands need.
    let mut reads = Vec::with_capacity(playlists.len());
    let mut waiting = playlists.iter();
    let mut running = FuturesUnordered::new();
    for playlist in waiting.by_ref().take(READS_AT_ONCE) {
        running.push(read_stream(source, playlist, state, seen));
    }
    while let Some(read) = running.next().await {
        reads.extend(read);
        if let Some(playlist) = waiting.next() {
            running.push(read_stream(source, playlist, state, seen));
        }
    }
    reads
}

enum Fetched {
    Bytes(Vec<u8>),
    /// Not a playlist that can be read, for good (too large, refused): why.
    Refused(String),
    /// Not now (the source unreachable, the object gone since it was listed).
    Later,
}

async fn fetch(source: &Source, key: &str) -> Fetched {
    match source.read(key, PLAYLIST_LIMIT).await {
        Ok(bytes) => Fetched::Bytes(bytes),
        Err(e) if e.is_transient() || e.is_missing_object() => {
            tracing::warn!(key, error = %e, "a playlist could not be read; it is read on the next sync");
            Fetched::Later
        }
        Err(e) => Fetched::Refused(e.to_string()),
    }
}

async fn read_stream(source: &Source, playlist: &ObjectEntry, state: &CatalogState, seen: &Seen) -> Option<StreamRead> {
    let mut parts: Vec<String> = Vec::new();
    let mut outside = 0;
    let mut problem = None;
    match fetch(source, &playlist.key).await {
        Fetched::Later => return None,
        Fetched::Refused(reason) => problem = Some(reason),
        Fetched::Bytes(bytes) => match read_playlist(&playlist.key, &bytes) {
            Err(e) => problem = Some(e.to_string()),
            Ok(named) => {
                outside += named.outside.len() as u64;
                parts.extend(named.parts);
                for variant in named.playlists {
                    parts.push(variant.clone());
                    // One the source does not have is a missing part, not a read.
                    if seen.part_size(state, &variant).is_none() {
                        continue;
                    }
                    match fetch(source, &variant).await {
                        Fetched::Later => return None,
                        Fetched::Refused(reason) => {
                            problem.get_or_insert(reason);
                        }
                        Fetched::Bytes(bytes) => match read_playlist(&variant, &bytes) {
                            Err(e) => {
                                problem.get_or_insert(e.to_string());
                            }
                            Ok(named) => {
                                outside += named.outside.len() as u64;
                                // A variant that names playlists in turn goes beyond what
                                // HLS allows: they are parts, not read.
                                parts.extend(named.playlists);
                                parts.extend(named.parts);
                            }
                        },
                    }
                }
            }
        },
    }
    parts.sort();
    parts.dedup();
    Some(StreamRead {
        playlist: playlist.clone(),
        parts: parts
            .into_iter()
            .map(|key| {
                let size = seen.part_size(state, &key);
                (key, size)
            })
            .collect(),
        outside,
        problem,
    })
}
