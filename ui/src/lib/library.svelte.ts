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
  /** Videos matching the filter; null while counting. */
  total = $state<number | null>(null);
  creators = $state.raw<CreatorCounts[]>([]);
  error = $state<ApiError | null>(null);
  /** Bumped whenever a page arrives or a row changes: what the grid re-renders on. */
  version = $state(0);
  results: PagedResults = $state.raw(this.#newResults());

  allVideos = $derived(this.creators.reduce((sum, c) => sum + c.videos, 0));
  /** Rows the grid lays out: the count when known, else what has loaded. */
  rows = $derived.by(() => {
    void this.version;
    return this.total ?? this.results.knownRows;
  });

  /** First load: creators and the count (pages come as the grid asks for rows). */
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

  /** Starts again under the current filter and sort. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.results.close();
    this.results = this.#newResults();
    this.total = null;
    this.error = null;
    this.version++;
    try {
      const total = await api.count($state.snapshot(this.filter));
      if (generation === this.#generation) this.total = total;
    } catch (e) {
      if (generation === this.#generation) this.error = ApiError.from(e);
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

  /** A deleted video leaves the grid: rows after it move up. */
  async removed(): Promise<void> {
    await this.refresh();
  }

  dismissError(): void {
    this.error = null;
  }

  #patch(key: string, patch: Partial<VideoSummary>): void {
    if (this.results.update(key, patch)) this.version++;
  }

  #newResults(): PagedResults {
    const filter = $state.snapshot(this.filter);
    const sort = $state.snapshot(this.sort);
    const generation = this.#generation;
    return new PagedResults(
      (after, skip) => api.listPage({ filter, sort, limit: PAGE_SIZE, after }, skip),
      {
        pageSize: PAGE_SIZE,
        onChange: () => {
          if (generation === this.#generation) this.version++;
        },
        onError: (e) => {
          const error = ApiError.from(e);
          // The catalog changed under the cursor (a sync): start over.
          if (error.kind === 'badCursor') void this.reload();
          else this.error = error;
        },
      },
    );
  }
}
