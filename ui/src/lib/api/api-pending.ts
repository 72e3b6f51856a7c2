// IPC types the Rust side is gaining (see the UI brief "What an hour of real use
// found"): written here by hand until they land, then generated into bindings.ts by
// ts-rs, when this file is deleted and index.ts exports those instead.

import type { SyncProgress as SyncProgressNow } from './bindings';

/** `SyncProgress` with `expectedObjects`: the object count of the last complete listing,
 * what this one is likely to reach; null on a first sync. Optional here because today's
 * shell does not send it yet. */
export type SyncProgress = SyncProgressNow & { expectedObjects?: number | null };

/** What `check_media` found when a video did not play. */
export type MediaCheck =
  /** The object is there and readable: the link expired, or the format cannot be played here. */
  | { state: 'available' }
  /** No longer in the library (deleted behind the app's back). */
  | { state: 'gone' }
  /** Cannot reach the server. */
  | { state: 'unreachable'; message: string }
  /** The server does not answer in time. */
  | { state: 'noAnswer'; message: string }
  /** Wrong secret, access denied, ... (the message says which). */
  | { state: 'refused'; message: string };
