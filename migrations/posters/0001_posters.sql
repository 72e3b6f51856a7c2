-- The poster cache of one library, in a file of its own beside the catalog: a cache,
-- so it can be cleared (or lost) without losing anything the user owns, and the
-- catalog stays small and quick to copy.
--
-- A rowid table, not WITHOUT ROWID: its rows carry images of up to 20 KB, and SQLite
-- keeps large rows best in a rowid table with the key in a separate index.
CREATE TABLE posters (
    id       INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL UNIQUE,
    -- The video's version the poster was made for: its ETag, or size and time for a
    -- file. A changed video has another version, and so no poster until one is made.
    version  TEXT    NOT NULL,
    made_at  INTEGER NOT NULL,
    -- A JPEG; NULL when none could be made (the reason says why), so it is not tried
    -- again on every scroll.
    image    BLOB,
    reason   TEXT,
    CHECK ((image IS NULL) <> (reason IS NULL))
);
