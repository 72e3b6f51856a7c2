//! The shapes of a video as the rest of the app sees it.

use serde::{Deserialize, Serialize};

/// Length of a prediction string: one 0/1 score per percent of the video.
pub const PREDICTION_LEN: usize = 100;

/// One video as a grid card needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VideoSummary {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub key: String,
    /// Top-level folder; empty for a video at the bucket root.
    pub creator: String,
    /// File name.
    pub name: String,
    /// What the card calls the video beside its creator: the file name when it is not
    /// the recorder's `creator-YYYY-MM-DD_HH-mm-ss` pattern (which says nothing the
    /// creator and date do not), else `None`.
    pub title: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// Unix ms.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_modified: i64,
    /// Unix ms, read from the file name; `None` when the name carries no time.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub recorded_at: Option<i64>,
    /// The time the date sort uses (Unix ms): when it was recorded, else when the file
    /// was uploaded or last written; `dated_by` says which.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub date: i64,
    pub dated_by: DateSource,
    pub favorite: bool,
    /// Unix ms of the last time it was watched.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seen_at: Option<i64>,
    /// Unix ms of when the user marked it seen without watching it (a bulk action): it
    /// is not unseen, and not in the history either.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub marked_seen_at: Option<i64>,
    /// Resume position in seconds.
    pub position: f64,
    /// 100 characters of 0/1, when the video has been scored.
    pub prediction: Option<String>,
    /// Number of '1's in the prediction (0..=100); `None` when it was never scored, which
    /// is not the same as 0 and sorts after every score.
    pub quality: Option<u8>,
    /// When a sync last found the video missing from its source (Unix ms), if it did:
    /// kept, because that sync would have removed most of the library.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub missing_since: Option<i64>,
    /// An HLS video (its key is its playlist), not a single file.
    pub is_playlist: bool,
    /// Of an HLS video: parts its playlists name that the source does not have (a URI
    /// out of the source and a playlist that cannot be read count too). 0 when complete.
    pub parts_missing: u32,
}

impl VideoSummary {
    /// Watched, or marked seen: not unseen.
    pub fn is_seen(&self) -> bool {
        self.seen_at.is_some() || self.marked_seen_at.is_some()
    }
}

/// Where a video's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DateSource {
    /// The recording time in its file name.
    Recorded,
    /// The object's upload (or the file's modification) time: the name has none.
    Uploaded,
}

/// One video with what the player needs besides the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VideoDetail {
    #[serde(flatten)]
    pub summary: VideoSummary,
    pub etag: Option<String>,
    /// Keys of its preview segments, in natural order.
    pub preview_segments: Vec<String>,
}

/// A creator folder with the counts the filter sidebar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CreatorCounts {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub favorites: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub unseen: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// Whether `text` is a well-formed prediction: exactly 100 characters, each 0 or 1.
pub fn is_valid_prediction(text: &str) -> bool {
    text.len() == PREDICTION_LEN && text.bytes().all(|b| b == b'0' || b == b'1')
}
