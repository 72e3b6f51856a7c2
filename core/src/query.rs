//! The one question the grid asks: which videos match this filter, in this order, after
//! this point? Answered from indexes in about a millisecond on a million videos.
//!
//! Pagination is by keyset (the sort values of the last row seen), never OFFSET: a deep
//! page costs what the first one does. Every sort ends in a unique column, so the order
//! is total and no row is skipped or repeated between pages.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, CatalogError};
use crate::keys::{file_name, natural_cmp, parse_video};
use crate::video::{CreatorCounts, VideoDetail, VideoSummary};

pub const MAX_PAGE: u32 = 1000;
/// Below three characters the trigram index cannot answer; such terms scan.
const TRIGRAM: usize = 3;

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
    #[error("quality is a number of 1s in the prediction, 0 to 100, not {0}")]
    Quality(u8),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

impl From<rusqlite::Error> for QueryError {
    fn from(e: rusqlite::Error) -> Self {
        QueryError::Catalog(e.into())
    }
}

/// Which videos to show. Every part is optional and they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Filter {
    /// Any of these creators (empty: all).
    pub creators: Vec<String>,
    pub favorites_only: bool,
    pub unseen_only: bool,
    /// Case-insensitive substring of the key (creator folder and file name).
    pub search: Option<String>,
    /// Date sort time (recorded, else modified), Unix ms, inclusive.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub date_from: Option<i64>,
    /// Date sort time, Unix ms, exclusive.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub date_to: Option<i64>,
    pub min_quality: Option<u8>,
}

impl Filter {
    fn search_term(&self) -> Option<&str> {
        self.search.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// Whether the search is answered from the trigram index.
    fn searches_by_index(&self) -> bool {
        self.search_term().is_some_and(|t| t.chars().count() >= TRIGRAM)
    }

    /// Whether the creator counters can answer the count without touching the videos.
    fn counted_by_creator_counters(&self) -> bool {
        self.search_term().is_none() && self.date_from.is_none() && self.date_to.is_none() && self.min_quality.is_none()
    }

    fn validate(&self) -> Result<(), QueryError> {
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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SortKey {
    /// Recorded-at, falling back to last-modified.
    #[default]
    Date,
    /// Number of 1s in the prediction, then date.
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
    fn columns(self) -> &'static [&'static str] {
        match self {
            SortKey::Date => &["v.sort_date", "v.id"],
            SortKey::Quality => &["v.quality", "v.sort_date", "v.id"],
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
    fn sql(self) -> (&'static str, &'static str) {
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
    fn empty() -> Page {
        Page {
            items: Vec::new(),
            next_cursor: None,
        }
    }
}

/// The sort values of the last row of a page, opaque to callers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    sort: SortKey,
    direction: Direction,
    values: Vec<CursorValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum CursorValue {
    Int(i64),
    Text(String),
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("a cursor always serialises"))
    }

    fn decode(text: &str, sort: Sort) -> Result<Cursor, QueryError> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| QueryError::BadCursor)?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| QueryError::BadCursor)?;
        if cursor.sort != sort.key || cursor.direction != sort.direction {
            return Err(QueryError::CursorForOtherSort {
                cursor: format!("{} {:?}", cursor.sort.name(), cursor.direction).to_lowercase(),
                requested: format!("{} {:?}", sort.key.name(), sort.direction).to_lowercase(),
            });
        }
        let columns = sort.key.columns();
        let well_typed = cursor.values.len() == columns.len()
            && cursor.values.iter().zip(columns).all(|(value, column)| match value {
                CursorValue::Text(_) => *column == "v.key",
                CursorValue::Int(_) => *column != "v.key",
            });
        if !well_typed {
            return Err(QueryError::BadCursor);
        }
        Ok(cursor)
    }
}

// The creator's name comes from a scalar subquery rather than a join: with a join, the
// planner at a million rows may loop over creators first and then sort every match.
const SUMMARY_COLUMNS: &str = "v.id, v.key, (SELECT name FROM creators WHERE id = v.creator_id), v.size, v.last_modified, v.recorded_at, \
     v.favorite, v.seen_at, v.position, v.prediction, v.quality";
