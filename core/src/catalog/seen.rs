//! Seen and unseen. A video is seen when it was watched (`videos.seen_at`, the time it
//! was last played: the history and the "last watched" order read it) or when the user
//! marked it seen (`seen_marks`); unseen is neither.
//!
//! A mark lives apart from the video row so that marking a whole filter seen appends
//! small rows in id order instead of rewriting wide rows and moving four seen indexes
//! (migrations/0006, BENCHMARKS.md). Marks have no trigger of their own: the statements
//! here move the creator counters by creator, once per change rather than once per row.

use rusqlite::{Transaction, params, params_from_iter};
use rustc_hash::FxHashMap;

use super::query::Conditions;

/// The condition, over `videos v`, that the video has no seen mark.
pub(crate) const UNMARKED: &str = "NOT EXISTS (SELECT 1 FROM seen_marks m WHERE m.video_id = v.id)";

/// Marks seen at `at` (Unix ms) the videos `found` selects that are still unseen; a
/// video watched or marked before is left as it is. Returns how many were marked.
pub(crate) fn mark_seen(tx: &Transaction, mut found: Conditions, at: i64) -> rusqlite::Result<u64> {
    // The unary + keeps the planner on the filter's own index (a date range, a creator)
    // rather than the range of every unwatched video in the seen index.
    found.sql.push("+v.seen_at = 0".into());
    found.sql.push(UNMARKED.into());
    let started = std::time::Instant::now();
    let mut rows: Vec<(i64, i64, bool)> = tx
        .prepare(&format!(
            "SELECT v.id, v.creator_id, v.favorite FROM videos v {}",
            found.where_clause()
        ))?
        .query_map(params_from_iter(found.values), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    tracing::debug!(videos = rows.len(), elapsed = ?started.elapsed(), "found the videos to mark seen");
    // In id order each mark is appended beside the last one.
    rows.sort_unstable_by_key(|&(id, ..)| id);
    let mut insert = tx.prepare_cached("INSERT INTO seen_marks (video_id, marked_at) VALUES (?1, ?2)")?;
    let mut unseen = CounterMoves::default();
    for &(id, creator, favorite) in &rows {
        insert.execute(params![id, at])?;
        unseen.add(creator, favorite, -1);
    }
    unseen.apply(tx)?;
    tracing::debug!(elapsed = ?started.elapsed(), "marked seen");
    Ok(rows.len() as u64)
}

/// Makes the videos `found` selects unseen: their watched time and their mark cleared
/// (a video in progress keeps its position). Returns how many were seen before.
pub(crate) fn mark_unseen(tx: &Transaction, mut found: Conditions) -> rusqlite::Result<u64> {
    // Read once, then changed by id: a filter on seen state ("history") would no longer
    // match its own videos halfway through.
    found.sql.push(format!("(v.seen_at <> 0 OR NOT {UNMARKED})"));
    let rows: Vec<(i64, i64, bool, bool, bool)> = tx
        .prepare(&format!(
            "SELECT v.id, v.creator_id, v.favorite, v.seen_at <> 0, NOT {UNMARKED} FROM videos v {}",
            found.where_clause()
        ))?
        .query_map(params_from_iter(found.values), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut unmark = tx.prepare_cached("DELETE FROM seen_marks WHERE video_id = ?1")?;
    let mut unsee = tx.prepare_cached("UPDATE videos SET seen_at = 0 WHERE id = ?1")?;
    let mut unseen = CounterMoves::default();
    for &(id, creator, favorite, watched, marked) in &rows {
        if marked {
            unmark.execute([id])?;
        }
        if watched {
            // Its mark gone first, the update's counter trigger counts it unseen.
            unsee.execute([id])?;
        } else if marked {
            // Unwatched, the mark was all that kept it from "unseen".
            unseen.add(creator, favorite, 1);
        }
    }
    unseen.apply(tx)?;
    Ok(rows.len() as u64)
}

/// How the unseen counters of each creator move: videos, and favorites among them.
#[derive(Default)]
struct CounterMoves(FxHashMap<i64, (i64, i64)>);

impl CounterMoves {
    fn add(&mut self, creator: i64, favorite: bool, by: i64) {
        let moves = self.0.entry(creator).or_default();
        moves.0 += by;
        moves.1 += if favorite { by } else { 0 };
    }

    fn apply(self, tx: &Transaction) -> rusqlite::Result<()> {
        let mut update = tx.prepare_cached(
            "UPDATE creators SET unseen = unseen + ?2, favorites_unseen = favorites_unseen + ?3 WHERE id = ?1",
        )?;
        for (creator, (videos, favorites)) in self.0 {
            update.execute(params![creator, videos, favorites])?;
        }
        Ok(())
    }
}
