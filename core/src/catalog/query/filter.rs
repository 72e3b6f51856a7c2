//! Which videos to show, and the WHERE clause that says it: fixed fragments, every value
//! bound, shaped so the planner reads the sort's own index.

use std::sync::Arc;

use rusqlite::Connection;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::QueryError;
use super::sort::SortKey;
use crate::catalog::fold::fold;
use crate::catalog::search::{Hits, KeySearch, LISTED_MATCHES};
use crate::catalog::seen::UNMARKED;

/// Which videos to show. Every part is optional and they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Filter {
    /// Any of these creators (empty: all).
    pub creators: Vec<String>,
    pub favorites_only: bool,
    /// Only videos neither watched nor marked seen.
    pub unseen_only: bool,
    /// Only videos watched at least once (the history): marked seen is not watched.
    pub seen_only: bool,
    /// Only videos left part-way: a resume position that is not the end.
    pub in_progress_only: bool,
    /// Only videos a sync found missing from the source and kept.
    pub missing_only: bool,
    /// Substring of the key (creator folder and file name), ignoring case and accents.
    pub search: Option<String>,
    /// Date sort time (recorded, else modified), Unix ms, inclusive.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub date_from: Option<i64>,
    /// Date sort time, Unix ms, exclusive.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub date_to: Option<i64>,
    /// At least this many 1s in the prediction; videos not scored never match one.
    pub min_quality: Option<u8>,
}

impl Filter {
    pub(super) fn search_term(&self) -> Option<&str> {
        self.search.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// Whether the search is all this filter asks: every video is a candidate.
    pub(super) fn is_search_only(&self) -> bool {
        Filter {
            search: None,
            ..self.clone()
        } == Filter::default()
    }

    /// Whether the creator counters can answer the count without touching the videos.
    pub(super) fn counted_by_creator_counters(&self) -> bool {
        self.search_term().is_none()
            && !self.missing_only
            && !self.seen_only
            && !self.in_progress_only
            && self.date_from.is_none()
            && self.date_to.is_none()
            && self.min_quality.is_none()
    }

    pub(super) fn validate(&self) -> Result<(), QueryError> {
        if self.seen_only && self.unseen_only {
            return Err(QueryError::SeenAndUnseen);
        }
        if let (Some(from), Some(to)) = (self.date_from, self.date_to)
            && to < from
        {
            return Err(QueryError::EmptyDateRange);
        }
        match self.min_quality {
            Some(q) if q > 100 => Err(QueryError::Quality(q)),
            _ => Ok(()),
        }
    }
}

/// A WHERE clause built only from fixed fragments, with every value bound.
#[derive(Default)]
pub(crate) struct Conditions {
    pub sql: Vec<String>,
    pub values: Vec<Value>,
    /// The matches are found first (a list of ids) and then sorted, rather than found
    /// while walking the sort's index.
    pub matches_first: bool,
    /// The videos the search term matches.
    pub search_hits: Option<Arc<Hits>>,
}

impl Conditions {
    /// The conditions of `filter`, shaped for the index that `sort` reads (if any);
    /// `None` when nothing can match.
    pub fn of(
        conn: &Connection,
        key_search: &KeySearch,
        filter: &Filter,
        sort: Option<SortKey>,
    ) -> Result<Option<Conditions>, QueryError> {
        let mut c = Conditions::default();
        if !filter.creators.is_empty() {
            let ids = creator_ids(conn, &filter.creators)?;
            if ids.is_empty() {
                return Ok(None); // none of these creators exists: nothing can match
            }
            c.push_in("v.creator_id", ids.into_iter().map(Value::Integer));
        }
        // Literal, not bound: the partial indexes (favorites, missing) apply only when
        // the planner can see their condition in the query itself.
        if filter.favorites_only {
            c.sql.push("v.favorite = 1".into());
        }
        if filter.missing_only {
            c.sql.push("v.missing_since > 0".into());
        }
        if filter.unseen_only {
            if sort.is_none_or(|key| key == SortKey::Seen) {
                // Unseen videos all tie at 0: the seen index holds them as one range (what
                // a count or a bulk action reads instead of the whole table).
                c.sql.push("v.seen_at = 0".into());
            } else {
                // The unary + keeps the planner from looking unseen videos up by the seen
                // index (usually most of the library) and sorting them all; it walks the
                // sort's index and skips seen ones instead.
                c.sql.push("+v.seen_at = 0".into());
            }
            c.sql.push(UNMARKED.into());
        }
        if filter.seen_only {
            c.sql.push("v.seen_at > 0".into());
        }
        if filter.in_progress_only {
            // Literal: the planner uses the small in-progress index only when it sees this.
            c.sql.push("v.position > 0".into());
        }
        if let Some(term) = filter.search_term() {
            let hits = key_search.hits(conn, &fold(term))?;
            if hits.len() == 0 {
                return Ok(None);
            }
            if hits.len() <= LISTED_MATCHES {
                // Few: looked up by id and sorted, never found by walking the index.
                c.push("v.id IN (SELECT value FROM json_each(?))", Value::Text(hits.ids_json()));
                c.matches_first = true;
            } else {
                // Many: the sort's index is walked and soon finds a page of them.
                c.push("key_search_hit(v.id, ?)", Value::Text(hits.term().to_owned()));
            }
            c.search_hits = Some(hits);
        }
        if let Some(from) = filter.date_from {
            c.push("v.sort_date >= ?", Value::Integer(from));
        }
        if let Some(to) = filter.date_to {
            c.push("v.sort_date < ?", Value::Integer(to));
        }
        if let Some(q) = filter.min_quality.filter(|&q| q > 0) {
            c.push("v.quality_rank >= ?", Value::Integer(q.into()));
        }
        Ok(Some(c))
    }

    pub fn push(&mut self, sql: &str, value: Value) {
        self.sql.push(sql.to_owned());
        self.values.push(value);
    }

    fn push_in(&mut self, column: &str, values: impl ExactSizeIterator<Item = Value>) {
        let marks = vec!["?"; values.len()].join(", ");
        self.sql.push(format!("{column} IN ({marks})"));
        self.values.extend(values);
    }

    pub fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }
}

/// The ids of the named creators that exist, sorted.
pub(super) fn creator_ids(conn: &Connection, names: &[String]) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM creators WHERE name = ?")?;
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        if let Some(id) = rusqlite::OptionalExtension::optional(stmt.query_row([name], |r| r.get(0)))? {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
