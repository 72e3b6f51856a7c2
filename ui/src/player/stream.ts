// HLS videos in the player: hls.js over Media Source Extensions (WebKitGTK no longer
// plays HLS itself), its playlists, segments and keys fetched by the core over IPC.
//
// Why the core fetches: a private bucket's parts need signing, and hls.js fetches by
// XHR, which a bucket without a CORS rule for the app's origin refuses; the player must
// play from any bucket as it is. The core signs each request itself, so nothing the page
// holds expires during a long video, and a folder library's parts come the same way. (A
// custom URI scheme would carry the bytes too; IPC is the path posters already take, and
// needs neither a scheme per platform nor a CSP entry.)

import type Hls from 'hls.js';
import type {
  FragmentLoaderContext,
  HlsConfig,
  Level,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderContext,
  LoaderStats,
} from 'hls.js';
import * as api from '../lib/api';
import { ApiError } from '../lib/api';
import { resumeAt } from './shortcuts';

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

/** Parts fetched ahead of hls.js asking, kept at most: a seek leaves some unused. */
const AHEAD_KEPT = 4;

/** The objects of one stream, fetched from the core. hls.js asks for one segment at a
 * time, when the last is in the buffer; so that each request does not wait a whole round
 * trip to the bucket, the next segment is fetched while the one asked for is, and the
 * playlist while hls.js loads and the media source opens. */
export class Parts {
  #ahead = new Map<string, Promise<ArrayBuffer>>();
  #fetch: (key: string) => Promise<ArrayBuffer>;

  constructor(fetch: (key: string) => Promise<ArrayBuffer> = api.streamObject) {
    this.#fetch = fetch;
  }

  /** Starts fetching `key`, for the `take` that comes for it. */
  ahead(key: string): void {
    if (this.#ahead.has(key)) return;
    const bytes = this.#fetch(key);
    // Failed, it fails the take that comes for it; unasked, nobody needs to hear.
    bytes.catch(() => {});
    this.#ahead.set(key, bytes);
    if (this.#ahead.size > AHEAD_KEPT) this.#ahead.delete(this.#ahead.keys().next().value as string);
  }

  /** The bytes of `key`: those fetched ahead, once, else fetched now. */
  take(key: string): Promise<ArrayBuffer> {
    const early = this.#ahead.get(key);
    if (early) {
      this.#ahead.delete(key);
      return early;
    }
    return this.#fetch(key);
  }

  clear(): void {
    this.#ahead.clear();
  }
}

/** The keys worth fetching before hls.js asks for them, given what it asks for now. */
export type Following = (context: LoaderContext) => string[];

/** An hls.js loader whose bytes come from the core. */
export class CoreLoader implements Loader<LoaderContext> {
  context: LoaderContext | null = null;
  stats: LoaderStats = freshStats();
  #aborted = false;
  #parts: Parts;
  #following: Following;

  // hls.js constructs loaders with its config, nothing of which applies here; a stream's
  // loader class (see `playStream`) passes its parts and what follows a request.
  constructor(_config?: HlsConfig, parts: Parts = new Parts(), following: Following = () => []) {
    this.#parts = parts;
    this.#following = following;
  }

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
    const bytes = this.#parts.take(key);
    for (const next of this.#following(context)) this.#parts.ahead(next);
    bytes.then(
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

/** Where hls.js starts: where the video was left when the player would resume there
 * (`resumeAt`; a master playlist's length is not known yet, so only its lower bound
 * applies), else from the start (-1). */
export function startPosition(position: number, duration: number): number {
  if (Number.isNaN(duration)) return position > 2 ? position : -1;
  return resumeAt(position, duration) ?? -1;
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
  /** Where the video was left, in seconds (0: from the start). */
  position: number;
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
  const parts = new Parts();
  parts.ahead(key);
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    parts.clear();
    events.onFatal('This window cannot play HLS videos: it has no Media Source Extensions.');
    return { setLevel: () => {}, destroy: () => {} };
  }
  /** The media segment after the one asked for, of the same quality (alternate audio
   * renditions are left to hls.js). */
  const following: Following = (context) => {
    const frag = (context as FragmentLoaderContext).frag;
    if (!frag || frag.type !== 'main' || typeof frag.sn !== 'number') return [];
    const details = hls.levels[frag.level]?.details;
    const next = details?.fragments[frag.sn - details.startSN + 1];
    const nextKey = next ? keyOf(next.url) : null;
    return nextKey === null ? [] : [nextKey];
  };
  const hls: Hls = new Hls({
    loader: class extends CoreLoader {
      constructor(config: HlsConfig) {
        super(config, parts, following);
      }
    },
    // Transmuxing on the page rather than in a worker, whose blob: script the content
    // security policy (script-src 'self') refuses.
    enableWorker: false,
    // Started below, once hls.js can ask for a segment at once and knows which one.
    autoStartLoad: false,
  });
  let recovered = false;
  // Loading starts when the media source is open and the playlist parsed, whichever comes
  // last: started before the media is attached, hls.js asks for the first segment only at
  // its next 100 ms tick (measured: 100 ms of a 280 ms first frame). It starts with the
  // segment where the video was left, not with the first one and then a seek (two more
  // segments fetched and a flush before the first frame).
  let attached = false;
  let duration: number | null = null;
  const startWhenReady = () => {
    if (attached && duration !== null) hls.startLoad(startPosition(events.position, duration));
  };
  hls.on(Hls.Events.MEDIA_ATTACHED, () => {
    attached = true;
    startWhenReady();
  });
  hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
    events.onLevels(data.levels.length > 1 ? data.levels.map((level, index) => ({ index, label: levelLabel(level) })) : []);
    // A media playlist comes with its length; a master's is known once a variant is read.
    duration = data.levels.length === 1 ? (data.levels[0].details?.totalduration ?? Number.NaN) : Number.NaN;
    startWhenReady();
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
  hls.attachMedia(element);
  hls.loadSource(streamUrl(key));
  return {
    setLevel: (index) => {
      hls.currentLevel = index;
    },
    destroy: () => {
      parts.clear();
      hls.destroy();
    },
  };
}
