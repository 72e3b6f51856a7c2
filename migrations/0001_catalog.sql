-- The catalog: one row per video object of the bucket, the creators they belong to,
-- their preview segments, and the user's own state kept apart so no sync can lose it.
--
-- Times are Unix milliseconds (UTC). "Never" is 0 rather than NULL so that every
-- sort column is NOT NULL and keyset pagination needs no NULL handling.

CREATE TABLE creators (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    -- Counters kept by the triggers below, so that the sidebar and the result
    -- count of the common filters never run COUNT(*) over a million rows.
    videos           INTEGER NOT NULL DEFAULT 0,
    favorites        INTEGER NOT NULL DEFAULT 0,
    unseen           INTEGER NOT NULL DEFAULT 0,
    favorites_unseen INTEGER NOT NULL DEFAULT 0,
    bytes            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE videos (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,
    -- File name, stem and timestamp are read from the key when needed, not stored:
    -- a million rows are read faster and loaded faster without them.
    creator_id    INTEGER NOT NULL REFERENCES creators (id),
    size          INTEGER NOT NULL CHECK (size >= 0),
    last_modified INTEGER NOT NULL,
    etag          TEXT,
    recorded_at   INTEGER,
    favorite      INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
    seen_at       INTEGER NOT NULL DEFAULT 0,
    position      REAL    NOT NULL DEFAULT 0 CHECK (position >= 0),
    prediction    TEXT    NOT NULL DEFAULT ''
        CHECK (prediction = '' OR (length(prediction) = 100 AND prediction NOT GLOB '*[^01]*')),
    shuffle_key   INTEGER NOT NULL,
    -- Derived, stored and indexed: they cannot drift from what they are derived from.
    sort_date     INTEGER GENERATED ALWAYS AS (coalesce(recorded_at, last_modified)) STORED,
    quality       INTEGER GENERATED ALWAYS AS (length(prediction) - length(replace(prediction, '1', ''))) STORED
);

-- One index per sort, globally and within a creator, and small partial ones for
-- favorites (usually a few percent of the library, too sparse to find by walking).
-- Every index ends in the rowid implicitly, which is every sort's tie-break.
CREATE INDEX videos_by_date    ON videos (sort_date);
CREATE INDEX videos_by_quality ON videos (quality, sort_date);
CREATE INDEX videos_by_size    ON videos (size);
CREATE INDEX videos_by_seen    ON videos (seen_at);
CREATE INDEX videos_by_shuffle ON videos (shuffle_key);
-- The name sort is the key's order, served by the UNIQUE index on key.

CREATE INDEX videos_of_creator_by_date    ON videos (creator_id, sort_date);
CREATE INDEX videos_of_creator_by_quality ON videos (creator_id, quality, sort_date);
CREATE INDEX videos_of_creator_by_size    ON videos (creator_id, size);
CREATE INDEX videos_of_creator_by_name    ON videos (creator_id, key);
CREATE INDEX videos_of_creator_by_seen    ON videos (creator_id, seen_at);
CREATE INDEX videos_of_creator_by_shuffle ON videos (creator_id, shuffle_key);

CREATE INDEX favorites_by_date    ON videos (sort_date)            WHERE favorite = 1;
CREATE INDEX favorites_by_quality ON videos (quality, sort_date)   WHERE favorite = 1;
CREATE INDEX favorites_by_size    ON videos (size)                 WHERE favorite = 1;
CREATE INDEX favorites_by_name    ON videos (key)                  WHERE favorite = 1;
CREATE INDEX favorites_by_seen    ON videos (seen_at)              WHERE favorite = 1;
CREATE INDEX favorites_by_shuffle ON videos (shuffle_key)          WHERE favorite = 1;

-- Preview segments, linked to videos by folder name: a folder is either a video's
-- full file stem or, in the original layout, its timestamp (which two creators may
-- share, so one folder can belong to several videos).
CREATE TABLE preview_segments (
    key           TEXT    PRIMARY KEY,
    folder        TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    etag          TEXT
) WITHOUT ROWID;
CREATE INDEX preview_segments_by_folder ON preview_segments (folder);

-- What the user owns, for keys that have no video row: a video a sync removed (the
-- bucket was listed wrongly, the object was moved away and back) and predictions
-- imported before their video was synced. The state moves here when a video row is
-- deleted and back when a row with the same key is inserted, in the same transaction,
-- so it is never lost; only the user's own delete of a video forgets it.
CREATE TABLE user_state (
    key        TEXT    PRIMARY KEY,
    favorite   INTEGER NOT NULL DEFAULT 0,
    seen_at    INTEGER NOT NULL DEFAULT 0,
    position   REAL    NOT NULL DEFAULT 0,
    prediction TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TRIGGER videos_keep_user_state AFTER DELETE ON videos
WHEN OLD.favorite <> 0 OR OLD.seen_at <> 0 OR OLD.position <> 0 OR OLD.prediction <> ''
BEGIN
    INSERT INTO user_state (key, favorite, seen_at, position, prediction)
    VALUES (OLD.key, OLD.favorite, OLD.seen_at, OLD.position, OLD.prediction)
    ON CONFLICT (key) DO UPDATE SET
        favorite = excluded.favorite, seen_at = excluded.seen_at,
        position = excluded.position, prediction = excluded.prediction;
END;

CREATE TRIGGER videos_restore_user_state AFTER INSERT ON videos
WHEN EXISTS (SELECT 1 FROM user_state WHERE key = NEW.key)
BEGIN
    UPDATE videos
       SET favorite = s.favorite, seen_at = s.seen_at, position = s.position, prediction = s.prediction
      FROM (SELECT * FROM user_state WHERE key = NEW.key) AS s
     WHERE videos.id = NEW.id;
    DELETE FROM user_state WHERE key = NEW.key;
END;

-- Creator counters.
CREATE TRIGGER videos_count_insert AFTER INSERT ON videos
BEGIN
    UPDATE creators
       SET videos = videos + 1,
           favorites = favorites + NEW.favorite,
           unseen = unseen + (NEW.seen_at = 0),
           favorites_unseen = favorites_unseen + (NEW.favorite AND NEW.seen_at = 0),
           bytes = bytes + NEW.size
     WHERE id = NEW.creator_id;
END;

CREATE TRIGGER videos_count_delete AFTER DELETE ON videos
BEGIN
    UPDATE creators
       SET videos = videos - 1,
           favorites = favorites - OLD.favorite,
           unseen = unseen - (OLD.seen_at = 0),
           favorites_unseen = favorites_unseen - (OLD.favorite AND OLD.seen_at = 0),
           bytes = bytes - OLD.size
     WHERE id = OLD.creator_id;
END;

CREATE TRIGGER videos_count_update AFTER UPDATE OF favorite, seen_at, size, creator_id ON videos
BEGIN
    UPDATE creators
       SET videos = videos - 1,
           favorites = favorites - OLD.favorite,
           unseen = unseen - (OLD.seen_at = 0),
           favorites_unseen = favorites_unseen - (OLD.favorite AND OLD.seen_at = 0),
           bytes = bytes - OLD.size
     WHERE id = OLD.creator_id;
    UPDATE creators
       SET videos = videos + 1,
           favorites = favorites + NEW.favorite,
           unseen = unseen + (NEW.seen_at = 0),
           favorites_unseen = favorites_unseen + (NEW.favorite AND NEW.seen_at = 0),
           bytes = bytes + NEW.size
     WHERE id = NEW.creator_id;
END;

-- Text search over the key (creator folder and file name), case-insensitive and by
-- substring: trigram FTS answers "contains" from an index instead of a full scan.
-- No per-row sizes (columnsize = 0): nothing here ranks by relevance.
CREATE VIRTUAL TABLE video_search USING fts5 (
    key, content = 'videos', content_rowid = 'id', tokenize = 'trigram', columnsize = 0
);
-- A 64 MB in-memory term buffer instead of 1 MB: a bulk load writes far fewer small
-- segments that then have to be merged (measured: rebuild of 1M keys 9.0 s -> 3.4 s).
INSERT INTO video_search (video_search, rank) VALUES ('hashsize', 67108864);

CREATE TRIGGER videos_search_insert AFTER INSERT ON videos
BEGIN
    INSERT INTO video_search (rowid, key) VALUES (NEW.id, NEW.key);
END;

CREATE TRIGGER videos_search_delete AFTER DELETE ON videos
BEGIN
    INSERT INTO video_search (video_search, rowid, key) VALUES ('delete', OLD.id, OLD.key);
END;

CREATE TRIGGER videos_search_update AFTER UPDATE OF key ON videos
BEGIN
    INSERT INTO video_search (video_search, rowid, key) VALUES ('delete', OLD.id, OLD.key);
    INSERT INTO video_search (rowid, key) VALUES (NEW.id, NEW.key);
END;
