//! What an object key in the bucket is: a video, a preview segment, or neither.
//!
//! Layout (see the seed architecture): `username/username-YYYY-MM-DD_HH-mm-ss.mp4` for
//! videos, `previews/<folder>/segment_NN.<ext>` for their preview clips, where the
//! folder is the video's timestamp (original layout) or its full file stem.
//!
//! An HLS video is its playlist: `username/username-YYYY-MM-DD_HH-mm-ss.m3u8`, or
//! `username/username-YYYY-MM-DD_HH-mm-ss/index.m3u8` (the folder names the video). Its
//! parts (segments, init sections, keys, variant playlists) are whatever its playlist
//! names: a key alone cannot tell which video they belong to, or even that an `init.mp4`
//! beside a playlist is not a video, so the sync reads the playlists and the catalog keeps
//! the parts they name (`library::sync`).

use std::cmp::Ordering;

use chrono::NaiveDateTime;

/// The top-level folder that holds preview segments.
pub const PREVIEWS_PREFIX: &str = "previews/";

const VIDEO_EXTENSIONS: &[&str] = &["mp4", "m4v", "mkv", "webm", "mov", "avi", "wmv", "flv", "mpg", "mpeg"];
/// An HLS playlist.
const PLAYLIST_EXTENSION: &str = "m3u8";
/// What an HLS playlist names besides other playlists: media segments (MPEG-TS, fMP4,
/// packed audio), keys, subtitles. Never a video of its own.
const STREAM_PART_EXTENSIONS: &[&str] = &["ts", "m4s", "aac", "m4a", "ac3", "ec3", "mp3", "key", "vtt", "webvtt"];
/// The names of the playlist that is the video in a folder named after the video.
const FOLDER_PLAYLISTS: &[&str] = &["index.m3u8", "master.m3u8", "playlist.m3u8"];
const STAMP_FORMAT: &str = "%Y-%m-%d_%H-%M-%S";
const STAMP_LEN: usize = "YYYY-MM-DD_HH-mm-ss".len();

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectKind {
    Video(VideoKey),
    PreviewSegment(PreviewKey),
    /// A file an HLS playlist may name (a segment, a key, a variant playlist): which
    /// video's part it is, and whether it is one, only a playlist says.
    StreamPart,
    /// Anything else in the bucket (images, text, folder markers such as `previewszz`).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoKey {
    /// Top-level folder; empty for a video at the bucket root.
    pub creator: String,
    /// Last path segment, e.g. `alice-2024-02-20_14-30-00.mp4`.
    pub name: String,
    /// File name without its extension: one of the two names a preview folder may have.
    pub stem: String,
    /// The `YYYY-MM-DD_HH-mm-ss` timestamp at the end of the stem, when there is one:
    /// the other preview folder name, and the recording time.
    pub stamp: Option<String>,
    /// An HLS playlist, not a single file.
    pub is_playlist: bool,
    /// Recording time in Unix milliseconds, read from the stamp. Recorders write local
    /// wall-clock time without a zone, so it is stored as if UTC and shown as UTC, which
    /// gives back the same wall-clock digits the file name has.
    pub recorded_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewKey {
    /// The folder under `previews/` the segment sits in (a video stem or stamp).
    pub folder: String,
    /// The segment's file name, e.g. `segment_02.mp4`.
    pub name: String,
}

impl VideoKey {
    /// Whether the file is named the way the recorder names it: its timestamp alone, or
    /// its creator folder and its timestamp (`alice/alice-2024-02-20_14-30-00.mp4`). Such a
    /// name tells nothing the creator and date do not; any other name is the video's title.
    pub fn has_recorder_name(&self) -> bool {
        match &self.stamp {
            Some(stamp) => {
                self.stem == *stamp
                    || self
                        .stem
                        .strip_suffix(stamp.as_str())
                        .and_then(|head| head.strip_suffix('-'))
                        .is_some_and(|head| head == self.creator)
            }
            None => false,
        }
    }
}

/// Classifies one object key of the bucket.
pub fn classify(key: &str) -> ObjectKind {
    if let Some(rest) = key.strip_prefix(PREVIEWS_PREFIX) {
        // `previews/<folder>/<segment>`; deeper nesting keeps the first folder.
        if let Some((folder, tail)) = rest.split_once('/') {
            let name = tail.rsplit('/').next().unwrap_or(tail);
            if !folder.is_empty() && is_video_file(name) {
                return ObjectKind::PreviewSegment(PreviewKey {
                    folder: folder.to_owned(),
                    name: name.to_owned(),
                });
            }
            return ObjectKind::Other;
        }
    }
    match parse_video(key) {
        Some(video) => ObjectKind::Video(video),
        None if is_stream_part(key) => ObjectKind::StreamPart,
        None => ObjectKind::Other,
    }
}

/// Whether `key` names an HLS playlist (a video's or a part's), by its extension alone.
pub fn is_playlist_key(key: &str) -> bool {
    key.len() > PLAYLIST_EXTENSION.len()
        && key.is_char_boundary(key.len() - PLAYLIST_EXTENSION.len() - 1)
        && key[key.len() - PLAYLIST_EXTENSION.len() - 1..]
            .strip_prefix('.')
            .is_some_and(|ext| ext.eq_ignore_ascii_case(PLAYLIST_EXTENSION))
}

/// Whether `key` may be a part of an HLS video: a media segment, a key, or a playlist
/// that is not itself a video (a variant playlist, one in a video's folder).
fn is_stream_part(key: &str) -> bool {
    file_name(key).rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (ext.eq_ignore_ascii_case(PLAYLIST_EXTENSION)
                || STREAM_PART_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
    })
}

