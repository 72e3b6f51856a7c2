//! The plan of a sync, as plain data: the difference between what the source lists and
//! what the catalog holds. Pure (no catalog, no network), so every rule is tested
//! without a server.
//!
//! A listing arrives page by page and is applied as it comes (the grid fills during a
//! first sync), so the plan is in two parts: [`additions`] of each batch of pages (new
//! and changed videos and preview segments, missing videos found again), safe to write
//! before the listing ends; and [`removals`], computed only once the listing is whole.

use rustc_hash::{FxHashMap, FxHashSet};

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
    /// An HLS video whose playlist was never read (a sync stopped before it could): it
    /// is read on the next sync whether it changed or not.
    pub unread: bool,
}

/// A preview segment as the catalog holds it: size, time, ETag.
pub type KnownSegment = (u64, i64, Option<String>);

/// What the catalog holds, by key. Each entry is numbered in the order it was added, so
/// that a listing marks the known keys it saw in a bit set instead of copying every key
/// (a no-op re-sync of a folder is mostly that: BENCHMARKS.md, "Folder libraries").
///
/// Fx hashing, not std's SipHash: the keys are the user's own (no one to flood the
/// table), and hashing them is most of the plan's time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogState {
    videos: FxHashMap<String, (usize, KnownVideo)>,
    segments: FxHashMap<String, (usize, KnownSegment)>,
    /// The parts HLS playlists name, with the size the catalog has (`None`: missing).
    parts: FxHashMap<String, (usize, Option<u64>)>,
}

impl CatalogState {
    pub fn add_video(&mut self, key: String, video: KnownVideo) {
        let number = self.videos.len();
        self.videos.entry(key).or_insert((number, video));
    }

    pub fn add_segment(&mut self, key: String, segment: KnownSegment) {
        let number = self.segments.len();
        self.segments.entry(key).or_insert((number, segment));
    }

    pub(super) fn video_mut(&mut self, key: &str) -> Option<&mut KnownVideo> {
        self.videos.get_mut(key).map(|(_, known)| known)
    }

    pub fn add_part(&mut self, key: String, size: Option<u64>) {
        let number = self.parts.len();
        self.parts.entry(key).or_insert((number, size));
    }

    pub fn videos(&self) -> usize {
        self.videos.len()
    }
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
    /// HLS videos whose playlists are to be read: new, changed, or never read. Read once
    /// the listing is whole (their parts may come later in it).
    pub playlists: Vec<ObjectEntry>,
}

impl Additions {
    pub fn is_empty(&self) -> bool {
        self.upsert_videos.is_empty() && self.found_again.is_empty() && self.upsert_segments.is_empty()
    }

    /// Rows to write.
    pub fn len(&self) -> usize {
        self.upsert_videos.len() + self.found_again.len() + self.upsert_segments.len()
    }

    /// Adds the writes of a later batch of the same listing.
    pub fn append(&mut self, mut later: Additions) {
        self.playlists.append(&mut later.playlists);
        self.upsert_videos.append(&mut later.upsert_videos);
        self.new_videos += later.new_videos;
        self.changed_videos += later.changed_videos;
        self.found_again.append(&mut later.found_again);
        self.upsert_segments.append(&mut later.upsert_segments);
    }
}

/// What the listing has shown so far, across all its batches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    /// Listed keys the catalog does not hold yet.
    new_videos: FxHashSet<String>,
    new_segments: FxHashSet<String>,
    /// Listed keys the catalog holds, by their number in the [`CatalogState`].
    known_videos: Vec<bool>,
    known_segments: Vec<bool>,
    videos_listed: u64,
    segments_listed: u64,
    /// Objects that are neither videos nor preview segments (covers, notes, markers).
    pub other_objects: u64,
    /// Preview folders, and whether a listed video links to one.
    folders: FxHashMap<String, bool>,
    /// Each listed video's two possible preview folders: its stem, its stamp.
    video_folders: Vec<(String, Option<String>)>,
    /// Sizes of the listed objects a playlist may name: stream parts, the parts the
    /// catalog knows, playlists, and videos not named by the recorder (an fMP4 init
    /// section `init.mp4` looks like one). A recorder-named video is never a part.
    part_sizes: FxHashMap<String, u64>,
    /// Listed sizes of the parts the catalog knows, by their number in the state.
    known_part_sizes: Vec<Option<u64>>,
    /// Listed stream parts (segments, keys, variant playlists).
    pub stream_parts: u64,
}

/// Marks entry `number` of `listed` (grown as needed); whether it was the first time.
fn mark(listed: &mut Vec<bool>, number: usize) -> bool {
    if listed.len() <= number {
        listed.resize(number + 1, false);
    }
    !std::mem::replace(&mut listed[number], true)
}

