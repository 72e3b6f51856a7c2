// HLS videos in the player: hls.js over Media Source Extensions (WebKitGTK no longer
// plays HLS itself), its playlists, segments and keys fetched by the core over IPC.
//
// Why the core fetches: a private bucket's parts need signing, and hls.js fetches by
// XHR, which a bucket without a CORS rule for the app's origin refuses; the player must
// play from any bucket as it is. The core signs each request itself, so nothing the page
// holds expires during a long video, and a folder library's parts come the same way. (A
// custom URI scheme would carry the bytes too; IPC is the path posters already take, and
// needs neither a scheme per platform nor a CSP entry.)

import type { HlsConfig, Level, Loader, LoaderCallbacks, LoaderConfiguration, LoaderContext, LoaderStats } from 'hls.js';
import * as api from '../lib/api';
import { ApiError } from '../lib/api';

/** hls.js resolves a playlist's URIs against its URL: the key under a made-up origin,
 * never fetched (the loader below answers every request). */
const ORIGIN = 'https://stream.m3u8v.invalid/';

/** The URL hls.js is given for the object under `key`. */
export function streamUrl(key: string): string {
  return ORIGIN + key.split('/').map(encodeURIComponent).join('/');
}

/** The key a URL hls.js resolved names; null for one outside the library (an absolute
 * URL in a playlist). */
export function keyOf(url: string): string | null {
  if (!url.startsWith(ORIGIN)) return null;
  const path = url.slice(ORIGIN.length).split(/[?#]/)[0];
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}

function freshStats(): LoaderStats {
  return {
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  };
}

/** What the core answers with, for a request of hls.js: the whole object, or the byte
 * range an `EXT-X-BYTERANGE` asks for, as text for playlists. hls.js asks for a range
 * only with an end (it sends `rangeStart: 0, rangeEnd: 0` for a whole fragment), as its
 * own XHR loader reads it. */
export function answerOf(bytes: ArrayBuffer, context: LoaderContext): ArrayBuffer | string {
  const ranged = context.rangeEnd ? bytes.slice(context.rangeStart ?? 0, context.rangeEnd) : bytes;
  return context.responseType === 'arraybuffer' ? ranged : new TextDecoder().decode(ranged);
}

/** Playlists asked for before hls.js is ready (see `playStream`), by key: the loader
 * takes each once. */
const prefetched = new Map<string, Promise<ArrayBuffer>>();

function fetchObject(key: string): Promise<ArrayBuffer> {
  const early = prefetched.get(key);
  if (early) {
    prefetched.delete(key);
    return early;
  }
  return api.streamObject(key);
}

/** An hls.js loader whose bytes come from the core. */
export class CoreLoader implements Loader<LoaderContext> {
  context: LoaderContext | null = null;
  stats: LoaderStats = freshStats();
  #aborted = false;

  // hls.js constructs loaders with its config; nothing in it applies here.
  constructor(_config?: HlsConfig) {}

  load(context: LoaderContext, _config: LoaderConfiguration, callbacks: LoaderCallbacks<LoaderContext>): void {
    this.context = context;
    this.#aborted = false;
    const stats = (this.stats = freshStats());
    stats.loading.start = performance.now();
    const key = keyOf(context.url);
    if (key === null) {
      callbacks.onError({ code: 403, text: `not in this library: ${context.url}` }, context, null, stats);
      return;
    }
    fetchObject(key).then(
      (bytes) => {
        if (this.#aborted) return;
        const data = answerOf(bytes, context);
        stats.loading.first = stats.loading.end = performance.now();
        stats.loaded = stats.total = typeof data === 'string' ? bytes.byteLength : data.byteLength;
        callbacks.onSuccess({ url: context.url, data }, stats, context, null);
      },
      (e: unknown) => {
        if (this.#aborted) return;
        const error = ApiError.from(e);
        // A key the catalog does not know is final; anything else may pass.
        const code = error.kind === 'invalid' ? 404 : 503;
        callbacks.onError({ code, text: error.message }, context, null, stats);
      },
    );
  }

  abort(): void {
    this.#aborted = true;
    this.stats.aborted = true;
  }

  destroy(): void {
    this.abort();
    this.context = null;
  }
}

/** A quality the user may pin. */
export interface StreamLevel {
  index: number;
  label: string;
}

export function levelLabel(level: Pick<Level, 'height' | 'bitrate'>): string {
  const rate = level.bitrate >= 1_000_000 ? `${(level.bitrate / 1_000_000).toFixed(1)} Mb/s` : `${Math.round(level.bitrate / 1000)} kb/s`;
  return level.height ? `${level.height}p (${rate})` : rate;
}

export interface StreamEvents {
  /** The qualities of a master playlist (empty for a single one). */
  onLevels: (levels: StreamLevel[]) => void;
  /** It cannot play: why, in words. */
  onFatal: (message: string) => void;
}

export interface StreamHandle {
  /** Pins a quality; -1 lets hls.js choose. */
  setLevel: (index: number) => void;
  destroy: () => void;
}

/** Plays the HLS video `key` in `element`. hls.js is loaded on the first HLS video,
 * not with the grid. */
export async function playStream(element: HTMLVideoElement, key: string, events: StreamEvents): Promise<StreamHandle> {
  // The playlist is on its way while hls.js loads and the media source opens.
  const early = api.streamObject(key);
  early.catch(() => {});
  prefetched.set(key, early);
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    prefetched.delete(key);
    events.onFatal('This window cannot play HLS videos: it has no Media Source Extensions.');
    return { setLevel: () => {}, destroy: () => {} };
  }
  const hls = new Hls({
    loader: CoreLoader,
    // Transmuxing on the page rather than in a worker, whose blob: script the content
    // security policy (script-src 'self') refuses.
    enableWorker: false,
  });
  let recovered = false;
  hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
    events.onLevels(data.levels.length > 1 ? data.levels.map((level, index) => ({ index, label: levelLabel(level) })) : []);
  });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    // A decode hiccup is worth one recovery; anything else fatal ends the attempt.
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
      recovered = true;
      hls.recoverMediaError();
      return;
    }
    const detail = data.response?.text ?? data.error?.message ?? data.details;
    events.onFatal(`This video cannot be played: ${detail}`);
  });
  hls.loadSource(streamUrl(key));
  hls.attachMedia(element);
  return {
    setLevel: (index) => {
      hls.currentLevel = index;
    },
    destroy: () => {
      if (prefetched.get(key) === early) prefetched.delete(key);
      hls.destroy();
    },
  };
}
