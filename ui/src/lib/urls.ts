// Media URLs, asked for once per video and reused while they have life left: the hover
// preview and the player ask for the same video again and again. A bucket's are
// presigned and expire; a folder's (the loopback server's) last as long as the app runs.

import * as api from './api';
import type { VideoUrls } from './api';

/** Ask again when a URL has less than this left (a preview or a play needs a while). */
const MARGIN_MS = 10 * 60 * 1000;
const LIMIT = 500;

const cache = new Map<string, VideoUrls>();

export async function urlsFor(key: string, now = Date.now): Promise<VideoUrls> {
  const hit = cache.get(key);
  if (hit && (hit.video.expiresAt === null || hit.video.expiresAt - now() > MARGIN_MS)) return hit;
  const urls = await api.videoUrls(key);
  cache.delete(key);
  cache.set(key, urls);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value as string);
  return urls;
}

/** A deleted video's URLs must not be reused. */
export function forgetUrls(key: string): void {
  cache.delete(key);
}

/** Which of `count` segments the pointer at `fraction` (0..1 across the card) picks. */
export function segmentAt(fraction: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, Math.floor(fraction * count)));
}

/** After a sync: previews may have gone or changed, and their old links with them. */
export function forgetAllUrls(): void {
  cache.clear();
}
