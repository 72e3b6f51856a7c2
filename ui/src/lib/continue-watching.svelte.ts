// The Continue watching shelf above the grid: videos left part-way (a saved position;
// core clears the position of a video watched past 95%), last watched first. Shown
// while the grid shows the whole library, and only when there is something to go on
// with.

import * as api from './api';
import type { Filter, VideoSummary } from './api';
import { HISTORY_SORT, isDefaultFilter } from './filters';
import { PlayQueue, pagesAfter } from './play-queue.svelte';
import { defaultFilter } from './view';

/** Videos on the shelf: a row's worth at any window width; the player goes on past them. */
export const SHELF_SIZE = 24;

function inProgress(): Filter {
  return { ...defaultFilter(), inProgressOnly: true };
}

function pageAfter(after: string | null) {
  return api.listPage({ filter: inProgress(), sort: HISTORY_SORT, limit: SHELF_SIZE, after });
}

export class ContinueWatching {
  videos = $state.raw<VideoSummary[]>([]);
  #cursor: string | null = null;
  /** The grid's filter lets the shelf show: only then is it asked for. */
  #wanted = false;
  /** The catalog changed while it was not wanted: asked again once it is. */
  #stale = true;
  #refreshing: Promise<void> | null = null;
  #again = false;

  /** Whether the shelf is on screen above a grid under `filter`. */
  visible(filter: Filter): boolean {
    return isDefaultFilter(filter) && this.videos.length > 0;
  }

  /** The grid's filter changed: the shelf is wanted under the default filter only.
   * Resolves once a shelf wanted again is in. */
  setWanted(wanted: boolean): Promise<void> {
    this.#wanted = wanted;
    return wanted && this.#stale ? this.refresh() : Promise.resolve();
  }

  /** Asks again (the catalog changed, the player closed): now when wanted, else once it
   * is. At most one runs; any asked for meanwhile are one more run after it. */
  refresh(): Promise<void> {
    if (!this.#wanted) {
      this.#stale = true;
      return Promise.resolve();
    }
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        await this.#load();
      } while (this.#again);
    })().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #load(): Promise<void> {
    this.#stale = false;
    try {
      const page = await pageAfter(null);
      this.videos = page.items;
      this.#cursor = page.nextCursor;
    } catch {
      // The shelf keeps what it shows: a nicety is not worth a banner, and the next
      // change of the catalog asks again.
      this.#stale = true;
    }
  }

  /** The same change the grid made to a row. A position of 0 is a video finished (core
   * keeps 0 past 95%): it leaves the shelf at once. */
  update(key: string, patch: Partial<VideoSummary>): void {
    if (!this.videos.some((v) => v.key === key)) return;
    if (patch.position === 0) this.videos = this.videos.filter((v) => v.key !== key);
    else this.videos = this.videos.map((v) => (v.key === key ? { ...v, ...patch } : v));
  }

  /** What the player walks when opened from the shelf: its videos as they are now (the
   * shelf refreshing under the player must not change what "next" is), then the rest of
   * the videos in progress. */
  queue(): PlayQueue {
    return new PlayQueue(this.videos, pagesAfter(this.#cursor, pageAfter));
  }
}
