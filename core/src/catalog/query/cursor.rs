//! Page cursors: the sort values of the last row of a page, opaque to callers.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::QueryError;
use super::sort::{Direction, Sort, SortKey};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Cursor {
    pub sort: SortKey,
    pub direction: Direction,
    pub values: Vec<CursorValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum CursorValue {
    Int(i64),
    Text(String),
}

impl CursorValue {
    pub fn from_sql(value: Value) -> CursorValue {
        match value {
            Value::Text(t) => CursorValue::Text(t),
            Value::Integer(n) => CursorValue::Int(n),
            _ => CursorValue::Int(0),
        }
    }

    pub fn into_sql(self) -> Value {
        match self {
            CursorValue::Int(i) => Value::Integer(i),
            CursorValue::Text(t) => Value::Text(t),
        }
    }
}

impl Cursor {
    pub fn new(sort: Sort, values: Vec<CursorValue>) -> Cursor {
        Cursor {
            sort: sort.key,
            direction: sort.direction,
            values,
        }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("a cursor always serialises"))
    }

    pub fn decode(text: &str, sort: Sort) -> Result<Cursor, QueryError> {
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

    /// The first sort value as a number, which tells the run of the order it is in.
    pub fn leading_int(&self) -> Option<i64> {
        match self.values.first() {
            Some(CursorValue::Int(n)) => Some(*n),
            _ => None,
        }
    }
}
