-- What a year of real use asked of the catalog: videos the source no longer lists are
-- kept and marked rather than silently held back; "not scored" is its own place in the
-- quality order instead of counting as quality 0; search folds accents both ways; and a
-- sync remembers how big the last listing was, so the next one can show a real bar.
--
-- Every step here is an ADD COLUMN, an index or a rebuild of the search index: no
-- rewrite of the videos table, so a catalog of a million videos upgrades in seconds.

-- When a sync last found the video missing from its source (Unix ms), 0 while it is
-- there. Set instead of deleting when a listing would remove most of the library (an
-- empty or wrong listing); cleared when the video is listed again.
ALTER TABLE videos ADD COLUMN missing_since INTEGER NOT NULL DEFAULT 0;

-- The quality order's key: the number of 1s, or -1 for a video with no prediction, so
-- "not scored" never mixes with real zeros. The query engine keeps -1 last in both
-- directions (core/src/catalog/query.rs, "segments").
ALTER TABLE videos ADD COLUMN quality_rank INTEGER
    GENERATED ALWAYS AS (CASE WHEN prediction = '' THEN -1 ELSE quality END) VIRTUAL;

DROP INDEX videos_by_quality;
DROP INDEX videos_of_creator_by_quality;
DROP INDEX favorites_by_quality;
CREATE INDEX videos_by_quality            ON videos (quality_rank, sort_date);
CREATE INDEX videos_of_creator_by_quality ON videos (creator_id, quality_rank, sort_date);
CREATE INDEX favorites_by_quality         ON videos (quality_rank, sort_date) WHERE favorite = 1;

-- Missing videos are few unless a listing went wrong; a small partial index finds them.
CREATE INDEX missing_by_date ON videos (sort_date) WHERE missing_since > 0;

-- The trigram index again, folding diacritics as well as case: "zoe" finds "zoë" and
-- "zoë" finds "zoe". The triggers of 0001 write to it by name and keep working.
DROP TABLE video_search;
CREATE VIRTUAL TABLE video_search USING fts5 (
    key, content = 'videos', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1', columnsize = 0
);
INSERT INTO video_search (video_search, rank) VALUES ('hashsize', 67108864);
INSERT INTO video_search (video_search) VALUES ('rebuild');

-- One row per sync that listed its source to the end: what the next sync's progress bar
-- measures against, and what Settings shows as "last synced".
CREATE TABLE sync_history (
    id             INTEGER PRIMARY KEY,
    finished_at    INTEGER NOT NULL,
    objects_listed INTEGER NOT NULL,
    elapsed_ms     INTEGER NOT NULL,
    videos_added   INTEGER NOT NULL,
    videos_updated INTEGER NOT NULL,
    videos_removed INTEGER NOT NULL,
    videos_missing INTEGER NOT NULL
);