const SUMMARY_WIDTH: usize = 11;

fn summary_from_row(row: &Row) -> rusqlite::Result<VideoSummary> {
    let key: String = row.get(1)?;
    let seen_at: i64 = row.get(7)?;
    let prediction: String = row.get(9)?;
    Ok(VideoSummary {
        id: row.get(0)?,
        name: file_name(&key).to_owned(),
        key,
        creator: row.get(2)?,
        size: row.get::<_, i64>(3)? as u64,
        last_modified: row.get(4)?,
        recorded_at: row.get(5)?,
        favorite: row.get(6)?,
        seen_at: (seen_at != 0).then_some(seen_at),
        position: row.get(8)?,
        prediction: (!prediction.is_empty()).then_some(prediction),
        quality: row.get(10)?,
    })
}

/// A WHERE clause built only from fixed fragments, with every value bound.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// The conditions of `filter`, shaped for the index that `sort` reads (if any).
    fn of(conn: &Connection, filter: &Filter, sort: Option<SortKey>) -> Result<Option<Conditions>, QueryError> {
        let mut c = Conditions::default();
        if !filter.creators.is_empty() {
            let ids = creator_ids(conn, &filter.creators)?;
            if ids.is_empty() {
                return Ok(None); // none of these creators exists: nothing can match
            }
            c.push_in("v.creator_id", ids.into_iter().map(Value::Integer));
        }
        // Literal, not bound: the partial favorite indexes apply only when the planner
        // can see `favorite = 1` in the query itself.
        if filter.favorites_only {
            c.sql.push("v.favorite = 1".into());
        }
        if filter.unseen_only {
            if sort == Some(SortKey::Seen) {
                // Unseen videos all tie at 0: the seen index holds them as one range.
                c.sql.push("v.seen_at = 0".into());
            } else {
                // The unary + keeps the planner from looking unseen videos up by the seen
                // index (usually most of the library) and sorting them all; it walks the
                // sort's index and skips seen ones instead.
                c.sql.push("+v.seen_at = 0".into());
            }
        }
        if let Some(term) = filter.search_term() {
            if filter.searches_by_index() {
                // A quoted FTS5 string is a phrase: with the trigram tokenizer, a substring.
                c.push(
                    "v.id IN (SELECT rowid FROM video_search WHERE video_search MATCH ?)",
                    Value::Text(format!("\"{}\"", term.replace('"', "\"\""))),
                );
            } else {
                c.push(
                    "v.key LIKE ? ESCAPE '\\'",
                    Value::Text(format!("%{}%", escape_like(term))),
                );
            }
        }
        if let Some(from) = filter.date_from {
            c.push("v.sort_date >= ?", Value::Integer(from));
        }
        if let Some(to) = filter.date_to {
            c.push("v.sort_date < ?", Value::Integer(to));
        }
        if let Some(q) = filter.min_quality.filter(|&q| q > 0) {
            c.push("v.quality >= ?", Value::Integer(q.into()));
        }
        Ok(Some(c))
    }

    fn push(&mut self, sql: &str, value: Value) {
        self.sql.push(sql.to_owned());
        self.values.push(value);
    }

    fn push_in(&mut self, column: &str, values: impl ExactSizeIterator<Item = Value>) {
        let marks = vec!["?"; values.len()].join(", ");
        self.sql.push(format!("{column} IN ({marks})"));
        self.values.extend(values);
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }
}

fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for ch in term.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn creator_ids(conn: &Connection, names: &[String]) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM creators WHERE name = ?")?;
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        if let Some(id) = stmt
            .query_row([name], |r| r.get(0))
            .map(Some)
            .or_else(none_if_no_rows)?
        {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub(crate) fn none_if_no_rows<T>(e: rusqlite::Error) -> rusqlite::Result<Option<T>> {
    match e {
        rusqlite::Error::QueryReturnedNoRows => Ok(None),
        e => Err(e),
    }
}

/// The parts of a query over `request`'s rows in its order, after its cursor.
struct Ordered {
    where_: String,
    values: Vec<Value>,
    order_by: String,
    sort_columns: String,
}

fn ordered(conn: &Connection, request: &PageRequest) -> Result<Option<Ordered>, QueryError> {
    if !(1..=MAX_PAGE).contains(&request.limit) {
        return Err(QueryError::PageSize(request.limit));
    }
    request.filter.validate()?;
    let sort = request.sort;
    let cursor = request
        .after
        .as_deref()
        .map(|text| Cursor::decode(text, sort))
        .transpose()?;
    let Some(mut conditions) = Conditions::of(conn, &request.filter, Some(request.sort.key))? else {
        return Ok(None);
    };
    let columns = sort.key.columns();
    let (order, after) = sort.direction.sql();
    if let Some(cursor) = cursor {
        let marks = vec!["?"; columns.len()].join(", ");
        conditions
            .sql
            .push(format!("({}) {after} ({marks})", columns.join(", ")));
        conditions.values.extend(cursor.values.into_iter().map(|v| match v {
            CursorValue::Int(i) => Value::Integer(i),
            CursorValue::Text(t) => Value::Text(t),
        }));
    }
    let order_by = columns
        .iter()
        .map(|c| format!("{c} {order}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Some(Ordered {
        where_: conditions.where_clause(),
        values: conditions.values,
        order_by,
        sort_columns: columns.join(", "),
    }))
}

/// The SQL and values of one page query; separate so tests can read its plan.
fn page_sql(conn: &Connection, request: &PageRequest) -> Result<Option<(String, Vec<Value>)>, QueryError> {
    let Some(Ordered {
        where_,
        mut values,
        order_by,
        sort_columns,
    }) = ordered(conn, request)?
    else {
        return Ok(None);
    };
    let sql = if request.filter.searches_by_index() {
        // A text search finds its matches first and then sorts them: sort bare ids, and
        // read the columns of the page's rows only rather than of every match.
        format!(
            "SELECT {SUMMARY_COLUMNS}, {sort_columns} FROM videos v WHERE v.id IN \
             (SELECT v.id FROM videos v {where_} ORDER BY {order_by} LIMIT ?) ORDER BY {order_by}"
        )
    } else {
        format!("SELECT {SUMMARY_COLUMNS}, {sort_columns} FROM videos v {where_} ORDER BY {order_by} LIMIT ?")
    };
    // One extra row tells whether another page follows.
    values.push(Value::Integer(i64::from(request.limit) + 1));
    Ok(Some((sql, values)))
}

/// The SQL and values that find the sort values of the row `offset` rows into the
/// result. Only sort columns are read, which every sort's index holds: the skipped rows
/// are walked in the index, never read from the table.
fn seek_sql(conn: &Connection, request: &PageRequest, offset: u64) -> Result<Option<(String, Vec<Value>)>, QueryError> {
    let Some(Ordered {
        where_,
        mut values,
        order_by,
        sort_columns,
    }) = ordered(conn, request)?
    else {
        return Ok(None);
    };
    values.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
    Ok(Some((
        format!("SELECT {sort_columns} FROM videos v {where_} ORDER BY {order_by} LIMIT 1 OFFSET ?"),
        values,
    )))
}

fn cursor_value(value: Value) -> CursorValue {
    match value {
        Value::Text(t) => CursorValue::Text(t),
        Value::Integer(n) => CursorValue::Int(n),
        _ => CursorValue::Int(0),
    }
}

