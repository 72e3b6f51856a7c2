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
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// Unix ms.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_modified: i64,
    /// Unix ms, read from the file name; `None` when the name carries no time.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub recorded_at: Option<i64>,
    pub favorite: bool,
    /// Unix ms of the last time it was watched.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seen_at: Option<i64>,
    /// Resume position in seconds.
    pub position: f64,
    /// 100 characters of 0/1, when the video has been scored.
    pub prediction: Option<String>,
    /// Number of '1's in the prediction (0..=100).
    pub quality: u8,
}

impl VideoSummary {
    /// The time the date sort uses: when it was recorded, else when it was uploaded.
    pub fn date(&self) -> i64 {
        self.recorded_at.unwrap_or(self.last_modified)
    }
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
