//! The one question the grid asks: which videos match this filter, in this order, after
//! this point? Answered from indexes in about a millisecond on a million videos.
//!
//! Pagination is by keyset (the sort values of the last row seen), never OFFSET: a deep
//! page costs what the first one does. Every sort ends in a unique column, so the order
//! is total and no row is skipped or repeated between pages. An order is read as one or
//! more runs ("segments") of its index, one after the other: quality ascending reads the
//! scored videos, then the others, so "not scored" comes last either way.

mod cursor;
mod filter;
mod sort;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};

pub(crate) use self::filter::Conditions;
pub use self::filter::Filter;
use self::filter::creator_ids;
pub use self::sort::{Direction, Sort, SortKey};
use super::search::KeySearch;
use super::videos::{SUMMARY_COLUMNS, SUMMARY_WIDTH, summary_from_row};
use super::{Catalog, CatalogError, wraps_catalog_error};
use crate::video::VideoSummary;
use cursor::{Cursor, CursorValue};

pub const MAX_PAGE: u32 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("this page cursor is damaged or from another version; start from the first page")]
    BadCursor,
    #[error("this page cursor belongs to the {cursor} sort, not {requested}; start from the first page")]
    CursorForOtherSort { cursor: String, requested: String },
    #[error("a page holds 1 to {MAX_PAGE} videos, not {0}")]
    PageSize(u32),
    #[error("the date range ends before it starts")]
    EmptyDateRange,
    #[error("a filter cannot ask for only watched and only unwatched videos at once")]
    SeenAndUnseen,
    #[error("quality is a number of 1s in the prediction, 0 to 100, not {0}")]
    Quality(u8),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

