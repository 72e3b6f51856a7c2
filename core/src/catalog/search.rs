//! Search: which videos' keys hold a term, ignoring case and accents, by substring. The
//! keys are folded once into one buffer in memory and scanned with memchr's SIMD
//! substring search: at a million videos every term is answered in 3-21 ms, one and two
//! characters included (BENCHMARKS.md), where SQLite's trigram index (which this
//! replaced, migrations/0004) could not answer those at all (a LIKE scan: 0.7-2 s), took
//! up to 70 ms for a date-like term and cost every first sync its rebuild. Written here
//! rather than taken from a crate: no search crate keeps substring (not word) matches of
//! a changing set of rows without an index many times the size of the keys.
//!
//! The copy costs about the keys' own size (some 60 bytes a video with its ids) and is
//! made when a term is first searched or the app says one is coming
//! ([`Catalog::prepare_search`]: 0.3 s at a million videos). It is read again when the
//! keys change: a counter the schema's triggers move on every insert, delete and
//! rewritten key (migrations/0004), never on a mark.
//!
//! What a term matches reaches SQL two ways, by how many videos it finds: a few as a list
//! of ids (`json_each`), looked up and sorted; many checked row by row by
//! `key_search_hit(id, term)` while SQL walks the sort's own index, which soon finds a
//! page of them.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use memchr::memmem;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use super::fold::fold;
use super::{Catalog, CatalogError};

/// At most this many matches go to SQL as a list; more are checked row by row.
pub(crate) const LISTED_MATCHES: usize = 20_000;

/// Keys are kept one after the other, each ended by this byte, which no folded term holds:
/// a match never runs from one key into the next.
const END: u8 = 0;

/// The hit sets kept for the row-by-row check and for the next keystroke.
const KEPT_HITS: usize = 8;

/// Every key of the catalog, folded, as of one value of the key counter.
struct FoldedKeys {
    generation: i64,
    ids: Vec<i64>,
    /// Where each key starts in `text`.
    starts: Vec<usize>,
    text: Vec<u8>,
}

impl FoldedKeys {
    fn read(conn: &Connection, generation: i64) -> rusqlite::Result<FoldedKeys> {
        let started = std::time::Instant::now();
        let mut keys = FoldedKeys {
            generation,
            ids: Vec::new(),
            starts: Vec::new(),
            text: Vec::new(),
        };
        // The key index holds id and key: read it instead of the wide table.
        let mut stmt = conn.prepare("SELECT id, key FROM videos INDEXED BY sqlite_autoindex_videos_1")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let key = row
                .get_ref(1)?
                .as_str()
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e)))?;
            keys.ids.push(id);
            keys.starts.push(keys.text.len());
            if key.is_ascii() {
                // Most keys: folding is lower-casing, with no allocation.
                keys.text.extend(key.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                keys.text.extend_from_slice(fold(key).as_bytes());
            }
            keys.text.push(END);
        }
        tracing::debug!(videos = keys.ids.len(), bytes = keys.text.len(), elapsed = ?started.elapsed(), "read the keys for search");
        Ok(keys)
    }

    /// The key that holds byte `pos` of the text, at or after key `from` (which starts at
    /// or before it). Galloping: matches come in order, and a common term's next one is
    /// usually in the next key or the one after, where a binary search over all keys per
    /// match would cost a million searches for a one-letter term.
    fn key_at(&self, from: usize, pos: usize) -> usize {
        let mut step = 1;
        while from + step < self.starts.len() && self.starts[from + step] <= pos {
            step *= 2;
        }
        let end = (from + step + 1).min(self.starts.len());
        from + self.starts[from..end].partition_point(|&start| start <= pos) - 1
    }

    /// The ids of the keys that hold `term` (folded), ascending.
    fn find(&self, term: &str) -> Vec<i64> {
        let mut ids = Vec::new();
        if term.is_empty() || term.as_bytes().contains(&END) {
            return ids;
        }
        let finder = memmem::Finder::new(term.as_bytes());
        let (mut at, mut row) = (0, 0);
        while let Some(found) = finder.find(&self.text[at..]) {
            let pos = at + found;
            row = self.key_at(row, pos);
            ids.push(self.ids[row]);
            // On past the rest of this key: one match is enough.
            match self.starts.get(row + 1) {
                Some(&next) => {
                    at = next;
                    row += 1;
                }
                None => break,
            }
        }
        ids.sort_unstable();
        ids
    }
}

/// The videos one folded term matches, as of one value of the key counter.
pub(crate) struct Hits {
    term: String,
    generation: i64,
    /// Ascending.
    ids: Vec<i64>,
    /// One bit per id up to the largest.
    members: Vec<u64>,
}

impl Hits {
    fn new(term: String, generation: i64, ids: Vec<i64>) -> Hits {
        let top = ids.last().copied().unwrap_or(0).max(0) as usize;
        let mut members = vec![0u64; top / 64 + 1];
        for &id in &ids {
            if let Ok(id) = usize::try_from(id) {
                members[id / 64] |= 1 << (id % 64);
            }
        }
        Hits {
            term,
            generation,
            ids,
            members,
        }
    }

    pub(crate) fn term(&self) -> &str {
        &self.term
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The ids as a JSON array, for `json_each`.
    pub(crate) fn ids_json(&self) -> String {
        serde_json::to_string(&self.ids).unwrap_or_else(|_| "[]".into())
    }

    fn holds(&self, id: i64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|id| self.members.get(id / 64).map(|word| word & (1 << (id % 64)) != 0))
            .unwrap_or(false)
    }
}

