// TODO: generate with ts-rs/tauri-specta. These are hand-written copies of the Rust types
// that cross IPC (m3u8v-core `query`/`video`, src-tauri `error`); generation and a test
// that fails when the generated file is stale are part of the app issue. Until then, a
// change to those Rust types must be mirrored here by hand.

/** Which videos to show. Every part is optional and they combine with AND. */
export interface Filter {
  /** Any of these creators (empty: all). */
  creators: string[];
  favoritesOnly: boolean;
  unseenOnly: boolean;
  /** Case-insensitive substring of the key. */
  search: string | null;
  /** Unix ms, inclusive. */
  dateFrom: number | null;
  /** Unix ms, exclusive. */
  dateTo: number | null;
  /** Number of 1s in the prediction, 0 to 100. */
  minQuality: number | null;
}

export type SortKey = 'date' | 'quality' | 'size' | 'name' | 'seen' | 'shuffle';
export type Direction = 'asc' | 'desc';

export interface Sort {
  key: SortKey;
  direction: Direction;
}

export interface PageRequest {
  filter: Filter;
  sort: Sort;
  /** 1 to 1000. */
  limit: number;
  /** `nextCursor` of the previous page; null for the first page. */
  after: string | null;
}

/** One video as a grid card needs it. */
export interface VideoSummary {
  id: number;
  key: string;
  /** Top-level folder; empty for a video at the bucket root. */
  creator: string;
  name: string;
  size: number;
  /** Unix ms. */
  lastModified: number;
  /** Unix ms, read from the file name. */
  recordedAt: number | null;
  favorite: boolean;
  /** Unix ms of the last time it was watched. */
  seenAt: number | null;
  /** Resume position in seconds. */
  position: number;
  /** 100 characters of 0/1, when the video has been scored. */
  prediction: string | null;
  /** Number of '1's in the prediction (0..=100). */
  quality: number;
}

export interface Page {
  items: VideoSummary[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** `VideoSummary` flattened with what the player needs. */
export interface VideoDetail extends VideoSummary {
  etag: string | null;
  /** Keys of its preview segments, in natural order. */
  previewSegments: string[];
}

export interface CreatorCounts {
  name: string;
  videos: number;
  favorites: number;
  unseen: number;
  bytes: number;
}

/** What the UI branches on; see src-tauri/src/error.rs. */
export type ErrorKind = 'badCursor' | 'notFound' | 'invalid' | 'busy' | 'catalogUnavailable' | 'internal';

export interface ErrorPayload {
  kind: ErrorKind;
  message: string;
}
