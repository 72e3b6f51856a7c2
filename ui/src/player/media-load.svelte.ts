// Getting one video to play: its links and detail, a time limit to the first frame and
// on stalls, and when it fails, check_media and the sentence for it (failure.ts). A
// paused or stalled server must not leave the player on a spinner forever.

import * as api from '../lib/api';
import { ApiError } from '../lib/api';
import type { VideoDetail } from '../lib/api';
import { withTimeout } from '../lib/time';
import { forgetUrls, urlsFor } from '../lib/urls';
import { decideFailure, type FailureAction, type FailureFacts } from './failure';

/** No first frame in this long, or playback waiting for data this long, is a failure. */
export const LOAD_LIMIT_MS = 15_000;
/** check_media asks the same server, which may hang too. */
export const CHECK_LIMIT_MS = 8_000;

export class MediaLoad {
  src = $state<string | null>(null);
  /** An HLS video's key, played through hls.js (stream.ts) rather than from `src`. */
  stream = $state<string | null>(null);
  detail = $state.raw<VideoDetail | null>(null);
  /** Why it does not play, in words, and what the message offers. */
  error = $state<string | null>(null);
  action = $state<FailureAction>(null);
  /** Asking the server why (check_media). */
  checking = $state(false);
  /** Bumped by each load: a new <video> element, even for a link equal to the last. */
  attempt = $state(0);

  #element: () => HTMLVideoElement | undefined;
  #key = '';
  #isPlaylist = false;
  #expiresAt = 0;
  /** The links of this attempt were renewed: the automatic renewal is spent. */
  #renewed = false;
  /** Where to go on after a retry (a stall mid-video). */
  #resumeFrom: number | null = null;
  #loadTimer: ReturnType<typeof setTimeout> | undefined;
  #stallTimer: ReturnType<typeof setTimeout> | undefined;

  /** Where the library's videos are, for what a failure says. */
  place: 'bucket' | 'folder' = 'bucket';

  constructor(element: () => HTMLVideoElement | undefined) {
    this.#element = element;
  }

  /** A new video; `isPlaylist` for an HLS one. */
  open(key: string, isPlaylist = false): void {
    this.#key = key;
    this.#isPlaylist = isPlaylist;
    this.detail = null;
    this.#resumeFrom = null;
    void this.#load(false);
  }

  /** Fresh links, and another go. */
  retry(): void {
    void this.#load(true);
  }

  /** A failure that is not the media's (a delete that failed), with Retry. */
  fail(message: string): void {
    this.#clearTimers();
    this.error = message;
    this.action = 'retry';
  }

  /** loadeddata / canplay: the time limit is met. */
  firstFrame(): void {
    clearTimeout(this.#loadTimer);
    const element = this.#element();
    if (this.#resumeFrom !== null && element) {
      element.currentTime = this.#resumeFrom;
      this.#resumeFrom = null;
    }
  }

  /** waiting: meant to play, no data. A stall once it lasts. */
  waiting(): void {
    const element = this.#element();
    if (!element || element.paused) return;
    clearTimeout(this.#stallTimer);
    this.#stallTimer = setTimeout(() => void this.#failed('stall', null), LOAD_LIMIT_MS);
  }

  /** playing, time moving on, seeked, paused: not a stall. */
  progressing(): void {
    clearTimeout(this.#stallTimer);
  }

  mediaError(code: number | null): void {
    void this.#failed('error', code);
  }

  /** hls.js gave up: the core fetched what it could, so there is no link to renew and
   * nothing more to ask the server; say why, with Retry. */
  streamFailed(message: string): void {
    if (this.error) return;
    this.#clearTimers();
    const element = this.#element();
    if (element && element.currentTime > 0) this.#resumeFrom = element.currentTime;
    this.stream = null;
    this.error = message;
    this.action = 'retry';
  }

  dispose(): void {
    this.#clearTimers();
    this.#key = '';
  }

  /** `renew` forgets the cached links first. The whole load, links included, has
   * LOAD_LIMIT_MS to reach a first frame. */
  async #load(renew: boolean): Promise<void> {
    const key = this.#key;
    this.#clearTimers();
    if (renew) forgetUrls(key);
    this.#renewed = renew;
    this.src = null;
    this.stream = null;
    this.error = null;
    this.action = null;
    this.checking = false;
    this.attempt++;
    this.#loadTimer = setTimeout(() => void this.#failed('timeout', null), LOAD_LIMIT_MS);
    if (this.#isPlaylist) {
      // No links: the core fetches each part as hls.js asks for it, which starts at
      // once; the detail (the saved position) comes beside it.
      this.#expiresAt = Number.POSITIVE_INFINITY;
      this.stream = key;
      try {
        const detail = this.detail ?? (await api.getVideo(key));
        if (key !== this.#key) return;
        this.detail = detail;
      } catch (e) {
        if (key !== this.#key) return;
        this.#clearTimers();
        const err = ApiError.from(e);
        this.stream = null;
        this.error = `This video cannot be played: ${err.message}`;
        this.action = 'retry';
      }
      return;
    }
    try {
      const [urls, detail] = await Promise.all([urlsFor(key), this.detail ?? api.getVideo(key)]);
      if (key !== this.#key) return;
      this.detail = detail;
      this.#expiresAt = urls.video.expiresAt ?? Number.POSITIVE_INFINITY;
      this.src = urls.video.url;
    } catch (e) {
      if (key !== this.#key) return;
      this.#clearTimers();
      const err = ApiError.from(e);
      this.error = err.kind === 'notConnected' ? err.message : `This video cannot be played: ${err.message}`;
      this.action = err.kind === 'notConnected' ? 'settings' : 'retry';
    }
  }

  /** Ask the server why (with its own time limit), then renew the links once, or say
   * what happened and what can be done. */
  async #failed(cause: FailureFacts['cause'], code: number | null): Promise<void> {
    const key = this.#key;
    if (this.checking || this.error) return;
    this.#clearTimers();
    const element = this.#element();
    if (element && element.currentTime > 0) this.#resumeFrom = element.currentTime;
    element?.pause();
    this.checking = true;
    const check = await withTimeout(api.checkMedia(key), CHECK_LIMIT_MS).catch(() => null);
    if (key !== this.#key || !this.checking) return;
    this.checking = false;
    const expired = Date.now() >= this.#expiresAt;
    const decision = decideFailure({ cause, code, expired, renewed: this.#renewed, check, place: this.place });
    if (decision.kind === 'renew') return void this.#load(true);
    this.src = null;
    this.error = decision.text;
    this.action = decision.action;
  }

  #clearTimers(): void {
    clearTimeout(this.#loadTimer);
    clearTimeout(this.#stallTimer);
  }
}
