// The only module that talks to the shell: one typed function per Tauri command. The
// types come from bindings.ts, generated from the Rust types (src-tauri/src/bindings.rs).
// Components and state modules import from here, never from @tauri-apps/*.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { ApiError } from './error';
import type {
  CreatorCounts,
  Filter,
  Page,
  PageRequest,
  ProfileForm,
  Removal,
  Settings,
  SyncReport,
  VideoDetail,
  VideoUrls,
} from './bindings';
import type { MediaCheck, SyncProgress } from './api-pending';

export { ApiError } from './error';
export type * from './bindings';
// Named exports win over the star export: these replace the generated ones until the
// Rust side sends the new fields (api-pending.ts).
export type { MediaCheck, SyncProgress } from './api-pending';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** One page of the grid under a filter and sort; `skip` rows further in when given. */
export function listPage(request: PageRequest, skip = 0): Promise<Page> {
  return call('list_page', { request, skip });
}

/** How many videos match the filter. */
export function count(filter: Filter): Promise<number> {
  return call('count', { filter });
}

/** Creators with their video, favorite and unseen counts. */
export function creators(): Promise<CreatorCounts[]> {
  return call('creators');
}

export function getVideo(key: string): Promise<VideoDetail> {
  return call('get_video', { key });
}

/** Presigned URLs (1 hour) of the video and its preview segments. */
export function videoUrls(key: string): Promise<VideoUrls> {
  return call('video_urls', { key });
}

export function setFavorite(key: string, favorite: boolean): Promise<void> {
  return call('set_favorite', { key, favorite });
}

/** Marks the video watched now; resolves to that time, Unix ms. */
export function markSeen(key: string): Promise<number> {
  return call('mark_seen', { key });
}

export function savePosition(key: string, seconds: number): Promise<void> {
  return call('save_position', { key, seconds });
}

/** Deletes the video and its previews from the bucket, then from the catalog. */
export function deleteVideo(key: string): Promise<Removal> {
  return call('delete_video', { key });
}

export function getSettings(): Promise<Settings> {
  return call('get_settings');
}

/** One request against the bucket with these settings; resolves to a sentence. */
export function checkProfile(form: ProfileForm): Promise<string> {
  return call('check_profile', { form });
}

export function saveProfile(form: ProfileForm): Promise<Settings> {
  return call('save_profile', { form });
}

/** Lists the bucket into the catalog, reporting progress as it goes. */
export function syncLibrary(pruneAll: boolean, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return call('sync_library', { pruneAll, onProgress: channel });
}

/** Stops the running sync; resolves to false when none was running. */
export function cancelSync(): Promise<boolean> {
  return call('cancel_sync');
}

/** Why a video did not play: whether the bucket still has it and answers for it. */
export function checkMedia(key: string): Promise<MediaCheck> {
  return call('check_media', { key });
}

/** The view saved for this library (see lib/view.ts), as stored: opaque to the shell,
 * checked by the UI. Null when none was saved. */
export function loadView(): Promise<unknown | null> {
  return call('get_view');
}

export function saveView(view: unknown): Promise<void> {
  return call('save_view', { view });
}

/** Calls `callback` whenever the catalog changed (any commit: a sync batch, the CLI,
 * the app's own writes; at most a few a second). Resolves to the function that stops
 * listening. */
export async function onCatalogChanged(callback: () => void): Promise<() => void> {
  try {
    return await listen<null>('catalog-changed', () => callback());
  } catch (raw) {
    throw ApiError.from(raw);
  }
}