/// The last path segment of a key.
pub fn file_name(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Reads a key as a video: a file with a video extension, or an HLS playlist where a
/// video's playlist is (see the module's note).
pub fn parse_video(key: &str) -> Option<VideoKey> {
    let (creator, name) = match key.split_once('/') {
        Some((top, _)) => (top, file_name(key)),
        None => ("", key),
    };
    let (stem, is_playlist) = if is_video_file(name) {
        (name.rsplit_once('.').map_or(name, |(stem, _)| stem), false)
    } else {
        (playlist_video_name(key)?, true)
    };
    let name = if is_playlist && FOLDER_PLAYLISTS.contains(&name) {
        stem
    } else {
        name
    };
    let stamp = stamp_of(stem);
    let recorded_at = stamp.and_then(parse_stamp);
    Some(VideoKey {
        creator: creator.to_owned(),
        name: name.to_owned(),
        stem: stem.to_owned(),
        stamp: stamp.filter(|_| recorded_at.is_some()).map(str::to_owned),
        is_playlist,
        recorded_at,
    })
}

/// The video name of a playlist that is a video: the file's stem for a playlist in a
/// creator's folder (or at the top), the folder's name for `creator/<name>/index.m3u8`.
/// `None` for any other playlist (those are parts).
fn playlist_video_name(key: &str) -> Option<&str> {
    let name = file_name(key);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() || !ext.eq_ignore_ascii_case(PLAYLIST_EXTENSION) {
        return None;
    }
    let parts: Vec<&str> = key.split('/').collect();
    match parts.as_slice() {
        [_] | [_, _] => Some(stem),
        [_, folder, _] if !folder.is_empty() && FOLDER_PLAYLISTS.contains(&name) => Some(folder),
        _ => None,
    }
}

fn is_video_file(name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((stem, ext)) => !stem.is_empty() && VIDEO_EXTENSIONS.iter().any(|v| ext.eq_ignore_ascii_case(v)),
        None => false,
    }
}

/// The trailing `YYYY-MM-DD_HH-mm-ss` of a stem, standing alone or after a `-`.
fn stamp_of(stem: &str) -> Option<&str> {
    let split = stem.len().checked_sub(STAMP_LEN)?;
    if !stem.is_char_boundary(split) {
        return None;
    }
    let (head, stamp) = stem.split_at(split);
    (head.is_empty() || head.ends_with('-')).then_some(stamp)
}

