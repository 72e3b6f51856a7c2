-- "Mark seen" on many videos at once, apart from watching them.
--
-- Until now a mark set `videos.seen_at`, the time a video was last watched: marking
-- 300,000 videos seen rewrote 300,000 wide rows and moved 1.2 million entries of the four
-- seen indexes (3.5-6 s at a million videos, measured in BENCHMARKS.md). A mark is not a
-- watch either: the history and the "last watched" order are what was played, and a
-- selection marked seen in bulk would bury them under one timestamp. So a mark is a row
-- of its own here, keyed by the video's id (two integers, appended in id order): a video
-- is unseen when it was never watched (`seen_at = 0`) and has no mark.
--
-- Only a new table, a column and triggers: a catalog of a million videos upgrades at once.

CREATE TABLE seen_marks (
    video_id  INTEGER PRIMARY KEY,
    marked_at INTEGER NOT NULL
);
-- No foreign key: the video's delete trigger below takes its mark with it (and counts
-- it), in the order the counters need.

ALTER TABLE user_state ADD COLUMN marked_seen_at INTEGER NOT NULL DEFAULT 0;

-- The counters' "unseen" is now "not watched and not marked". Only changes of a watched
-- time need the mark looked up; a mark's own insert or delete adjusts the counters in
-- the statement that makes it (core/src/catalog/seen.rs, and the triggers below),
-- never row by row through a trigger of its own: that is what made bulk marks slow.
DROP TRIGGER videos_count_update;
CREATE TRIGGER videos_count_update AFTER UPDATE OF favorite, seen_at, size, creator_id ON videos
BEGIN
    UPDATE creators
       SET videos = videos - 1,
           favorites = favorites - OLD.favorite,
           unseen = unseen - (OLD.seen_at = 0 AND NOT EXISTS (SELECT 1 FROM seen_marks WHERE video_id = OLD.id)),
           favorites_unseen = favorites_unseen
               - (OLD.favorite AND OLD.seen_at = 0 AND NOT EXISTS (SELECT 1 FROM seen_marks WHERE video_id = OLD.id)),
           bytes = bytes - OLD.size
     WHERE id = OLD.creator_id;
    UPDATE creators
       SET videos = videos + 1,
           favorites = favorites + NEW.favorite,
           unseen = unseen + (NEW.seen_at = 0 AND NOT EXISTS (SELECT 1 FROM seen_marks WHERE video_id = NEW.id)),
           favorites_unseen = favorites_unseen
               + (NEW.favorite AND NEW.seen_at = 0 AND NOT EXISTS (SELECT 1 FROM seen_marks WHERE video_id = NEW.id)),
           bytes = bytes + NEW.size
     WHERE id = NEW.creator_id;
END;

-- A removed video's state, its mark included, waits in user_state for its key. The
-- delete's counter trigger (0001) takes an unwatched video off "unseen" without looking
-- at marks; a marked one was not counted there, so it is given back here, and the mark
-- goes with the video (an id can be used again by the next video inserted).
DROP TRIGGER videos_keep_user_state;
CREATE TRIGGER videos_keep_user_state AFTER DELETE ON videos
BEGIN
    INSERT INTO user_state (key, favorite, seen_at, position, prediction, marked_seen_at)
    SELECT OLD.key, OLD.favorite, OLD.seen_at, OLD.position, OLD.prediction,
           coalesce((SELECT marked_at FROM seen_marks WHERE video_id = OLD.id), 0)
     WHERE OLD.favorite <> 0 OR OLD.seen_at <> 0 OR OLD.position <> 0 OR OLD.prediction <> ''
        OR EXISTS (SELECT 1 FROM seen_marks WHERE video_id = OLD.id)
    ON CONFLICT (key) DO UPDATE SET
        favorite = excluded.favorite, seen_at = excluded.seen_at, position = excluded.position,
        prediction = excluded.prediction, marked_seen_at = excluded.marked_seen_at;
    UPDATE creators
       SET unseen = unseen + 1, favorites_unseen = favorites_unseen + OLD.favorite
     WHERE id = OLD.creator_id AND OLD.seen_at = 0
       AND EXISTS (SELECT 1 FROM seen_marks WHERE video_id = OLD.id);
    DELETE FROM seen_marks WHERE video_id = OLD.id;
END;

-- A video that comes back gets its state back, its mark too. The insert's counter
-- trigger (0001) counted it unwatched and unmarked, the UPDATE here moves that through
-- videos_count_update (no mark yet), and the mark then takes it off "unseen" if it is
-- still unwatched: each step relative to the last, whatever order the triggers run in.
DROP TRIGGER videos_restore_user_state;
CREATE TRIGGER videos_restore_user_state AFTER INSERT ON videos
WHEN EXISTS (SELECT 1 FROM user_state WHERE key = NEW.key)
BEGIN
    UPDATE videos
       SET favorite = s.favorite, seen_at = s.seen_at, position = s.position, prediction = s.prediction
      FROM (SELECT * FROM user_state WHERE key = NEW.key) AS s
     WHERE videos.id = NEW.id;
    INSERT INTO seen_marks (video_id, marked_at)
    SELECT NEW.id, marked_seen_at FROM user_state WHERE key = NEW.key AND marked_seen_at <> 0;
    UPDATE creators
       SET unseen = unseen - 1, favorites_unseen = favorites_unseen - v.favorite
      FROM (SELECT favorite FROM videos WHERE id = NEW.id AND seen_at = 0) AS v
     WHERE creators.id = NEW.creator_id
       AND EXISTS (SELECT 1 FROM user_state WHERE key = NEW.key AND marked_seen_at <> 0);
    DELETE FROM user_state WHERE key = NEW.key;
END;
