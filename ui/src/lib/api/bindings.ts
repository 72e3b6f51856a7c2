// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p m3u8-viewer bindings` after changing them.

export type Filter = { 
/**
 * Any of these creators (empty: all).
 */
creators: Array<string>, favoritesOnly: boolean, 
/**
 * Only videos neither watched nor marked seen.
 */
unseenOnly: boolean, 
/**
 * Only videos watched at least once (the history): marked seen is not watched.
 */
seenOnly: boolean, 
/**
 * Only videos left part-way: a resume position that is not the end.
 */
inProgressOnly: boolean, 
/**
 * Only videos a sync found missing from the source and kept.
 */
missingOnly: boolean, 
/**
 * Substring of the key (creator folder and file name), ignoring case and accents.
 */
search: string | null, 
/**
 * Date sort time (recorded, else modified), Unix ms, inclusive.
 */
dateFrom: number | null, 
/**
 * Date sort time, Unix ms, exclusive.
 */
dateTo: number | null, 
/**
 * At least this many 1s in the prediction; videos not scored never match one.
 */
minQuality: number | null, };

export type SortKey = "date" | "quality" | "size" | "name" | "seen" | "shuffle";

export type Direction = "asc" | "desc";

export type Sort = { key: SortKey, direction: Direction, };

export type PageRequest = { filter: Filter, sort: Sort, limit: number, 
/**
 * `next_cursor` of the previous page; `None` for the first page.
 */
after: string | null, };

export type Page = { items: Array<VideoSummary>, 
/**
 * Where the next page starts; `None` on the last page.
 */
nextCursor: string | null, };

export type DateSource = "recorded" | "uploaded";

export type VideoSummary = { id: number, key: string, 
/**
 * Top-level folder; empty for a video at the bucket root.
 */
creator: string, 
/**
 * File name.
 */
name: string, 
/**
 * What the card calls the video beside its creator: the file name when it is not
 * the recorder's `creator-YYYY-MM-DD_HH-mm-ss` pattern (which says nothing the
 * creator and date do not), else `None`.
 */
title: string | null, size: number, 
/**
 * Unix ms.
 */
lastModified: number, 
/**
 * Unix ms, read from the file name; `None` when the name carries no time.
 */
recordedAt: number | null, 
/**
 * The time the date sort uses (Unix ms): when it was recorded, else when the file
 * was uploaded or last written; `dated_by` says which.
 */
date: number, datedBy: DateSource, favorite: boolean, 
/**
 * Unix ms of the last time it was watched.
 */
seenAt: number | null, 
/**
 * Unix ms of when the user marked it seen without watching it (a bulk action): it
 * is not unseen, and not in the history either.
 */
markedSeenAt: number | null, 
/**
 * Resume position in seconds.
 */
position: number, 
/**
 * 100 characters of 0/1, when the video has been scored.
 */
prediction: string | null, 
/**
 * Number of '1's in the prediction (0..=100); `None` when it was never scored, which
 * is not the same as 0 and sorts after every score.
 */
quality: number | null, 
/**
 * When a sync last found the video missing from its source (Unix ms), if it did:
 * kept, because that sync would have removed most of the library.
 */
missingSince: number | null, 
/**
 * An HLS video (its key is its playlist), not a single file.
 */
isPlaylist: boolean, 
/**
 * Of an HLS video: parts its playlists name that the source does not have (a URI
 * out of the source and a playlist that cannot be read count too). 0 when complete.
 */
partsMissing: number, };

export type VideoDetail = { etag: string | null, 
/**
 * Keys of its preview segments, in natural order.
 */
previewSegments: Array<string>, id: number, key: string, 
/**
 * Top-level folder; empty for a video at the bucket root.
 */
creator: string, 
/**
 * File name.
 */
name: string, 
/**
 * What the card calls the video beside its creator: the file name when it is not
 * the recorder's `creator-YYYY-MM-DD_HH-mm-ss` pattern (which says nothing the
 * creator and date do not), else `None`.
 */
title: string | null, size: number, 
/**
 * Unix ms.
 */
lastModified: number, 
/**
 * Unix ms, read from the file name; `None` when the name carries no time.
 */
recordedAt: number | null, 
/**
 * The time the date sort uses (Unix ms): when it was recorded, else when the file
 * was uploaded or last written; `dated_by` says which.
 */
date: number, datedBy: DateSource, favorite: boolean, 
/**
 * Unix ms of the last time it was watched.
 */
seenAt: number | null, 
/**
 * Unix ms of when the user marked it seen without watching it (a bulk action): it
 * is not unseen, and not in the history either.
 */
markedSeenAt: number | null, 
/**
 * Resume position in seconds.
 */
position: number, 
/**
 * 100 characters of 0/1, when the video has been scored.
 */
prediction: string | null, 
/**
 * Number of '1's in the prediction (0..=100); `None` when it was never scored, which
 * is not the same as 0 and sorts after every score.
 */
quality: number | null, 
/**
 * When a sync last found the video missing from its source (Unix ms), if it did:
 * kept, because that sync would have removed most of the library.
 */
missingSince: number | null, 
/**
 * An HLS video (its key is its playlist), not a single file.
 */
isPlaylist: boolean, 
/**
 * Of an HLS video: parts its playlists name that the source does not have (a URI
 * out of the source and a playlist that cannot be read count too). 0 when complete.
 */
partsMissing: number, };

export type CreatorCounts = { name: string, videos: number, favorites: number, unseen: number, bytes: number, };

export type MediaUrl = { key: string, 
/**
 * An http(s) URL; for a folder reached without the app's media server (the CLI),
 * the file's absolute path, which any player opens as it is.
 */
url: string, 
/**
 * Unix ms; `None` for a URL that works as long as the app runs.
 */
expiresAt: number | null, };