fn parse_stamp(stamp: &str) -> Option<i64> {
    NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT)
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// Orders names the way a person counts: `segment_2` before `segment_10`, padded or not.
///
/// Written here because the crates that do this pull in Unicode tables or allocate per
/// comparison; segments of one video are a handful of ASCII names.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (na, ra) = split_digits(a);
                let (nb, rb) = split_digits(b);
                let (ta, tb) = (trim_zeros(na), trim_zeros(nb));
                let by_value = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                // Equal values: fewer leading zeros first, so the order stays total.
                match by_value.then_with(|| na.len().cmp(&nb.len())) {
                    Ordering::Equal => (a, b) = (ra, rb),
                    other => return other,
                }
            }
            (Some(x), Some(y)) => match x.cmp(y) {
                Ordering::Equal => (a, b) = (&a[1..], &b[1..]),
                other => return other,
            },
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s.iter().position(|c| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits.iter().position(|&c| c != b'0').unwrap_or(digits.len());
    &digits[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn video(key: &str) -> VideoKey {
        match classify(key) {
            ObjectKind::Video(v) => v,
            other => panic!("{key} is not a video: {other:?}"),
        }
    }

    #[test]
    fn the_seed_layout_gives_creator_and_recording_time() {
        let v = video("alice/alice-2024-02-20_14-30-00.mp4");
        assert_eq!(v.creator, "alice");
        assert_eq!(v.name, "alice-2024-02-20_14-30-00.mp4");
        assert_eq!(v.stem, "alice-2024-02-20_14-30-00");
        assert_eq!(v.stamp.as_deref(), Some("2024-02-20_14-30-00"));
        assert_eq!(v.recorded_at, Some(1_708_439_400_000));
    }

    #[test]
    fn other_videos_in_a_folder_are_videos_without_a_time() {
        let v = video("bob/holiday clip.MKV");
        assert_eq!(
            (v.creator.as_str(), v.stem.as_str(), v.recorded_at),
            ("bob", "holiday clip", None)
        );
        let nested = video("bob/2023/trip/day 1.webm");
        assert_eq!((nested.creator.as_str(), nested.name.as_str()), ("bob", "day 1.webm"));
    }

    #[test]
    fn an_hls_playlist_is_a_video_named_by_its_file_or_its_folder() {
        let beside = video("alice/alice-2024-02-20_14-30-00.m3u8");
        assert!(beside.is_playlist);
        assert_eq!(
            (beside.creator.as_str(), beside.stem.as_str(), beside.recorded_at),
            ("alice", "alice-2024-02-20_14-30-00", Some(1_708_439_400_000))
        );
        for index in ["index.m3u8", "master.m3u8", "playlist.m3u8"] {
            let folder = video(&format!("alice/alice-2024-02-20_14-30-00/{index}"));
            assert!(folder.is_playlist);
            assert_eq!(
                (folder.name.as_str(), folder.stem.as_str(), folder.stamp.as_deref()),
                (
                    "alice-2024-02-20_14-30-00",
                    "alice-2024-02-20_14-30-00",
                    Some("2024-02-20_14-30-00")
                )
            );
        }
        assert!(!video("alice/alice-2024-02-20_14-30-00.mp4").is_playlist);
        assert!(video("holiday.m3u8").is_playlist);
    }

    #[test]
    fn what_a_playlist_names_is_a_stream_part_not_a_video() {
        for key in [
            "alice/alice-2024-02-20_14-30-00/stream_0.m3u8",
            "alice/alice-2024-02-20_14-30-00/segment_001.ts",
            "alice/alice-2024-02-20_14-30-00/v0/index.m3u8",
            "alice/alice-2024-02-20_14-30-00/seg-1.m4s",
            "alice/alice-2024-02-20_14-30-00/enc.key",
            "alice/alice-2024-02-20_14-30-0012.ts",
            "alice/audio.AAC",
        ] {
            assert_eq!(classify(key), ObjectKind::StreamPart, "{key}");
        }
        // A key alone cannot tell an fMP4 init section from a video: the sync's reading
        // of the playlist does.
        assert!(matches!(
            classify("alice/alice-2024-02-20_14-30-00/init.mp4"),
            ObjectKind::Video(_)
        ));
        assert_eq!(classify("alice/notes.txt"), ObjectKind::Other);
        assert_eq!(classify("alice/.ts"), ObjectKind::Other);
        assert_eq!(classify("previews/x/segment_1.ts"), ObjectKind::Other);
    }

    #[test]
    fn an_impossible_date_is_no_recording_time() {
        let v = video("carol/carol-2024-13-45_99-00-00.mp4");
        assert_eq!((v.recorded_at, v.stamp), (None, None));
        // Digits glued to the name are not a stamp either.
        assert_eq!(video("carol/carol2024-02-20_14-30-00.mp4").recorded_at, None);
    }

    #[test]
    fn only_the_recorders_own_names_go_without_a_title() {
        assert!(video("alice/alice-2024-02-20_14-30-00.mp4").has_recorder_name());
        assert!(video("2024-02-20_14-30-00.mp4").has_recorder_name());
        assert!(video("alice/2024-02-20_14-30-00.mp4").has_recorder_name());
        for key in [
            "carol/Holiday recording at the beach (1) copy.mp4",
            "alice/bob-2024-02-20_14-30-00.mp4",
            "alice/alice-2024-02-20_14-30-00 (1).mp4",
            "alice/alice-2024-13-45_99-00-00.mp4",
        ] {
            assert!(!video(key).has_recorder_name(), "{key}");
        }
    }

    #[test]
    fn a_video_at_the_root_has_no_creator() {
        let v = video("2024-02-20_14-30-00.mp4");
        assert_eq!(v.creator, "");
        assert!(v.recorded_at.is_some());
    }

    #[test]
    fn preview_segments_name_their_folder() {
        assert_eq!(
            classify("previews/2024-02-20_14-30-00/segment_01.mp4"),
            ObjectKind::PreviewSegment(PreviewKey {
                folder: "2024-02-20_14-30-00".into(),
                name: "segment_01.mp4".into()
            })
        );
        assert!(matches!(
            classify("previews/alice-2024-02-20_14-30-00/segment_3.webm"),
            ObjectKind::PreviewSegment(_)
        ));
    }

    #[test]
    fn non_videos_are_not_videos() {
        for key in [
            "previewszz",
            "previewszz/",
            "alice/",
            "alice/cover.jpg",
            "alice/notes",
            "previews/x/thumb.jpg",
            "alice/.mp4",
            "",
        ] {
            assert_eq!(classify(key), ObjectKind::Other, "{key}");
        }
    }

    #[test]
    fn a_creator_folder_sorting_near_previews_is_a_creator() {
        assert_eq!(
            video("previewsbob/previewsbob-2024-01-01_00-00-00.mp4").creator,
            "previewsbob"
        );
    }

    #[test]
    fn unicode_and_spaces_survive() {
        let v = video("ÆØÅ créatrice/ÆØÅ créatrice-2024-02-20_14-30-00.mp4");
        assert_eq!(v.creator, "ÆØÅ créatrice");
        assert!(v.recorded_at.is_some());
        // A multi-byte character where the stamp would start must not panic.
        assert_eq!(video("x/ééééééééééééééééééé.mp4").recorded_at, None);
    }

    #[test]
    fn segments_sort_naturally() {
        let mut names = vec![
            "segment_10.mp4",
            "segment_2.mp4",
            "segment_01.mp4",
            "segment_1.mp4",
            "segment_003.mp4",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "segment_1.mp4",
                "segment_01.mp4",
                "segment_2.mp4",
                "segment_003.mp4",
                "segment_10.mp4"
            ]
        );
    }

    proptest! {
        #[test]
        fn classify_never_panics(key in "\\PC{0,300}") {
            let _ = classify(&key);
        }

        #[test]
        fn any_folder_and_stamp_round_trips(
            creator in "[^/\\x00]{1,40}",
            y in 1970i32..2100, mo in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60, s in 0u32..60,
        ) {
            prop_assume!(creator != "previews");
            let stamp = format!("{y:04}-{mo:02}-{d:02}_{h:02}-{mi:02}-{s:02}");
            let v = video(&format!("{creator}/{creator}-{stamp}.mp4"));
            let expected = chrono::NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap();
            prop_assert_eq!(v.creator, creator);
            prop_assert_eq!(v.stamp, Some(stamp));
            prop_assert_eq!(v.recorded_at, Some(expected.and_utc().timestamp_millis()));
        }

        #[test]
        fn natural_order_is_numeric_order(a in 0u64..100_000, b in 0u64..100_000, pad_a in 0usize..4, pad_b in 0usize..4) {
            let name = |n: u64, pad: usize| format!("segment_{n:0pad$}.mp4", pad = pad);
            let ord = natural_cmp(&name(a, pad_a), &name(b, pad_b));
            if a != b { prop_assert_eq!(ord, a.cmp(&b)); }
        }

        #[test]
        fn natural_order_is_a_total_order(a in "[a-c0-9_]{0,8}", b in "[a-c0-9_]{0,8}", c in "[a-c0-9_]{0,8}") {
            prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
            prop_assert_eq!(natural_cmp(&a, &b) == Ordering::Equal, a == b);
            if natural_cmp(&a, &b).is_le() && natural_cmp(&b, &c).is_le() {
                prop_assert!(natural_cmp(&a, &c).is_le());
            }
        }
    }
}
