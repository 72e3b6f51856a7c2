//! Acting on many videos at once. A selection is either the keys the user picked or
//! "every video this filter matches" (less the ones unticked since), so "select all
//! 300,000 results" then "mark seen" is one statement over the filter: the keys never
//! cross IPC, and a video that arrives in the filter meanwhile is included as the user
//! would expect of "all".

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};

use super::query::{Conditions, Filter, QueryError, selection_conditions};
use super::search::KeySearch;
use super::seen;
use super::{Catalog, CatalogError, wraps_catalog_error};

/// Keys a selection may name one by one; "all results" is a filter, not a list.
pub const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Selection {
    /// These videos.
    #[serde(rename_all = "camelCase")]
    Keys { keys: Vec<String> },
    /// Every video `filter` matches, except these.
    #[serde(rename_all = "camelCase")]
    Matching {
        filter: Filter,
        #[serde(default)]
        except: Vec<String>,
    },
}

/// What a bulk action sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Mark {
    Favorite,
    Unfavorite,
    /// Marked seen now, apart from the history: a video already seen keeps its time.
    Seen,
    /// Neither watched nor marked: the watched time and the mark are cleared.
    Unseen,
}

/// How many videos a selection holds and their total size: what a delete asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SelectionSize {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub videos: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    #[error("a selection names at most {MAX_KEYS} videos one by one, not {0}; select all results of a filter instead")]
    TooManyKeys(usize),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

wraps_catalog_error!(SelectionError);

/// The conditions over `videos v` of a selection; `None` when nothing can match.
fn conditions(
    conn: &Connection,
    key_search: &KeySearch,
    selection: &Selection,
) -> Result<Option<Conditions>, SelectionError> {
    let (keys, left_out) = match selection {
        Selection::Keys { keys } => (keys, false),
        Selection::Matching { except, .. } => (except, true),
    };
    if keys.len() > MAX_KEYS {
        return Err(SelectionError::TooManyKeys(keys.len()));
    }
    let mut found = match selection {
        Selection::Keys { keys } if keys.is_empty() => return Ok(None),
        Selection::Keys { .. } => Conditions::default(),
        Selection::Matching { filter, .. } => match selection_conditions(conn, key_search, filter)? {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    if !keys.is_empty() {
        // One bound JSON array rather than a statement with 100,000 placeholders
        // (SQLite allows 32,766).
        let sql = if left_out {
            "v.key NOT IN (SELECT value FROM json_each(?))"
        } else {
            "v.key IN (SELECT value FROM json_each(?))"
        };
        found.push(
            sql,
            Value::Text(serde_json::to_string(keys).expect("a list of strings is JSON")),
        );
    }
    Ok(Some(found))
}

impl Catalog {
    /// Sets `mark` on every video of `selection` in one transaction. Returns how many
    /// videos changed (those already so are left alone and not counted).
    pub fn mark_selection(&self, selection: &Selection, mark: Mark) -> Result<u64, SelectionError> {
        let now = chrono::Utc::now().timestamp_millis();
        self.write(|tx| {
            let Some(mut found) = conditions(tx, &self.key_search, selection)? else {
                return Ok(0);
            };
            let (set, unchanged_yet) = match mark {
                Mark::Seen => return Ok(seen::mark_seen(tx, found, now)?),
                Mark::Unseen => return Ok(seen::mark_unseen(tx, found)?),
                // Only the rows it changes: the creator counters' trigger then fires once
                // per real change. Fixed text.
                Mark::Favorite => ("favorite = 1", "v.favorite = 0"),
                Mark::Unfavorite => ("favorite = 0", "v.favorite = 1"),
            };
            found.sql.push(unchanged_yet.to_owned());
            let sql = format!("UPDATE videos AS v SET {set} {}", found.where_clause());
            Ok(tx.execute(&sql, params_from_iter(found.values))? as u64)
        })
    }

    /// How many videos `selection` holds and their total size.
    pub fn selection_size(&self, selection: &Selection) -> Result<SelectionSize, SelectionError> {
        let conn = self.reader()?;
        let Some(found) = conditions(&conn, &self.key_search, selection)? else {
            return Ok(SelectionSize { videos: 0, bytes: 0 });
        };
        let where_ = found.where_clause();
        let (videos, bytes): (i64, i64) = conn
            .prepare(&format!(
                "SELECT count(*), coalesce(sum(v.size), 0) FROM videos v {where_}"
            ))?
            .query_row(params_from_iter(found.values), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(SelectionSize {
            videos: videos as u64,
            bytes: bytes as u64,
        })
    }

    /// The keys of the videos of `selection`, in key order: what a bulk delete works
    /// through. Keys named that the catalog does not have are left out.
    pub fn selection_keys(&self, selection: &Selection) -> Result<Vec<String>, SelectionError> {
        let conn = self.reader()?;
        let Some(found) = conditions(&conn, &self.key_search, selection)? else {
            return Ok(Vec::new());
        };
        let where_ = found.where_clause();
        let keys = conn
            .prepare(&format!("SELECT v.key FROM videos v {where_} ORDER BY v.key"))?
            .query_map(params_from_iter(found.values), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(keys)
    }
}

#[cfg(test)]
mod tests;
