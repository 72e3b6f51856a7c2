// The grid's state: what is asked (filter, sort) and what came back (rows, total,
// creators). Components read it and change it only through its methods.

import * as api from './api';
import { ApiError } from './api';
import type { CreatorCounts, Filter, Sort, VideoSummary } from './api';
import { patchFilter } from './filters';
import { PagedResults } from './results';
import { defaultFilter, defaultSort } from './view';

/** A change to one video's row, made here (a favorite, a seen mark, a resume position). */
export type RowChange = (key: string, patch: Partial<VideoSummary>) => void;

export const PAGE_SIZE = 120;
/** The longest page core answers (its `MAX_PAGE`): how a range's unloaded rows come. */
const LONGEST_PAGE = 1000;

export class Library {
  /** Bumped by every reload, so an answer to an older question is dropped. */
  #generation = 0;
  /** The reload on its way, if any: a refresh waits for it (it shows fresh rows). */
  #reloading: Promise<void> | null = null;
  /** The refresh running, and whether another was asked for meanwhile. */
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  /** Refreshes wait while held (the player is open); one runs on release if asked. */
  #held = false;
  #refreshWhenReleased = false;
  /** Filter and sort of the result on screen, for peeking into it. */
  #shown: { filter: Filter; sort: Sort } = { filter: defaultFilter(), sort: defaultSort() };
  /** Others showing the same videos (the shelf, the player's queue): told of each row
   * change so a video reads the same wherever it is. */
  #rowListeners = new Set<RowChange>();

