-- What the grid's second year asked of the catalog: views the user names and keeps, and a
-- quick way back to what was being watched.
--
-- Only new tables and indexes: a catalog of a million videos upgrades in a second.

-- A filter and sort the user saved under a name, as the app's own JSON (core's `Filter`
-- and `Sort`), read back through serde so an unknown or damaged one is a clear error.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    filter     TEXT    NOT NULL,
    sort       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

-- Videos left part-way (a resume position; a finished video's is cleared), by when they
-- were last opened: "Continue watching" and the in-progress filter read this small
-- partial index instead of walking the library.
CREATE INDEX in_progress_by_seen ON videos (seen_at) WHERE position > 0;
