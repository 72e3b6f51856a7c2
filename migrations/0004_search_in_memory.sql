-- Search answered from the keys held in memory (core/src/catalog/search.rs) instead of
-- the trigram index: measured at a million videos, a scan of the folded keys in memory
-- answers every term in 3-21 ms (one and two characters included, which the trigram
-- index could not answer at all: 0.7-2 s of LIKE), where the index took up to 70 ms for
-- a date-like term, cost every first sync its rebuild and the catalog file its size.
DROP TRIGGER videos_search_insert;
DROP TRIGGER videos_search_delete;
DROP TRIGGER videos_search_update;
DROP TABLE video_search;

-- A counter that moves whenever the set of keys changes (a video added, removed or its
-- key rewritten), and only then: the keys in memory are read again when it has moved.
-- Marking videos seen or favorite leaves it alone, so the copy stays.
-- A bulk load runs without these triggers and moves it once itself (catalog/ingest.rs).
CREATE TABLE key_changes (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO key_changes (id, generation) VALUES (1, 0);

CREATE TRIGGER videos_keys_insert AFTER INSERT ON videos
BEGIN
    UPDATE key_changes SET generation = generation + 1;
END;

CREATE TRIGGER videos_keys_delete AFTER DELETE ON videos
BEGIN
    UPDATE key_changes SET generation = generation + 1;
END;

CREATE TRIGGER videos_keys_update AFTER UPDATE OF key ON videos
BEGIN
    UPDATE key_changes SET generation = generation + 1;
END;