  filter = $state<Filter>(defaultFilter());
  sort = $state<Sort>(defaultSort());
  /** Videos matching the filter of the result on screen; null before the first. */
  total = $state<number | null>(null);
  creators = $state.raw<CreatorCounts[]>([]);
  /** Videos a sync found missing from the source and kept. */
  missingCount = $state(0);
  error = $state<ApiError | null>(null);
  /** Bumped whenever a page arrives or a row changes: what the grid re-renders on. */
  version = $state(0);
  /** The result on screen. A new filter's result replaces it only once its count and
   * first page are in: one repaint, no empty frame in between. */
  results: PagedResults = $state.raw(this.#newResults(0));
  /** Bumped when a new result replaces the one on screen (the grid goes to the top). A
   * refresh in place swaps the result without bumping it. */
  resultId = $state(0);

  allVideos = $derived(this.creators.reduce((sum, c) => sum + c.videos, 0));
  /** Rows the grid lays out: the count when known, else what has loaded. */
  rows = $derived.by(() => {
    void this.version;
    return this.total ?? this.results.knownRows;
  });

  /** Sets the filter and sort a saved view had, before anything is asked: the first
   * query is then already the restored one. */
  restore(filter: Filter, sort: Sort): void {
    this.filter = filter;
    this.sort = sort;
  }

  /** First load: creators, and the first result with the pages at `row` (a restored
   * scroll position) rather than at the top. */
  async start(row = 0): Promise<void> {
    await Promise.all([this.loadCreators(), this.reload(row)]);
  }

  async loadCreators(): Promise<void> {
    try {
      // Beside the creators: how many videos a sync kept as missing (the toolbar's
      // "Missing" filter shows only when there are any).
      const [creators, missing] = await Promise.all([
        api.creators(),
        api.count({ ...defaultFilter(), missingOnly: true }),
      ]);
      this.creators = creators;
      this.missingCount = missing;
    } catch (e) {
      this.error = ApiError.from(e);
    }
  }

  /** A search is about to be typed: the core readies what one- and two-letter terms are
   * answered from, so the first letter is as quick as the next. Best effort: a failure
   * only makes that first search slower, so it is not shown. */
  prepareSearch(): void {
    api.prepareSearch().catch(() => {});
  }

  setFilter(patch: Partial<Filter>): void {
    this.filter = patchFilter(this.filter, patch);
    void this.reload();
  }

  /** Another filter and sort at once, in one reload (a saved view, the history). */
  show(filter: Filter, sort: Sort): void {
    this.filter = patchFilter(filter, {});
    this.sort = { ...sort };
    void this.reload();
  }

  setSort(sort: Partial<Sort>): void {
    this.sort = { ...this.sort, ...sort };
    void this.reload();
  }

  /** Asks again under the current filter and sort: the count and the first page (or
   * the page at `row`) at once, then both onto the screen together. */
  reload(row = 0): Promise<void> {
    const reloading = this.#reload(row);
    this.#reloading = reloading;
    void reloading.finally(() => {
      if (this.#reloading === reloading) this.#reloading = null;
    });
    return reloading;
  }

  async #reload(row: number): Promise<void> {
    const generation = ++this.#generation;
    const next = this.#newResults(generation);
    const asked = this.#question();
    try {
      const [total] = await Promise.all([api.count(asked.filter), next.ready(row)]);
      if (generation !== this.#generation) return next.close();
      this.#show(next, total, asked);
      this.resultId++;
    } catch (e) {
      next.close();
      if (generation !== this.#generation) return;
      this.error = ApiError.from(e);
    }
  }

  /** The catalog changed (a sync, the CLI, the app's own writes): the count, the
   * creators and the rows on screen are asked again under the same filter and sort,
   * and swapped in once the rows on screen are in, at the same scroll position: no
   * jump to the top, no placeholders. At most one runs; any asked for meanwhile are
   * one more run after it. */
  refreshInPlace(options: { evenIfHeld?: boolean } = {}): Promise<void> {
    if (this.#held && !options.evenIfHeld) {
      this.#refreshWhenReleased = true;
      return Promise.resolve();
    }
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#refreshAgain = false;
        await this.#refreshOnce();
      } while (this.#refreshAgain);
    })().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  /** While held (the player is open, and walks the result by index), refreshes wait:
   * rows moving under the player would change what "next" is. */
  holdRefreshes(held: boolean): void {
    this.#held = held;
    if (!held && this.#refreshWhenReleased) {
      this.#refreshWhenReleased = false;
      void this.refreshInPlace();
    }
  }

  async #refreshOnce(): Promise<void> {
    while (this.#reloading) await this.#reloading;
    const generation = this.#generation;
    const next = this.#newResults(generation);
    const asked = this.#question();
    try {
      let wanted = this.results.wanted;
      const [total] = await Promise.all([
        api.count(asked.filter),
        next.ready(wanted[0], Math.max(wanted[1], wanted[0] + 1)),
        this.loadCreators(),
      ]);
      // The screen may have moved on while the pages came: bring those rows too.
      for (let tries = 0; tries < 3 && !sameRange(wanted, this.results.wanted); tries++) {
        wanted = this.results.wanted;
        await next.ready(wanted[0], Math.max(wanted[1], wanted[0] + 1));
      }
      if (generation !== this.#generation) return next.close();
      this.#show(next, total, asked);
    } catch (e) {
      next.close();
      if (generation !== this.#generation) return;
      this.error = ApiError.from(e);
    }
  }

  #show(next: PagedResults, total: number, asked: { filter: Filter; sort: Sort }): void {
    this.results.close();
    this.results = next;
    this.#shown = asked;
    this.total = total;
    this.error = null;
    this.version++;
  }

  item(index: number): VideoSummary | undefined {
    return this.results.item(index);
  }

  ensure(from: number, to: number): void {
    this.results.ensure(from, to);
  }

  /** The video at `index` of the result on screen, loaded or not: one row asked by
   * skipping (the scrollbar drag's label). */
  async peek(index: number): Promise<VideoSummary | undefined> {
    const known = this.results.item(index);
    if (known) return known;
    const { filter, sort } = this.#shown;
    const page = await api.listPage({ filter, sort, limit: 1, after: null }, index);
    return page.items[0];
  }

  /** The key at `index` of the result on screen, when its page is loaded. */
  keyAt(index: number): string | undefined {
    return this.results.item(index)?.key;
  }

  /** The filter of the result on screen (not the one being asked, which may be ahead
   * of it): what "select all results" means. */
  shownFilter(): Filter {
    return structuredClone(this.#shown.filter);
  }

  /** The keys of rows `from`..`to` (exclusive) of the result on screen, in order:
   * loaded rows as they are, the others asked for by skipping to the first and then by
   * cursor, a long page at a time. Stops early at the end of the result. */
  async keysBetween(from: number, to: number): Promise<string[]> {
    const { filter, sort } = this.#shown;
    const keys: string[] = [];
    let after: string | null = null;
    let at = from;
    while (at < to) {
      const known = this.results.item(at);
      if (known) {
        keys.push(known.key);
        after = null;
        at++;
        continue;
      }
      const limit = Math.min(LONGEST_PAGE, to - at);
      const page = await api.listPage({ filter, sort, limit, after }, after === null ? at : 0);
      for (const video of page.items) keys.push(video.key);
      at += page.items.length;
      if (page.items.length < limit || page.nextCursor === null) break;
      after = page.nextCursor;
    }
    return keys;
  }

  async toggleFavorite(video: VideoSummary): Promise<void> {
    const favorite = !video.favorite;
    this.#patch(video.key, { favorite });
    try {
      await api.setFavorite(video.key, favorite);
      // Under "favorites only" the video leaves (or joins) the result, and the count
      // changes: the catalog-changed event refreshes too, but the app's own change
      // should not wait for a shell that may not send it.
      if (this.filter.favoritesOnly) void this.refreshInPlace();
      else void this.loadCreators();
    } catch (e) {
      this.#patch(video.key, { favorite: !favorite });
      this.error = ApiError.from(e);
    }
  }

  async markSeen(video: VideoSummary): Promise<void> {
    try {
      const seenAt = await api.markSeen(video.key);
      this.#patch(video.key, { seenAt });
      if (this.filter.unseenOnly || this.filter.seenOnly || this.sort.key === 'seen') void this.refreshInPlace();
      else void this.loadCreators();
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

  /** Calls `listener` on each row change made here; returns the function that stops it. */
  onRowChange(listener: RowChange): () => void {
    this.#rowListeners.add(listener);
    return () => this.#rowListeners.delete(listener);
  }

  #patch(key: string, patch: Partial<VideoSummary>): void {
    if (this.results.update(key, patch)) this.version++;
    for (const listener of this.#rowListeners) listener(key, patch);
  }

  #question(): { filter: Filter; sort: Sort } {
    return { filter: $state.snapshot(this.filter), sort: $state.snapshot(this.sort) };
  }

  #newResults(generation: number): PagedResults {
    const { filter, sort } = this.#question();
    return new PagedResults(
      (after, skip) => api.listPage({ filter, sort, limit: PAGE_SIZE, after }, skip),
      {
        pageSize: PAGE_SIZE,
        // A page of the result on screen, or of the one about to replace it.
        onChange: () => this.version++,
        onError: (e) => {
          const error = ApiError.from(e);
          // The catalog changed under the cursor (a sync): the pages on screen again,
          // by skipping to them, where the user is.
          if (error.kind === 'badCursor' && generation === this.#generation) void this.refreshInPlace({ evenIfHeld: true });
          else this.error = error;
        },
      },
    );
  }
}

function sameRange(a: [number, number], b: [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