wraps_catalog_error!(QueryError);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PageRequest {
    #[serde(default)]
    pub filter: Filter,
    #[serde(default)]
    pub sort: Sort,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub limit: u32,
    /// `next_cursor` of the previous page; `None` for the first page.
    #[serde(default)]
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page {
    pub items: Vec<VideoSummary>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl Page {
    /// No rows and nothing after them.
    pub fn empty() -> Page {
        Page {
            items: Vec::new(),
            next_cursor: None,
        }
    }
}

/// A request, checked and decoded once for all the runs it reads.
struct Plan<'r> {
    request: &'r PageRequest,
    cursor: Option<Cursor>,
    /// The run the cursor is in (0 without one).
    first_segment: usize,
}

impl<'r> Plan<'r> {
    fn of(request: &'r PageRequest) -> Result<Plan<'r>, QueryError> {
        if !(1..=MAX_PAGE).contains(&request.limit) {
            return Err(QueryError::PageSize(request.limit));
        }
        request.filter.validate()?;
        let cursor = request
            .after
            .as_deref()
            .map(|text| Cursor::decode(text, request.sort))
            .transpose()?;
        let first_segment = cursor.as_ref().map_or(0, |c| request.sort.segment_of(c.leading_int()));
        Ok(Plan {
            request,
            cursor,
            first_segment,
        })
    }

    /// The runs to read, from the cursor's on, each with the cursor that applies to it.
    fn segments(&self) -> impl Iterator<Item = (Option<&'static str>, Option<&Cursor>)> + '_ {
        self.request
            .sort
            .segments()
            .iter()
            .enumerate()
            .skip(self.first_segment)
            .map(|(i, segment)| {
                let cursor = if i == self.first_segment {
                    self.cursor.as_ref()
                } else {
                    None
                };
                (*segment, cursor)
            })
    }
}

/// The parts of a query over one run of a request's rows, after a cursor.
struct Ordered {
    where_: String,
    matches_first: bool,
    values: Vec<Value>,
    order_by: String,
    sort_columns: String,
}

fn ordered(
    conn: &Connection,
    key_search: &KeySearch,
    request: &PageRequest,
    segment: Option<&'static str>,
    cursor: Option<&Cursor>,
) -> Result<Option<Ordered>, QueryError> {
    let sort = request.sort;
    let Some(mut conditions) = Conditions::of(conn, key_search, &request.filter, Some(sort.key))? else {
        return Ok(None);
    };
    if let Some(segment) = segment {
        conditions.sql.push(segment.to_owned());
    }
    let columns = sort.key.columns();
    let (order, after) = sort.direction.sql();
    if let Some(cursor) = cursor {
        let marks = vec!["?"; columns.len()].join(", ");
        conditions
            .sql
            .push(format!("({}) {after} ({marks})", columns.join(", ")));
        conditions
            .values
            .extend(cursor.values.iter().cloned().map(CursorValue::into_sql));
    }
    let order_by = columns
        .iter()
        .map(|c| format!("{c} {order}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Some(Ordered {
        where_: conditions.where_clause(),
        matches_first: conditions.matches_first,
        values: conditions.values,
        order_by,
        sort_columns: columns.join(", "),
    }))
}

/// The WHERE conditions (over `videos v`) and values of `filter`,
/// for statements other than a page: bulk actions over a selection. `None` when nothing
/// can match.
pub(crate) fn selection_conditions(
    conn: &Connection,
    key_search: &KeySearch,
    filter: &Filter,
) -> Result<Option<Conditions>, QueryError> {
    filter.validate()?;
    Conditions::of(conn, key_search, filter, None)
}

/// The SQL and values of one run of a page query; separate so tests can read its plan.
fn page_sql(
    conn: &Connection,
    key_search: &KeySearch,
    request: &PageRequest,
    segment: Option<&'static str>,
    cursor: Option<&Cursor>,
    limit: usize,
) -> Result<Option<(String, Vec<Value>)>, QueryError> {
    let Some(Ordered {
        where_,
        matches_first,
        mut values,
        order_by,
        sort_columns,
    }) = ordered(conn, key_search, request, segment, cursor)?
    else {
        return Ok(None);
    };
    let sql = if matches_first {
        // A text search finds its matches first and then sorts them: sort bare ids, and
        // read the columns of the page's rows only rather than of every match.
        format!(
            "SELECT {SUMMARY_COLUMNS}, {sort_columns} FROM videos v WHERE v.id IN \
             (SELECT v.id FROM videos v {where_} ORDER BY {order_by} LIMIT ?) ORDER BY {order_by}"
        )
    } else {
        format!("SELECT {SUMMARY_COLUMNS}, {sort_columns} FROM videos v {where_} ORDER BY {order_by} LIMIT ?")
    };
    values.push(Value::Integer(limit as i64));
    Ok(Some((sql, values)))
}

/// The SQL and values that find the sort values of the row `offset` rows into one run.
/// Only sort columns are read, which every sort's index holds: the skipped rows are
/// walked in the index, never read from the table.
fn seek_sql(
    conn: &Connection,
    key_search: &KeySearch,
    request: &PageRequest,
    segment: Option<&'static str>,
    cursor: Option<&Cursor>,
    offset: u64,
) -> Result<Option<(String, Vec<Value>)>, QueryError> {
    let Some(Ordered {
        where_,
        mut values,
        order_by,
        sort_columns,
        ..
    }) = ordered(conn, key_search, request, segment, cursor)?
    else {
        return Ok(None);
    };
    values.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
    Ok(Some((
        format!("SELECT {sort_columns} FROM videos v {where_} ORDER BY {order_by} LIMIT 1 OFFSET ?"),
        values,
    )))
}

/// How many rows of one run follow the cursor: what a jump past a whole run skips.
fn segment_len(
    conn: &Connection,
    key_search: &KeySearch,
    request: &PageRequest,
    segment: Option<&'static str>,
    cursor: Option<&Cursor>,
) -> Result<u64, QueryError> {
    let Some(Ordered { where_, values, .. }) = ordered(conn, key_search, request, segment, cursor)? else {
        return Ok(0);
    };
    let n: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM videos v {where_}"))?
        .query_row(params_from_iter(values), |r| r.get(0))?;
    Ok(n as u64)
}

impl Catalog {
    /// One page of the videos that match `request.filter`, in `request.sort` order.
    pub fn page(&self, request: &PageRequest) -> Result<Page, QueryError> {
        let plan = Plan::of(request)?;
        let conn = self.reader()?;
        let limit = request.limit as usize;
        let width = request.sort.key.columns().len();
        // One extra row tells whether another page follows.
        let mut rows: Vec<(VideoSummary, Vec<CursorValue>)> = Vec::with_capacity(limit + 1);
        for (segment, cursor) in plan.segments() {
            let Some((sql, values)) = page_sql(
                &conn,
                &self.key_search,
                request,
                segment,
                cursor,
                limit + 1 - rows.len(),
            )?
            else {
                break;
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut found = stmt.query(params_from_iter(values))?;
            while let Some(row) = found.next()? {
                let sort_values = (0..width)
                    .map(|i| row.get::<_, Value>(SUMMARY_WIDTH + i).map(CursorValue::from_sql))
                    .collect::<rusqlite::Result<_>>()?;
                rows.push((summary_from_row(row)?, sort_values));
            }
            if rows.len() > limit {
                break;
            }
        }
        let next_cursor = (rows.len() > limit).then(|| {
            rows.truncate(limit);
            Cursor::new(request.sort, rows[limit - 1].1.clone()).encode()
        });
        Ok(Page {
            items: rows.into_iter().map(|(video, _)| video).collect(),
            next_cursor,
        })
    }

    /// The page that starts `skip` rows into the result (after `request.after` when
    /// given). For jumps: the grid's scrollbar spans the whole result, and dragging it
    /// deep asks for a page no cursor leads to yet. The skipped rows are walked in the
    /// sort's index only (see `seek_sql`); the page itself is a keyset page after the row
    /// found, and its `next_cursor` continues at keyset speed.
    pub fn page_at(&self, request: &PageRequest, skip: u64) -> Result<Page, QueryError> {
        if skip == 0 {
            return self.page(request);
        }
        let plan = Plan::of(request)?;
        let width = request.sort.key.columns().len();
        let mut skip = skip;
        let mut landed = None;
        {
            let conn = self.reader()?;
            for (segment, cursor) in plan.segments() {
                let Some((sql, values)) = seek_sql(&conn, &self.key_search, request, segment, cursor, skip - 1)? else {
                    return Ok(Page::empty());
                };
                let found = conn
                    .prepare_cached(&sql)?
                    .query_row(params_from_iter(values), |row| {
                        (0..width)
                            .map(|i| row.get::<_, Value>(i).map(CursorValue::from_sql))
                            .collect::<rusqlite::Result<Vec<_>>>()
                    })
                    .optional()?;
                if let Some(values) = found {
                    landed = Some(values);
                    break;
                }
                // The jump passes this whole run (of fewer than `skip` rows): on into the
                // next one, `skip` stays at least 1.
                skip -= segment_len(&conn, &self.key_search, request, segment, cursor)?.min(skip - 1);
            }
        }
        let Some(values) = landed else {
            return Ok(Page::empty());
        };
        self.page(&PageRequest {
            after: Some(Cursor::new(request.sort, values).encode()),
            ..request.clone()
        })
    }

    /// A video picked at random among those `filter` matches, every one as likely, as
    /// the first of a page in shuffle order: the page's `next_cursor` carries on through
    /// the rest of the result in that order, for "next" after a random pick. `None` when
    /// nothing matches.
    pub fn random_page(&self, filter: &Filter, limit: u32) -> Result<Page, QueryError> {
        let matching = self.count(filter)?;
        if matching == 0 {
            return Ok(Page::empty());
        }
        let skip = rand::random_range(0..matching);
        self.page_at(
            &PageRequest {
                filter: filter.clone(),
                sort: Sort {
                    key: SortKey::Shuffle,
                    direction: Direction::Asc,
                },
                limit,
                after: None,
            },
            skip,
        )
    }

    /// How many videos match `filter`: from the creator counters when they can tell,
    /// otherwise counted from the narrowest index.
    pub fn count(&self, filter: &Filter) -> Result<u64, QueryError> {
        filter.validate()?;
        let conn = self.reader()?;
        if filter.counted_by_creator_counters() {
            let column = match (filter.favorites_only, filter.unseen_only) {
                (false, false) => "videos",
                (true, false) => "favorites",
                (false, true) => "unseen",
                (true, true) => "favorites_unseen",
            };
            let mut sql = format!("SELECT coalesce(sum({column}), 0) FROM creators");
            let mut values = Vec::new();
            if !filter.creators.is_empty() {
                values = creator_ids(&conn, &filter.creators)?
                    .into_iter()
                    .map(Value::Integer)
                    .collect();
                if values.is_empty() {
                    return Ok(0);
                }
                sql.push_str(&format!(" WHERE id IN ({})", vec!["?"; values.len()].join(", ")));
            }
            let n: i64 = conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(values), |r| r.get(0))?;
            return Ok(n as u64);
        }
        let Some(conditions) = Conditions::of(&conn, &self.key_search, filter, None)? else {
            return Ok(0);
        };
        if let Some(hits) = &conditions.search_hits
            && filter.is_search_only()
        {
            // The term's matches are the count: no need to check them row by row again.
            return Ok(hits.len() as u64);
        }
        let sql = format!("SELECT count(*) FROM videos v {}", conditions.where_clause());
        let n: i64 = conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(conditions.values), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// SQLite's plan for a page query, one step a line (each run's plan after the
    /// other's): how tests and benchmarks check that every sort is read from an index
    /// rather than sorted on the fly.
    pub fn explain_page(&self, request: &PageRequest) -> Result<String, QueryError> {
        let plan = Plan::of(request)?;
        let conn = self.reader()?;
        let mut steps = Vec::new();
        for (segment, cursor) in plan.segments() {
            let Some((sql, values)) = page_sql(
                &conn,
                &self.key_search,
                request,
                segment,
                cursor,
                request.limit as usize + 1,
            )?
            else {
                break;
            };
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let found = stmt
                .query_map(params_from_iter(values), |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            steps.extend(found);
        }
        Ok(steps.join("\n"))
    }
}
