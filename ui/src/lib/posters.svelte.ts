// Posters as the app shows them: one queue for the page (poster-queue.ts) over the core's
// kept posters and the page's decoder (poster-frame.ts), the grid telling it what is on
// screen, each card asking it for the video it shows. A module, like urls.ts, so that a
// sync or a delete can forget what it holds without a component between them.

import * as api from './api';
import { frameOf } from './poster-frame';
import { PosterQueue } from './poster-queue';
import { withTimeout } from './time';

// Through arrows, not the functions themselves: the tests replace the api module's.
const posters = new PosterQueue({
  poster: (key) => api.poster(key),
  posterSource: (key) => api.posterSource(key),
  frameOf: (media) => frameOf(media),
  savePoster: (key, jpeg) => api.savePoster(key, jpeg),
  posterFailed: (key, reason) => api.posterFailed(key, reason),
});

/** The grid's cards from index `first` to `last` are on screen: their posters first. */
export function showPosters(first: number, last: number): void {
  posters.showing(first, last);
}

/** The page is about to go: no poster is made from now on, and this resolves once those
 * under way have ended, or after `limitMs` (see `PosterQueue.settle`). */
export function settlePosters(limitMs = 3000): Promise<void> {
  // Past the limit the page goes all the same: a stuck decode must not keep it.
  return withTimeout(posters.settle(), limitMs).catch(() => {});
}

/** A deleted video's poster must not be shown again. */
export function forgetPoster(key: string): void {
  posters.forget(key);
}

/** After a sync: videos may have changed, or gained previews to make a poster from. */
export function forgetAllPosters(): void {
  posters.forgetAll();
}

/** The poster of the video a card shows, kept current as the card is recycled to other
 * videos. Create it while the card initialises: it asks the queue from an effect, and
 * the card leaving (or showing another video) takes its place in the line back. */
export class CardPoster {
  #key: () => string;
  /** The queue's answer, with the key it was for: a recycled card must never show the
   * last video's poster, even for the moment before its new answer. */
  #answer = $state.raw<{ key: string; url: string | null } | null>(null);
  /** The URL whose image has loaded, or would not. */
  #loaded = $state<string | null>(null);
  #broken = $state<string | null>(null);

  constructor(key: () => string, rank: () => number, queue: PosterQueue = posters) {
    this.#key = key;
    $effect(() => {
      const shown = key();
      return queue.want(shown, rank(), (url) => (this.#answer = { key: shown, url }));
    });
  }

  /** The `blob:` URL of the JPEG to show; null while waiting and when there is none. */
  get url(): string | null {
    const answer = this.#answer;
    if (!answer || answer.key !== this.#key() || answer.url === this.#broken) return null;
    return answer.url;
  }

  /** `made` once the image has loaded, `none` when the placeholder stays; null while
   * waiting. What the end-to-end tests wait on. */
  get state(): 'made' | 'none' | null {
    const answer = this.#answer;
    if (!answer || answer.key !== this.#key()) return null;
    if (answer.url === null || answer.url === this.#broken) return 'none';
    return answer.url === this.#loaded ? 'made' : null;
  }

  /** The image of `url` has loaded: it fades in. */
  loaded(url: string): void {
    this.#loaded = url;
  }

  /** The image of `url` would not load (a kept JPEG gone bad): the placeholder stays. */
  broke(url: string): void {
    this.#broken = url;
  }
}