/// The folded keys (once made) and the last terms' matches. One per catalog, shared by
/// its connections: `key_search_hit` reads the matches from here.
#[derive(Default)]
pub(crate) struct KeySearch {
    keys: Mutex<Option<Arc<FoldedKeys>>>,
    recent: Mutex<VecDeque<Arc<Hits>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing here is left half-changed by a panic: a poisoned lock is still sound.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn key_generation(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT generation FROM key_changes")?
        .query_row([], |r| r.get(0))
}

impl KeySearch {
    /// The folded keys as the catalog holds them now, read again if the keys changed.
    fn keys(&self, conn: &Connection) -> rusqlite::Result<Arc<FoldedKeys>> {
        let generation = key_generation(conn)?;
        // Held while reading: a second search waits for the first one's copy.
        let mut keys = lock(&self.keys);
        if let Some(current) = keys.as_ref().filter(|k| k.generation == generation) {
            return Ok(current.clone());
        }
        *keys = None; // the old copy goes before the new one is made
        let fresh = Arc::new(FoldedKeys::read(conn, generation)?);
        *keys = Some(fresh.clone());
        Ok(fresh)
    }

    /// The videos whose key holds `term` (folded), as the catalog holds them now.
    pub(crate) fn hits(&self, conn: &Connection, term: &str) -> rusqlite::Result<Arc<Hits>> {
        let keys = self.keys(conn)?;
        Ok(self.hits_in(&keys, term))
    }

    fn hits_in(&self, keys: &FoldedKeys, term: &str) -> Arc<Hits> {
        if let Some(kept) = lock(&self.recent)
            .iter()
            .find(|h| h.term == term && h.generation == keys.generation)
        {
            return kept.clone();
        }
        let hits = Arc::new(Hits::new(term.to_owned(), keys.generation, keys.find(term)));
        let mut recent = lock(&self.recent);
        if recent.len() == KEPT_HITS {
            recent.pop_front();
        }
        recent.push_back(hits.clone());
        hits
    }

    /// The matches of `term` the statement asking was planned with: the last ones made.
    fn latest_hits(&self, term: &str) -> Option<Arc<Hits>> {
        if let Some(kept) = lock(&self.recent).iter().rev().find(|h| h.term == term) {
            return Some(kept.clone());
        }
        let keys = lock(&self.keys).clone()?;
        Some(self.hits_in(&keys, term))
    }

    /// Makes `key_search_hit(id, folded_term)` callable from SQL on `conn`: whether the
    /// video holds the term, from the matches made for it. They are looked up once per
    /// statement (SQLite keeps them with the constant term argument).
    pub(crate) fn register(self: &Arc<Self>, conn: &Connection) -> rusqlite::Result<()> {
        let terms = self.clone();
        conn.create_scalar_function(
            "key_search_hit",
            2,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS,
            move |ctx| {
                let hits = ctx.get_or_create_aux(1, |term| {
                    let term = term
                        .as_str()
                        .map_err(|e| rusqlite::Error::UserFunctionError(e.into()))?;
                    terms
                        .latest_hits(term)
                        .ok_or_else(|| rusqlite::Error::UserFunctionError("the search was not prepared".into()))
                })?;
                Ok(hits.holds(ctx.get::<i64>(0)?))
            },
        )
    }
}

impl Catalog {
    /// Reads the keys for search ahead of the first term, so it answers as fast as the
    /// next (the app calls this when the search box gets focus). Does nothing when they
    /// are current.
    pub fn prepare_search(&self) -> Result<(), CatalogError> {
        let conn = self.reader()?;
        self.key_search.keys(&conn)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[(i64, &str)]) -> FoldedKeys {
        let mut keys = FoldedKeys {
            generation: 0,
            ids: Vec::new(),
            starts: Vec::new(),
            text: Vec::new(),
        };
        for (id, key) in list {
            keys.ids.push(*id);
            keys.starts.push(keys.text.len());
            keys.text.extend_from_slice(fold(key).as_bytes());
            keys.text.push(END);
        }
        keys
    }

    #[test]
    fn each_key_is_found_once_however_often_it_holds_the_term() {
        let k = keys(&[
            (9, "aa/aa-a.mp4"),
            (3, "bob/bob.mp4"),
            (5, "ann/x.mp4"),
            (1, "Zoë/zz.mp4"),
        ]);
        assert_eq!(k.find("a"), vec![5, 9]);
        assert_eq!(k.find("b"), vec![3]);
        assert_eq!(k.find("zo"), vec![1], "folded: case and accents");
        assert_eq!(k.find("mp4"), vec![1, 3, 5, 9]);
        assert_eq!(k.find("q"), Vec::<i64>::new());
    }

    #[test]
    fn a_match_never_joins_the_end_of_one_key_to_the_start_of_the_next() {
        let k = keys(&[(1, "a/xa"), (2, "b/by")]);
        assert_eq!(k.find("ab"), Vec::<i64>::new());
        assert_eq!(k.find("4\u{0}"), Vec::<i64>::new());
        assert_eq!(k.find("xa"), vec![1]);
        assert_eq!(k.find("y"), vec![2], "the last key's last character");
    }

    #[test]
    fn hits_know_their_members() {
        let hits = Hits::new("a".into(), 0, vec![0, 63, 64, 1000]);
        for id in [0, 63, 64, 1000] {
            assert!(hits.holds(id), "{id}");
        }
        for id in [-1, 1, 62, 65, 999, 1001, 1 << 40] {
            assert!(!hits.holds(id), "{id}");
        }
        assert_eq!(hits.ids_json(), "[0,63,64,1000]");
    }
}
