// The only module that talks to the shell: one typed function per Tauri command. The
// types come from bindings.ts, generated from the Rust types (src-tauri/src/bindings.rs).
// Components and state modules import from here, never from @tauri-apps/*.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { open as openDialog } from '@tauri-apps/plugin-dialog';
import { ApiError } from './error';
import type {
  BulkDeleteReport,
  CreatorCounts,
  Filter,
  Mark,
  MediaCheck,
  Page,
  PageRequest,
  ProfileForm,
  Removal,
  SavedView,
  Selection,
  SelectionSize,
  Settings,
  Sort,
  SyncProgress,
  SyncReport,
  VideoDetail,
  VideoUrls,
} from './bindings';

export { ApiError } from './error';
export type * from './bindings';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

async function callRaw<T>(command: string, body: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(command, body, { headers });
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

/** Readies the catalog for one- and two-character search terms (the search box got focus). */
export function prepareSearch(): Promise<void> {
  return call('prepare_search');
}

/** Creators with their video, favorite and unseen counts. */
export function creators(): Promise<CreatorCounts[]> {
  return call('creators');
}

export function getVideo(key: string): Promise<VideoDetail> {
  return call('get_video', { key });
}

/** URLs of the video and its preview segments: presigned (1 hour) for a bucket, the
 * app's loopback media server for a folder. */
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

/** Remembers where playback stopped. With the video's length, the core tells a video
 * watched to the end (past 95%) and clears its position; resolves to the one kept. */
export function savePosition(key: string, seconds: number, duration: number | null): Promise<number> {
  return call('save_position', { key, seconds, duration });
}

/** A random video of the filter, first of a page that goes on in shuffle order. */
export function randomPage(filter: Filter, limit: number): Promise<Page> {
  return call('random_page', { filter, limit });
}

/** Sets `mark` on every video of the selection (one statement in core, however many);
 * resolves to how many changed. */
export function markSelection(selection: Selection, mark: Mark): Promise<number> {
  return call('mark_selection', { selection, mark });
}

/** How many videos the selection holds and their total size. */
export function selectionSize(selection: Selection): Promise<SelectionSize> {
  return call('selection_size', { selection });
}

/** Deletes every video of the selection with its previews; those that fail are reported
 * with why and stay. */
export function deleteSelection(selection: Selection): Promise<BulkDeleteReport> {
  return call('delete_selection', { selection });
}

export function listSavedViews(): Promise<SavedView[]> {
  return call('list_saved_views');
}

/** Saves the filter and sort under `name`; `replace` overwrites a view of that name. */
export function addSavedView(name: string, filter: Filter, sort: Sort, replace: boolean): Promise<SavedView> {
  return call('add_saved_view', { name, filter, sort, replace });
}

export function renameSavedView(from: string, to: string): Promise<void> {
  return call('rename_saved_view', { from, to });
}

export function deleteSavedView(name: string): Promise<void> {
  return call('delete_saved_view', { name });
}

/** Deletes the video and its previews (from the bucket, or a folder's to the trash),
 * then from the catalog. */
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

/** Saves a bucket library's settings: the open one's, or, with `newLibrary`, a new
 * library that becomes the open one. */
export function saveProfile(form: ProfileForm, newLibrary: boolean): Promise<Settings> {
  return call('save_profile', { form, newLibrary });
}

/** Opens another library (the app opens it next time too). */
export function openLibrary(id: string): Promise<Settings> {
  return call('open_library', { id });
}

/** Adds the folder at `path` as a library and opens it. */
export function addFolderLibrary(path: string, name: string | null = null): Promise<Settings> {
  return call('add_folder_library', { path, name });
}

/** Copies the demo library into the data folder (once), synced, and opens it. */
export function openDemoLibrary(): Promise<Settings> {
  return call('open_demo_library');
}

/** A library's own connection test: one request to its bucket, or a look at its folder;
 * resolves to a sentence. */
export function checkLibrary(id: string): Promise<string> {
  return call('check_library', { id });
}

export function renameLibrary(id: string, name: string): Promise<Settings> {
  return call('rename_library', { id, name });
}

/** Removes a library: its catalog goes, its bucket or folder is not touched. */
export function removeLibrary(id: string): Promise<Settings> {
  return call('remove_library', { id });
}

/** The system's folder picker; null when the user cancels. */
export async function pickFolder(title: string): Promise<string | null> {
  try {
    const chosen = await openDialog({ directory: true, multiple: false, title });
    return typeof chosen === 'string' ? chosen : null;
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** Lists the library's bucket or folder into the catalog, reporting progress as it goes. */
export function syncLibrary(pruneAll: boolean, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return call('sync_library', { pruneAll, onProgress: channel });
}

/** Stops the running sync; resolves to false when none was running. */
export function cancelSync(): Promise<boolean> {
  return call('cancel_sync');
}

/** The bytes of an HLS video's playlist or of one of its parts, fetched by the core
 * (signed there for a bucket: the bucket needs no CORS rule, nothing expires). */
export function streamObject(key: string): Promise<ArrayBuffer> {
  return call<ArrayBuffer>('stream_object', { key });
}

/** Why a video did not play: whether its bucket or folder still has it and answers for it. */
export function checkMedia(key: string): Promise<MediaCheck> {
  return call('check_media', { key });
}

/** The poster made for the video (JPEG bytes), or null when none is made yet. */
export async function poster(key: string): Promise<ArrayBuffer | null> {
  const bytes = await call<ArrayBuffer>('poster', { key });
  return bytes.byteLength > 0 ? bytes : null;
}

/** The media to take the video's poster frame from (an MP4: its first preview segment,
 * or the video itself when it is small), fetched by the core so the page can decode it
 * from a `blob:` URL. Rejects with kind `noPoster` when there is nothing to make one
 * from, or making one for this version of the video failed before. */
export async function posterSource(key: string): Promise<Blob> {
  const bytes = await call<ArrayBuffer>('poster_source', { key });
  return new Blob([bytes], { type: 'video/mp4' });
}

/** Keeps the poster made for the video: a JPEG of at most 20 KB. */
export function savePoster(key: string, jpeg: Uint8Array): Promise<void> {
  // Raw bytes as the body, the key beside them: no JSON array of numbers.
  return callRaw('save_poster', jpeg, { 'poster-key': encodeURIComponent(key) });
}

/** Remembers that no poster can be made for this version of the video (it would not
 * decode), so it is not tried again on every scroll. */
export function posterFailed(key: string, reason: string): Promise<void> {
  return call('poster_failed', { key, reason });
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
