-- HLS videos: a video whose key is a playlist (keys.rs), and the parts its playlists
-- name (core/src/playlist.rs), kept so that a playlist is read again only when the
-- listing shows it changed, and so that a delete removes exactly its own parts.

-- A video's playlist as it was when read, and what reading it found.
CREATE TABLE stream_playlists (
    video_id      INTEGER PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    -- The playlist object's own, as listed (videos.size is the whole video's: the
    -- playlist and every part the source has).
    size          INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    etag          TEXT,
    -- URIs that lead out of the source: the video cannot be played from it alone.
    outside       INTEGER NOT NULL DEFAULT 0,
    -- Why it could not be read as a playlist; NULL when it was.
    problem       TEXT
);

-- Every key a video's playlists name (variant playlists, segments, init sections, keys),
-- with the listed object's size: NULL while the source does not have it.
CREATE TABLE stream_parts (
    video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    key      TEXT    NOT NULL,
    size     INTEGER,
    PRIMARY KEY (video_id, key)
) WITHOUT ROWID;
CREATE INDEX stream_parts_by_key ON stream_parts (key);

-- Parts named but not in the source, URIs out of it, or a playlist that cannot be read
-- (counted as one): the grid marks such a video incomplete. 0 for a single-file video.
ALTER TABLE videos ADD COLUMN parts_missing INTEGER NOT NULL DEFAULT 0;
