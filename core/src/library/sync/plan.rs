//! The plan of a sync, as plain data: the difference between what the source lists and
//! what the catalog holds. Pure (no catalog, no network), so every rule is tested
//! without a server.
//!
//! A listing arrives page by page and is applied as it comes (the grid fills during a
//! first sync), so the plan is in two parts: [`additions`] of each batch of pages (new
//! and changed videos and preview segments, missing videos found again), safe to write
//! before the listing ends; and [`removals`], computed only once the listing is whole.

use std::collections::{HashMap, HashSet};

use crate::catalog::ingest::NewVideo;
use crate::keys::{ObjectKind, classify};
use crate::sources::ObjectEntry;

/// A video as the catalog holds it, as the plan compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownVideo {
    pub size: u64,
    pub last_modified: i64,
    pub etag: Option<String>,
    /// A sync found it missing and kept it.
    pub missing: bool,
}

/// What the catalog holds: videos by key, preview segments by key -> (size, time, ETag).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogState {
    pub videos: HashMap<String, KnownVideo>,
    pub segments: HashMap<String, (u64, i64, Option<String>)>,
}

/// A preview segment as the catalog stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRow {
    pub key: String,
    pub folder: String,
    pub size: u64,
    pub last_modified: i64,
    pub etag: Option<String>,
}

/// What a batch of listed objects asks to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Additions {
    /// New and changed videos (the write path tells them apart).
    pub upsert_videos: Vec<NewVideo>,
    pub new_videos: u64,
    pub changed_videos: u64,
    /// Videos marked missing that the listing has again, unchanged.
    pub found_again: Vec<String>,
    pub upsert_segments: Vec<SegmentRow>,
}

impl Additions {
    pub fn is_empty(&self) -> bool {
        self.upsert_videos.is_empty() && self.found_again.is_empty() && self.upsert_segments.is_empty()
    }
}

/// What the listing has shown so far, across all its batches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    pub videos: HashSet<String>,
    pub segments: HashSet<String>,
    /// Objects that are neither videos nor preview segments (covers, notes, markers).
    pub other_objects: u64,
    /// Preview folders, and whether a listed video links to one.
    folders: HashMap<String, bool>,
    /// Each listed video's two possible preview folders: its stem, its stamp.
    video_folders: Vec<(String, Option<String>)>,
}

impl Seen {
    /// Listed videos with no preview folder, and preview folders no listed video links
    /// to: the same rule as the catalog's, the stem folder when there is one, else the
    /// stamp's.
    pub fn preview_links(&self) -> (u64, u64) {
        let mut folders = self.folders.clone();
        let mut without = 0;
        for (stem, stamp) in &self.video_folders {
            let linked = [Some(stem.as_str()), stamp.as_deref()]
                .into_iter()
                .flatten()
                .find(|name| folders.contains_key(*name));
            match linked.and_then(|name| folders.get_mut(name)) {
                Some(seen) => *seen = true,
                None => without += 1,
            }
        }
        let unlinked = folders.values().filter(|linked| !**linked).count() as u64;
        (without, unlinked)
    }
}

/// The writes that `entries`, the next batch of the listing, ask for. Keys already seen
/// earlier in the listing count once.
pub fn additions(state: &CatalogState, entries: &[ObjectEntry], seen: &mut Seen) -> Additions {
    let mut out = Additions::default();
    for entry in entries {
        match classify(&entry.key) {
            ObjectKind::Video(video) => {
                if !seen.videos.insert(entry.key.clone()) {
                    continue;
                }
                seen.video_folders.push((video.stem, video.stamp));
                match state.videos.get(&entry.key) {
                    Some(known)
                        if known.size == entry.size
                            && known.last_modified == entry.last_modified
                            && known.etag == entry.etag =>
                    {
                        if known.missing {
                            out.found_again.push(entry.key.clone());
                        }
                        continue;
                    }
                    Some(_) => out.changed_videos += 1,
                    None => out.new_videos += 1,
                }
                out.upsert_videos.push(NewVideo {
                    key: entry.key.clone(),
                    size: entry.size,
                    last_modified: entry.last_modified,
                    etag: entry.etag.clone(),
                    initial: Default::default(),
                });
            }
            ObjectKind::PreviewSegment(segment) => {
                if !seen.segments.insert(entry.key.clone()) {
                    continue;
                }
                seen.folders.entry(segment.folder.clone()).or_insert(false);
                let listed = (entry.size, entry.last_modified, entry.etag.clone());
                if state.segments.get(&entry.key) != Some(&listed) {
                    out.upsert_segments.push(SegmentRow {
                        key: entry.key.clone(),
                        folder: segment.folder,
                        size: entry.size,
                        last_modified: entry.last_modified,
                        etag: entry.etag.clone(),
                    });
                }
            }
            ObjectKind::Other => seen.other_objects += 1,
        }
    }
    out
}

/// What the catalog has that a whole listing did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Removals {
    pub videos: Vec<String>,
    pub segments: Vec<String>,
    /// Videos in the catalog before the sync.
    pub library_videos: u64,
    /// Videos not listed but under a folder that could not be read: kept, not counted.
    pub unknown: u64,
}

impl Removals {
    pub fn is_empty(&self) -> bool {
        self.videos.is_empty() && self.segments.is_empty()
    }

    /// Whether removing would take away most of the library: what an empty or wrong
    /// listing (another bucket, a permission change, an unmounted disk) looks like.
    pub fn removes_most_of_the_library(&self) -> bool {
        !self.videos.is_empty() && self.videos.len() as u64 * 2 > self.library_videos
    }
}

/// The removals once the listing is whole. `unreadable` are key prefixes the source
/// could not read: whatever the catalog has under them stays.
pub fn removals(state: &CatalogState, seen: &Seen, unreadable: &[String]) -> Removals {
    let under_unreadable = |key: &str| unreadable.iter().any(|prefix| key.starts_with(prefix.as_str()));
    let mut out = Removals {
        library_videos: state.videos.len() as u64,
        ..Removals::default()
    };
    for key in state.videos.keys().filter(|k| !seen.videos.contains(k.as_str())) {
        if under_unreadable(key) {
            out.unknown += 1;
        } else {
            out.videos.push(key.clone());
        }
    }
    out.segments = state
        .segments
        .keys()
        .filter(|k| !seen.segments.contains(k.as_str()) && !under_unreadable(k))
        .cloned()
        .collect();
    // Sorted so that batches, and a resumed sync, go through keys in a stable order.
    out.videos.sort();
    out.segments.sort();
    out
}

/// A whole plan for a listing in hand: both parts at once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub additions: Additions,
    pub removals: Removals,
    pub seen: Seen,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.additions.is_empty() && self.removals.is_empty()
    }
}

pub fn plan(state: &CatalogState, listing: &[ObjectEntry]) -> Plan {
    let mut seen = Seen::default();
    let additions = additions(state, listing, &mut seen);
    let removals = removals(state, &seen, &[]);
    Plan {
        additions,
        removals,
        seen,
    }
}
