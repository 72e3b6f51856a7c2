// The grid's state: what is asked (filter, sort) and what came back (items, cursor,
// total, creators). Components read it and change it only through its methods.

import * as api from './api';
import { ApiError } from './api';
import type { CreatorCounts, Filter, Sort, VideoSummary } from './api';

export const PAGE_SIZE = 120;

export function emptyFilter(): Filter {
  return {
    creators: [],
    favoritesOnly: false,
    unseenOnly: false,
    search: null,
    dateFrom: null,
    dateTo: null,
    minQuality: null,
  };
}

export class Library {
  filter = $state<Filter>(emptyFilter());
  sort = $state<Sort>({ key: 'date', direction: 'desc' });
  /** Raw: a deep proxy over tens of thousands of rows costs more than it gives; a
   * change replaces the array or the row. */
  items = $state.raw<VideoSummary[]>([]);
  cursor = $state<string | null>(null);
  /** Videos matching the filter; null while counting. */
  total = $state<number | null>(null);
  creators = $state.raw<CreatorCounts[]>([]);
  loading = $state(false);
  /** Whether the first page under the current filter has arrived. */
  started = $state(false);
  error = $state<ApiError | null>(null);

  hasMore = $derived(!this.started || this.cursor !== null);
  allVideos = $derived(this.creators.reduce((sum, c) => sum + c.videos, 0));

  /** Bumped by every reload, so an answer to an older question is dropped. */
  #generation = 0;

  /** First load: creators and the first page. */
  async start(): Promise<void> {
    await Promise.all([this.loadCreators(), this.reload()]);
  }

  async loadCreators(): Promise<void> {
    try {
      this.creators = await api.creators();
    } catch (e) {
      this.error = ApiError.from(e);
    }
  }

  setFilter(patch: Partial<Filter>): void {
    this.filter = { ...this.filter, ...patch };
    void this.reload();
  }

  setSort(sort: Partial<Sort>): void {
    this.sort = { ...this.sort, ...sort };
    void this.reload();
  }

  /** Starts again from the first page under the current filter and sort. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.items = [];
    this.cursor = null;
    this.total = null;
    this.started = false;
    this.error = null;
    this.loading = false;
    const filter = $state.snapshot(this.filter);
    const counting = api.count(filter).then(
      (total) => {
        if (generation === this.#generation) this.total = total;
      },
      (e) => {
        if (generation === this.#generation) this.error = ApiError.from(e);
      },
    );
    await Promise.all([this.loadMore(), counting]);
  }

  /** The next page, if there is one and none is on its way. */
  async loadMore(): Promise<void> {
    if (this.loading || !this.hasMore) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await api.listPage({
        filter: $state.snapshot(this.filter),
        sort: $state.snapshot(this.sort),
        limit: PAGE_SIZE,
        after: this.cursor,
      });
      if (generation !== this.#generation) return;
      this.items = this.items.length === 0 ? page.items : this.items.concat(page.items);
      this.cursor = page.nextCursor;
      this.started = true;
    } catch (e) {
      if (generation !== this.#generation) return;
      const error = ApiError.from(e);
      if (error.kind === 'badCursor') {
        // The catalog changed under the cursor (a sync, a new version): start over.
        void this.reload();
        return;
      }
      this.error = error;
      // Stop asking until the user changes something; a sentinel would retry forever.
      this.started = true;
      this.cursor = null;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async toggleFavorite(video: VideoSummary): Promise<void> {
    const favorite = !video.favorite;
    this.#replace(video.key, { favorite });
    try {
      await api.setFavorite(video.key, favorite);
      void this.loadCreators();
    } catch (e) {
      this.#replace(video.key, { favorite: !favorite });
      this.error = ApiError.from(e);
    }
  }

  async markSeen(video: VideoSummary): Promise<void> {
    try {
      const seenAt = await api.markSeen(video.key);
      this.#replace(video.key, { seenAt });
      void this.loadCreators();
    } catch (e) {
      this.error = ApiError.from(e);
    }
  }

  dismissError(): void {
    this.error = null;
  }

  #replace(key: string, patch: Partial<VideoSummary>): void {
    const index = this.items.findIndex((v) => v.key === key);
    if (index < 0) return;
    const next = this.items.slice();
    next[index] = { ...next[index], ...patch };
    this.items = next;
  }
}