impl Catalog {
    /// One page of the videos that match `request.filter`, in `request.sort` order.
    pub fn page(&self, request: &PageRequest) -> Result<Page, QueryError> {
        let conn = self.reader()?;
        let Some((sql, values)) = page_sql(&conn, request)? else {
            return Ok(Page::empty());
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        let columns = request.sort.key.columns();
        let mut items = Vec::with_capacity(request.limit as usize + 1);
        let mut last_values = Vec::new();
        let mut rows = stmt.query(params_from_iter(values))?;
        while let Some(row) = rows.next()? {
            items.push(summary_from_row(row)?);
            if items.len() == request.limit as usize {
                last_values = (0..columns.len())
                    .map(|i| row.get::<_, Value>(SUMMARY_WIDTH + i).map(cursor_value))
                    .collect::<rusqlite::Result<_>>()?;
            }
        }
        let next_cursor = (items.len() > request.limit as usize).then(|| {
            items.truncate(request.limit as usize);
            Cursor {
                sort: request.sort.key,
                direction: request.sort.direction,
                values: last_values,
            }
            .encode()
        });
        Ok(Page { items, next_cursor })
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
        let values = {
            let conn = self.reader()?;
            let Some((sql, values)) = seek_sql(&conn, request, skip - 1)? else {
                return Ok(Page::empty());
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let width = request.sort.key.columns().len();
            stmt.query_row(params_from_iter(values), |row| {
                (0..width)
                    .map(|i| row.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map(Some)
            .or_else(none_if_no_rows)?
        };
        let Some(values) = values else {
            return Ok(Page::empty());
        };
        let cursor = Cursor {
            sort: request.sort.key,
            direction: request.sort.direction,
            values: values.into_iter().map(cursor_value).collect(),
        };
        self.page(&PageRequest {
            after: Some(cursor.encode()),
            ..request.clone()
        })
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
        let Some(conditions) = Conditions::of(&conn, filter, None)? else {
            return Ok(0);
        };
        let sql = format!("SELECT count(*) FROM videos v {}", conditions.where_clause());
        let n: i64 = conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(conditions.values), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Every creator that has videos, with the counts the sidebar shows, by name.
    pub fn creators(&self) -> Result<Vec<CreatorCounts>, QueryError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT name, videos, favorites, unseen, bytes FROM creators WHERE videos > 0 ORDER BY name COLLATE NOCASE, name",
        )?;
        let creators = stmt
            .query_map([], |r| {
                Ok(CreatorCounts {
                    name: r.get(0)?,
                    videos: r.get::<_, i64>(1)? as u64,
                    favorites: r.get::<_, i64>(2)? as u64,
                    unseen: r.get::<_, i64>(3)? as u64,
                    bytes: r.get::<_, i64>(4)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(creators)
    }

    /// One video by key, with its preview segments; `None` when the catalog has no such key.
    pub fn video(&self, key: &str) -> Result<Option<VideoDetail>, QueryError> {
        let conn = self.reader()?;
        let sql = format!("SELECT {SUMMARY_COLUMNS}, v.etag FROM videos v WHERE v.key = ?");
        let found = conn
            .prepare_cached(&sql)?
            .query_row([key], |r| {
                Ok((summary_from_row(r)?, r.get::<_, Option<String>>(SUMMARY_WIDTH)?))
            })
            .map(Some)
            .or_else(none_if_no_rows)?;
        let Some((summary, etag)) = found else {
            return Ok(None);
        };
        let preview_segments = match parse_video(key) {
            Some(parsed) => preview_segments_of(&conn, &parsed.stem, parsed.stamp.as_deref())?,
            None => Vec::new(),
        };
        Ok(Some(VideoDetail {
            summary,
            etag,
            preview_segments,
        }))
    }
}

/// The segments of a video: its own folder (named by its file stem) when it has one,
/// else the folder named by its timestamp, as the original layout does.
pub(crate) fn preview_segments_of(conn: &Connection, stem: &str, stamp: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT key FROM preview_segments WHERE folder = ?")?;
    let mut keys: Vec<String> = stmt.query_map([stem], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if keys.is_empty()
        && let Some(stamp) = stamp
    {
        keys = stmt
            .query_map([stamp], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    keys.sort_by(|a, b| natural_cmp(a, b));
    Ok(keys)
}

impl Catalog {
    /// SQLite's plan for a page query, one step a line: how tests and benchmarks check
    /// that every sort is read from an index rather than sorted on the fly.
    pub fn explain_page(&self, request: &PageRequest) -> Result<String, QueryError> {
        let conn = self.reader()?;
        let Some((sql, values)) = page_sql(&conn, request)? else {
            return Ok(String::new());
        };
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let steps = stmt
            .query_map(params_from_iter(values), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(steps.join("\n"))
    }
}