export type VideoUrls = { video: MediaUrl, 
/**
 * In natural order (`segment_2` before `segment_10`).
 */
previewSegments: Array<MediaUrl>, };

export type MediaCheck = { "state": "available" } | { "state": "gone" } | { "state": "unreachable", message: string, } | { "state": "noAnswer", message: string, } | { "state": "refused", message: string, };

export type Removal = { key: string, 
/**
 * Whether the catalog had the video (false when it was already removed).
 */
wasInCatalog: boolean, 
/**
 * Its preview segments that were deleted.
 */
previewSegments: Array<string>, 
/**
 * Segments of a shared timestamp folder that were left for the other videos.
 */
sharedSegmentsKept: number, 
/**
 * Of an HLS video: the parts its playlists name that were deleted with it (a part
 * another video's playlist names too is left).
 */
streamPartsDeleted: number, };

export type Selection = { "kind": "keys", keys: Array<string>, } | { "kind": "matching", filter: Filter, except: Array<string>, };

export type Mark = "favorite" | "unfavorite" | "seen" | "unseen";

export type SelectionSize = { videos: number, bytes: number, };

export type FailedDelete = { key: string, message: string, };

export type BulkDeleteReport = { 
/**
 * Keys removed (from the source and the catalog).
 */
removed: Array<string>, failed: Array<FailedDelete>, };

export type SavedView = { name: string, filter: Filter, sort: Sort, };

export type SyncPhase = "listing" | "writing" | "done";

export type SyncProgress = { phase: SyncPhase, objectsListed: number, 
/**
 * Objects the last complete listing had: what this one is likely to reach. `None`
 * on a first sync.
 */
expectedObjects: number | null, videosAdded: number, videosUpdated: number, videosRemoved: number, elapsedMs: number, 
/**
 * Objects listed per second so far.
 */
rate: number, };

export type SyncReport = { objectsListed: number, videosListed: number, segmentsListed: number, otherObjects: number, videosAdded: number, videosUpdated: number, videosRemoved: number, 
/**
 * Videos marked missing earlier that the source has again.
 */
videosFoundAgain: number, segmentsWritten: number, segmentsRemoved: number, videosWithoutPreviews: number, unlinkedPreviewFolders: number, 
/**
 * Videos the listing no longer has that were kept and marked missing, because
 * removing them would take most of the library and `prune_all` was not given.
 */
removalHeldBack: number, 
/**
 * Videos under folders that could not be read, kept as they were.
 */
videosUnknown: number, 
/**
 * Objects an HLS playlist may name (segments, keys, variant playlists).
 */
streamPartsListed: number, 
/**
 * HLS playlists read (new or changed ones only).
 */
playlistsRead: number, 
/**
 * Parts of HLS videos whose listed size changed, or that appeared or went.
 */
streamPartsChanged: number, 
/**
 * Rows taken for videos that a playlist names as its part (an fMP4 init section, a
 * variant playlist beside its master), removed as videos.
 */
partsNotVideos: number, 
/**
 * Entries the listing left out (names that are not text, links out of the folder).
 */
objectsSkipped: number, libraryVideos: number, listingMs: number, elapsedMs: number, };

export type SyncRecord = { 
/**
 * Unix ms.
 */
finishedAt: number, objectsListed: number, elapsedMs: number, videosAdded: number, videosUpdated: number, videosRemoved: number, 
/**
 * Videos the listing did not have that were kept and marked missing.
 */
videosMissing: number, };

export type Profile = { 
/**
 * `https://<account>.r2.cloudflarestorage.com`, `http://127.0.0.1:9000`, ...
 */
endpoint: string, bucket: string, region: string, accessKeyId: string, 
/**
 * `endpoint/bucket/key` instead of `bucket.endpoint/key`: what most self-hosted
 * S3 servers need (and what works on R2 too).
 */
pathStyle: boolean, };

export type FolderSettings = { path: string, };

export type SourceKind = "bucket" | "folder";

export type SourceSettings = { "kind": "bucket" } & Profile | { "kind": "folder" } & FolderSettings;

export type SecretSource = "environment" | "keychain";

export type ProfileForm = { endpoint: string, bucket: string, region: string, accessKeyId: string, pathStyle: boolean, 
/**
 * Typed by the user; empty or absent keeps the stored one.
 */
secret: string | null, };

export type LibraryInfo = { id: string, name: string, kind: SourceKind | null, 
/**
 * The bucket and endpoint, or the folder's path.
 */
location: string, active: boolean, };

export type Settings = { libraries: Array<LibraryInfo>, 
/**
 * The open library.
 */
library: LibraryInfo | null, 
/**
 * Its source's settings (a bucket's profile, a folder's path).
 */
source: SourceSettings | null, 
/**
 * Why its source does not connect, when it does not.
 */
connectionError: AppError | null, 
/**
 * Where a bucket's secret comes from, when it connected with one.
 */
secretSource: SecretSource | null, 
/**
 * The origin media is allowed from (the content security policy's `media-src`).
 */
mediaOrigin: string | null, catalogPath: string | null, catalogError: AppError | null, dataDir: string | null, syncRunning: boolean, 
/**
 * The last sync that listed the source to the end.
 */
lastSync: SyncRecord | null, };

export type ErrorKind = "badCursor" | "notFound" | "invalid" | "busy" | "catalogUnavailable" | "noLibrary" | "notConnected" | "source" | "keychain" | "syncRunning" | "cancelled" | "noPoster" | "internal";

export type AppError = { kind: ErrorKind, message: string, };