fn was_listed(listed: &[bool], number: usize) -> bool {
    listed.get(number).copied().unwrap_or(false)
}

impl Seen {
    /// The listed size of `key`, if the listing had it and it may be a part.
    pub fn part_size(&self, state: &CatalogState, key: &str) -> Option<u64> {
        match state.parts.get(key) {
            Some((number, _)) => self.known_part_sizes.get(*number).copied().flatten(),
            None => self.part_sizes.get(key).copied(),
        }
    }

    /// Distinct videos listed.
    pub fn videos_listed(&self) -> u64 {
        self.videos_listed
    }

    /// Distinct preview segments listed.
    pub fn segments_listed(&self) -> u64 {
        self.segments_listed
    }
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
        // What a playlist names is that video's part, whatever its name looks like.
        if let Some((number, _)) = state.parts.get(&entry.key) {
            if seen.known_part_sizes.len() <= *number {
                seen.known_part_sizes.resize(*number + 1, None);
            }
            seen.known_part_sizes[*number] = Some(entry.size);
            seen.stream_parts += 1;
            continue;
        }
        match classify(&entry.key) {
            ObjectKind::Video(video) => {
                let known = state.videos.get(&entry.key);
                let first_time = match known {
                    Some((number, _)) => mark(&mut seen.known_videos, *number),
                    None => seen.new_videos.insert(entry.key.clone()),
                };
                if !first_time {
                    continue;
                }
                seen.videos_listed += 1;
                if video.is_playlist || !video.has_recorder_name() {
                    seen.part_sizes.insert(entry.key.clone(), entry.size);
                }
                let is_playlist = video.is_playlist;
                seen.video_folders.push((video.stem, video.stamp));
                match known {
                    Some((_, known))
                        if known.size == entry.size
                            && known.last_modified == entry.last_modified
                            && known.etag == entry.etag =>
                    {
                        if known.missing {
                            out.found_again.push(entry.key.clone());
                        }
                        if is_playlist && known.unread {
                            out.playlists.push(entry.clone());
                        }
                        continue;
                    }
                    Some(_) => out.changed_videos += 1,
                    None => out.new_videos += 1,
                }
                if is_playlist {
                    out.playlists.push(entry.clone());
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
                let known = state.segments.get(&entry.key);
                let first_time = match known {
                    Some((number, _)) => mark(&mut seen.known_segments, *number),
                    None => seen.new_segments.insert(entry.key.clone()),
                };
                if !first_time {
                    continue;
                }
                seen.segments_listed += 1;
                if !seen.folders.contains_key(&segment.folder) {
                    seen.folders.insert(segment.folder.clone(), false);
                }
                let unchanged = known.is_some_and(|(_, (size, last_modified, etag))| {
                    *size == entry.size && *last_modified == entry.last_modified && *etag == entry.etag
                });
                if !unchanged {
                    out.upsert_segments.push(SegmentRow {
                        key: entry.key.clone(),
                        folder: segment.folder,
                        size: entry.size,
                        last_modified: entry.last_modified,
                        etag: entry.etag.clone(),
                    });
                }
            }
            ObjectKind::StreamPart => {
                seen.part_sizes.insert(entry.key.clone(), entry.size);
                seen.stream_parts += 1;
            }
            ObjectKind::Other => seen.other_objects += 1,
        }
    }
    out
}

/// The parts whose listed size is not what the catalog has: changed, back, or gone from
/// the whole listing (`None`), except under prefixes the source could not read.
pub fn part_changes(state: &CatalogState, seen: &Seen, unreadable: &[String]) -> Vec<(String, Option<u64>)> {
    let mut changes: Vec<(String, Option<u64>)> = state
        .parts
        .iter()
        .filter_map(|(key, (number, known))| {
            let listed = seen.known_part_sizes.get(*number).copied().flatten();
            let unknown = listed.is_none() && unreadable.iter().any(|prefix| key.starts_with(prefix.as_str()));
            (listed != *known && !unknown).then(|| (key.clone(), listed))
        })
        .collect();
    changes.sort();
    changes
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
    for (key, (number, _)) in &state.videos {
        if was_listed(&seen.known_videos, *number) {
            continue;
        }
        if under_unreadable(key) {
            out.unknown += 1;
        } else {
            out.videos.push(key.clone());
        }
    }
    out.segments = state
        .segments
        .iter()
        .filter(|(key, (number, _))| !was_listed(&seen.known_segments, *number) && !under_unreadable(key))
        .map(|(key, _)| key.clone())
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
