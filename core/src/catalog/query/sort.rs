//! The orders the grid offers, each a fixed list of columns read from an index.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SortKey {
    /// Recorded-at, falling back to last-modified.
    #[default]
    Date,
    /// Number of 1s in the prediction, then date; videos not scored come last either way.
    Quality,
    Size,
    /// The key: creator folder, then file name.
    Name,
    /// Last watched.
    Seen,
    /// A random order that stays the same between pages and restarts.
    Shuffle,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Date,
        SortKey::Quality,
        SortKey::Size,
        SortKey::Name,
        SortKey::Seen,
        SortKey::Shuffle,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Quality => "quality",
            SortKey::Size => "size",
            SortKey::Name => "name",
            SortKey::Seen => "seen",
            SortKey::Shuffle => "shuffle",
        }
    }

    /// The columns of the order, the last one unique. Fixed text: never user input.
    pub(super) fn columns(self) -> &'static [&'static str] {
        match self {
            SortKey::Date => &["v.sort_date", "v.id"],
            SortKey::Quality => &["v.quality_rank", "v.sort_date", "v.id"],
            SortKey::Size => &["v.size", "v.id"],
            SortKey::Name => &["v.key"],
            SortKey::Seen => &["v.seen_at", "v.id"],
            SortKey::Shuffle => &["v.shuffle_key", "v.id"],
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Direction {
    Asc,
    #[default]
    Desc,
}

impl Direction {
    /// `ORDER BY` keyword and the comparison that means "after" in this direction.
    pub(super) fn sql(self) -> (&'static str, &'static str) {
        match self {
            Direction::Asc => ("ASC", ">"),
            Direction::Desc => ("DESC", "<"),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Sort {
    pub key: SortKey,
    pub direction: Direction,
}

/// "Not scored" (`quality_rank` -1) must come last in both directions, which no single
/// index order gives: quality ascending is read as two runs of the same index, the
/// scored videos and then the others. Every other order is one run.
const ONE_RUN: &[Option<&str>] = &[None];
const SCORED_THEN_NOT: &[Option<&str>] = &[Some("v.quality_rank >= 0"), Some("v.quality_rank < 0")];

impl Sort {
    /// The runs of this order, each an extra condition on the rows (fixed text).
    pub(super) fn segments(self) -> &'static [Option<&'static str>] {
        match (self.key, self.direction) {
            (SortKey::Quality, Direction::Asc) => SCORED_THEN_NOT,
            _ => ONE_RUN,
        }
    }

    /// The run a row with these leading sort values belongs to.
    pub(super) fn segment_of(self, first_value: Option<i64>) -> usize {
        match (self.key, self.direction, first_value) {
            (SortKey::Quality, Direction::Asc, Some(rank)) if rank < 0 => 1,
            _ => 0,
        }
    }
}
