// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p m3u8-viewer bindings` after changing them.

export type Filter = { 
/**
 * Any of these creators (empty: all).
 */
creators: Array<string>, favoritesOnly: boolean, unseenOnly: boolean, 
/**
 * Case-insensitive substring of the key (creator folder and file name).
 */
search: string | null, 
/**
 * Date sort time (recorded, else modified), Unix ms, inclusive.
 */
dateFrom: number | null, 
/**
 * Date sort time, Unix ms, exclusive.
 */
dateTo: number | null, minQuality: number | null, };

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

export type VideoSummary = { id: number, key: string, 
/**
 * Top-level folder; empty for a video at the bucket root.
 */
creator: string, 
/**
 * File name.
 */
name: string, size: number, 
/**
 * Unix ms.
 */
lastModified: number, 
/**
 * Unix ms, read from the file name; `None` when the name carries no time.
 */
recordedAt: number | null, favorite: boolean, 
/**
 * Unix ms of the last time it was watched.
 */
seenAt: number | null, 
/**
 * Resume position in seconds.
 */
position: number, 
/**
 * 100 characters of 0/1, when the video has been scored.
 */
prediction: string | null, 
/**
 * Number of '1's in the prediction (0..=100).
 */
quality: number, };

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
name: string, size: number, 
/**
 * Unix ms.
 */
lastModified: number, 
/**
 * Unix ms, read from the file name; `None` when the name carries no time.
 */
recordedAt: number | null, favorite: boolean, 
/**
 * Unix ms of the last time it was watched.
 */
seenAt: number | null, 
/**
 * Resume position in seconds.
 */
position: number, 
/**
 * 100 characters of 0/1, when the video has been scored.
 */
prediction: string | null, 
/**
 * Number of '1's in the prediction (0..=100).
 */
quality: number, };

export type CreatorCounts = { name: string, videos: number, favorites: number, unseen: number, bytes: number, };

export type PresignedUrl = { key: string, url: string, 
/**
 * Unix ms.
 */
expiresAt: number, };

export type VideoUrls = { video: PresignedUrl, 
/**
 * In natural order (`segment_2` before `segment_10`).
 */
previewSegments: Array<PresignedUrl>, };

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
sharedSegmentsKept: number, };

export type SyncPhase = "listing" | "writing" | "done";

export type SyncProgress = { phase: SyncPhase, objectsListed: number, videosAdded: number, videosUpdated: number, videosRemoved: number, elapsedMs: number, 
/**
 * Objects listed per second so far.
 */
rate: number, };

export type SyncReport = { objectsListed: number, videosListed: number, segmentsListed: number, otherObjects: number, videosAdded: number, videosUpdated: number, videosRemoved: number, segmentsWritten: number, segmentsRemoved: number, videosWithoutPreviews: number, unlinkedPreviewFolders: number, 
/**
 * Videos the listing no longer has but that were kept, because removing them would
 * take most of the library and `prune_all` was not given.
 */
removalHeldBack: number, libraryVideos: number, listingMs: number, elapsedMs: number, };

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

export type SecretSource = "environment" | "keychain";

export type ProfileForm = { endpoint: string, bucket: string, region: string, accessKeyId: string, pathStyle: boolean, 
/**
 * Typed by the user; empty or absent keeps the stored one.
 */
secret: string | null, };

export type Settings = { profile: Profile | null, 
/**
 * Why the profile does not connect, when it does not.
 */
connectionError: AppError | null, secretSource: SecretSource | null, 
/**
 * The origin media is allowed from (the content security policy's `media-src`).
 */
mediaOrigin: string | null, catalogPath: string | null, catalogError: AppError | null, profilePath: string | null, };

export type ErrorKind = "badCursor" | "notFound" | "invalid" | "busy" | "catalogUnavailable" | "notConnected" | "bucket" | "keychain" | "syncRunning" | "cancelled" | "internal";

export type AppError = { kind: ErrorKind, message: string, };
