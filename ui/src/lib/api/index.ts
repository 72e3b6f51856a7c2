// The only module that talks to the shell: one typed function per Tauri command.
// Components and state modules import from here, never from @tauri-apps/*.

import { invoke } from '@tauri-apps/api/core';
import { ApiError } from './error';
import type { CreatorCounts, Filter, Page, PageRequest, VideoDetail } from './types';

export { ApiError } from './error';
export type * from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

/** One page of the grid under a filter and sort. */
export function listPage(request: PageRequest): Promise<Page> {
  return call('list_page', { request });
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
