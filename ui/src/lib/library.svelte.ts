// The grid's state: what is asked (filter, sort) and what came back (rows, total,
// creators). Components read it and change it only through its methods.

import * as api from './api';
import { ApiError } from './api';
import type { CreatorCounts, Filter, Sort, VideoSummary } from './api';
import { PagedResults } from './results';

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
  /** Bumped by every reload, so an answer to an older question is dropped. */
  #generation = 0;
  filter = $state<Filter>(emptyFilter());
  sort = $state<Sort>({ key: 'date', direction: 'desc' });
  /** Videos matching the filter of the result on screen; null before the first. */
  total = $state<number | null>(null);
  creators = $state.raw<CreatorCounts[]>([]);
  error = $state<ApiError | null>(null);
  /** Bumped whenever a page arrives or a row changes: what the grid re-renders on. */
  version = $state(0);
  /** The result on screen. A new filter's result replaces it only once its count and
   * first page are in: one repaint, no empty frame in between. */
  results: PagedResults = $state.raw(this.#newResults(0));
  /** Bumped when a new result replaces the one on screen (the grid goes to the top). */
  resultId = $state(0);

  allVideos = $derived(this.creators.reduce((sum, c) => sum + c.videos, 0));
  /** Rows the grid lays out: the count when known, else what has loaded. */
  rows = $derived.by(() => {
    void this.version;
    return this.total ?? this.results.knownRows;
  });

  /** First load: creators and the first result. */
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

  /** Asks again under the current filter and sort: the count and the first page at
   * once, then both onto the screen together. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const next = this.#newResults(generation);
    try {
      const [total] = await Promise.all([api.count($state.snapshot(this.filter)), next.ready()]);
      if (generation !== this.#generation) return next.close();
      this.results.close();
      this.results = next;
      this.total = total;
      this.error = null;
      this.resultId++;
      this.version++;
    } catch (e) {
      next.close();
      if (generation !== this.#generation) return;
      this.error = ApiError.from(e);
    }
  }

  /** After a sync: new counts, new creators, rows from the top. */
  async refresh(): Promise<void> {
    await Promise.all([this.loadCreators(), this.reload()]);
  }

  item(index: number): VideoSummary | undefined {
    return this.results.item(index);
  }

  ensure(from: number, to: number): void {
    this.results.ensure(from, to);
  }

  async toggleFavorite(video: VideoSummary): Promise<void> {
    const favorite = !video.favorite;
    this.#patch(video.key, { favorite });
    try {
      await api.setFavorite(video.key, favorite);
      void this.loadCreators();
    } catch (e) {
      this.#patch(video.key, { favorite: !favorite });
      this.error = ApiError.from(e);
    }
  }

  async markSeen(video: VideoSummary): Promise<void> {
    try {
      const seenAt = await api.markSeen(video.key);
      this.#patch(video.key, { seenAt });
      void this.loadCreators();
    } catch (e) {
      this.error = ApiError.from(e);
    }
  }

  /** Remembers a saved resume position on the row, so reopening resumes there. */
  setPosition(key: string, position: number): void {
    this.#patch(key, { position });
  }

  dismissError(): void {
    this.error = null;
  }

  #patch(key: string, patch: Partial<VideoSummary>): void {
    if (this.results.update(key, patch)) this.version++;
  }

  #newResults(generation: number): PagedResults {
    const filter = $state.snapshot(this.filter);
    const sort = $state.snapshot(this.sort);
    return new PagedResults(
      (after, skip) => api.listPage({ filter, sort, limit: PAGE_SIZE, after }, skip),
      {
        pageSize: PAGE_SIZE,
        // A page of the result on screen, or of the one about to replace it.
        onChange: () => this.version++,
        onError: (e) => {
          const error = ApiError.from(e);
          // The catalog changed under the cursor (a sync): start over.
          if (error.kind === 'badCursor' && generation === this.#generation) void this.reload();
          else this.error = error;
        },
      },
    );
  }
}
