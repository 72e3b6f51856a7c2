//! Importing quality predictions scored elsewhere: JSON lines (`{"key": …, "prediction": …}`)
//! or CSV (`key,prediction`, header optional). Bad lines are reported by number; the
//! good ones are applied all the same, in one transaction.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};

use crate::catalog::mutate::describe_prediction;
use crate::catalog::{Catalog, CatalogError};
use crate::video::is_valid_prediction;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

crate::catalog::wraps_catalog_error!(ImportError);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Predictions set on videos of the catalog.
    pub applied: u64,
    /// Predictions for keys the catalog does not have yet: kept, and given to the video
    /// when a sync brings it.
    pub pending: u64,
    pub bad_lines: Vec<BadLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadLine {
    /// 1-based line number in the file.
    pub line: u64,
    pub reason: String,
}

#[derive(Deserialize)]
struct JsonLine {
    key: String,
    prediction: String,
}

impl Catalog {
    pub fn import_predictions_file(&self, path: &Path) -> Result<ImportReport, ImportError> {
        let read_err = |source| ImportError::Read {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_err)?;
        self.import_predictions(file).map_err(|e| match e {
            ImportError::Read { source, .. } => read_err(source),
            other => other,
        })
    }

    pub fn import_predictions(&self, input: impl Read) -> Result<ImportReport, ImportError> {
        let found = parse(input)?;
        let mut report = self.write(|tx| apply(tx, &found.good))?;
        report.bad_lines = found.bad;
        Ok(report)
    }
}

/// The good lines and the bad ones.
fn parse(input: impl Read) -> Result<Found, ImportError> {
    let mut reader = BufReader::new(input);
    let read_err = |source| ImportError::Read {
        path: String::new(),
        source,
    };
    let first = reader.fill_buf().map_err(read_err)?;
    let json = first.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let mut found = Found::default();
    if json {
        for (i, line) in reader.lines().enumerate() {
            let number = i as u64 + 1;
            let line = line.map_err(read_err)?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<JsonLine>(&line) {
                Ok(entry) => found.judge(number, entry.key, entry.prediction),
                Err(e) => found.reject(
                    number,
                    format!("not a JSON object with \"key\" and \"prediction\": {e}"),
                ),
            }
        }
    } else {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        for (i, record) in csv.records().enumerate() {
            let (number, record) = match record {
                Ok(r) => (r.position().map_or(i as u64 + 1, |p| p.line()), r),
                // The read failed, not a line: the I/O error itself is the cause.
                Err(e) if e.is_io_error() => match e.into_kind() {
                    csv::ErrorKind::Io(io) => return Err(read_err(io)),
                    _ => continue,
                },
                Err(e) => {
                    let number = e.position().map_or(i as u64 + 1, |p| p.line());
                    found.reject(number, format!("not CSV: {e}"));
                    continue;
                }
            };
            let fields: Vec<&str> = record.iter().collect();
            match fields.as_slice() {
                [key, prediction]
                    if number == 1
                        && key.eq_ignore_ascii_case("key")
                        && prediction.trim().eq_ignore_ascii_case("prediction") => {}
                [key, prediction] => found.judge(number, (*key).to_owned(), (*prediction).to_owned()),
                [single] if single.trim().is_empty() => {}
                _ => found.reject(
                    number,
                    format!("expected 2 fields (key,prediction), found {}", fields.len()),
                ),
            }
        }
    }
    Ok(found)
}

#[derive(Default)]
struct Found {
    /// (key, prediction) of each good line.
    good: Vec<(String, String)>,
    bad: Vec<BadLine>,
}

impl Found {
    fn judge(&mut self, line: u64, key: String, prediction: String) {
        let prediction = prediction.trim().to_owned();
        if key.is_empty() {
            self.reject(line, "empty key".into());
        } else if !is_valid_prediction(&prediction) {
            self.reject(
                line,
                format!(
                    "prediction is not 100 characters of 0 and 1 ({})",
                    describe_prediction(&prediction)
                ),
            );
        } else {
            self.good.push((key, prediction));
        }
    }

    fn reject(&mut self, line: u64, reason: String) {
        self.bad.push(BadLine { line, reason });
    }
}

fn apply(tx: &Transaction, entries: &[(String, String)]) -> Result<ImportReport, ImportError> {
    let mut on_video = tx.prepare_cached("UPDATE videos SET prediction = ?2 WHERE key = ?1")?;
    let mut pending = tx.prepare_cached(
        "INSERT INTO user_state (key, prediction) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET prediction = excluded.prediction",
    )?;
    let mut report = ImportReport::default();
    for (key, prediction) in entries {
        if on_video.execute(params![key, prediction])? > 0 {
            report.applied += 1;
        } else {
            pending.execute(params![key, prediction])?;
            report.pending += 1;
        }
    }
    Ok(report)
}
