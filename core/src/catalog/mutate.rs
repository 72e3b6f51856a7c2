//! What the user changes about a video: favorite, seen, resume position, prediction.
//!
//! Each change lands in the video row (a seen mark beside it: see `seen.rs`), so filters
//! and sorts see it at once. Should a sync ever remove the row, the catalog's triggers
//! move the state to `user_state` and give it back when the video returns.

use rusqlite::types::Value;
use rusqlite::{Transaction, params};

use crate::catalog::query::Conditions;
use crate::catalog::seen;
use crate::catalog::{Catalog, CatalogError};
use crate::video::{PREDICTION_LEN, is_valid_prediction};

/// The share of a video past which it counts as watched to the end.
pub const FINISHED: f64 = 0.95;

#[derive(Debug, thiserror::Error)]
pub enum MutateError {
    #[error("the catalog has no video {0:?}; sync the bucket or check the key")]
    NoSuchVideo(String),
    #[error("a prediction is {PREDICTION_LEN} characters of 0 and 1; got {0}")]
    InvalidPrediction(String),
    #[error("a resume position is a number of seconds, 0 or more; got {0}")]
    InvalidPosition(f64),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

crate::catalog::wraps_catalog_error!(MutateError);

/// Describes a rejected prediction without echoing a possibly huge input.
pub(crate) fn describe_prediction(text: &str) -> String {
    let len = text.chars().count();
    if len != PREDICTION_LEN {
        format!("{len} characters")
    } else {
        let bad = text.chars().find(|c| *c != '0' && *c != '1').unwrap_or('?');
        format!("a {bad:?} among them")
    }
}

impl Catalog {
    pub fn set_favorite(&self, key: &str, favorite: bool) -> Result<(), MutateError> {
        self.write(|tx| {
            update_one(
                tx,
                key,
                "UPDATE videos SET favorite = ?2 WHERE key = ?1",
                params![key, favorite],
            )
        })
    }

    /// Marks the video watched at `at` (Unix ms); with `None`, unseen: never watched and
    /// not marked seen.
    pub fn set_seen(&self, key: &str, at: Option<i64>) -> Result<(), MutateError> {
        self.write(|tx| match at {
            Some(at) => update_one(
                tx,
                key,
                "UPDATE videos SET seen_at = ?2 WHERE key = ?1",
                params![key, at],
            ),
            None => {
                let known: bool = tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM videos WHERE key = ?1)")?
                    .query_row([key], |r| r.get(0))?;
                if !known {
                    return Err(MutateError::NoSuchVideo(key.to_owned()));
                }
                let mut this_one = Conditions::default();
                this_one.push("v.key = ?", Value::Text(key.to_owned()));
                seen::mark_unseen(tx, this_one)?;
                Ok(())
            }
        })
    }

    /// Marks the video watched now.
    pub fn mark_seen(&self, key: &str) -> Result<i64, MutateError> {
        let now = chrono::Utc::now().timestamp_millis();
        self.set_seen(key, Some(now))?;
        Ok(now)
    }

    /// Remembers where playback stopped, in seconds, to resume from there. Given the
    /// video's length, a position past [`FINISHED`] of it means the video was watched to
    /// the end: the position is cleared (it starts over next time and leaves "Continue
    /// watching"). Returns the position kept.
    pub fn save_position(&self, key: &str, seconds: f64, duration: Option<f64>) -> Result<f64, MutateError> {
        if !seconds.is_finite() || seconds < 0.0 {
            return Err(MutateError::InvalidPosition(seconds));
        }
        let finished = duration.is_some_and(|d| d.is_finite() && d > 0.0 && seconds >= FINISHED * d);
        let kept = if finished { 0.0 } else { seconds };
        self.write(|tx| {
            update_one(
                tx,
                key,
                "UPDATE videos SET position = ?2 WHERE key = ?1",
                params![key, kept],
            )
        })?;
        Ok(kept)
    }

    pub fn set_prediction(&self, key: &str, prediction: &str) -> Result<(), MutateError> {
        if !is_valid_prediction(prediction) {
            return Err(MutateError::InvalidPrediction(describe_prediction(prediction)));
        }
        self.write(|tx| {
            update_one(
                tx,
                key,
                "UPDATE videos SET prediction = ?2 WHERE key = ?1",
                params![key, prediction],
            )
        })
    }
}

fn update_one(tx: &Transaction, key: &str, sql: &str, params: impl rusqlite::Params) -> Result<(), MutateError> {
    match tx.prepare_cached(sql)?.execute(params)? {
        0 => Err(MutateError::NoSuchVideo(key.to_owned())),
        _ => Ok(()),
    }
}
