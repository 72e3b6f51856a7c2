// A result list of any length, held as pages around what is on screen. The grid's
// scrollbar spans the whole result (its count is known), so any row can be asked for:
// a page reached by scrolling comes by its cursor (keyset, as fast at row 900,000 as at
// row 0); a page the scrollbar jumped to comes by skipping rows, once, and its cursor
// carries on from there. Pages far from the screen are dropped, so memory stays flat
// however far a 1,000,000-video result is scrolled. Written by hand: virtualizers
// handle the DOM, not cursor-paged data.

import type { Page, VideoSummary } from './api';

/** Fetches a page: after `cursor` when known, else `skip` rows into the result. */
export type FetchPage = (cursor: string | null, skip: number) => Promise<Page>;

/** Pages asked for at once. A fast scroll or a scrollbar drag passes over hundreds of
 * pages; only those under the screen when a request slot frees up are asked for. */
const MAX_IN_FLIGHT = 2;

export class PagedResults {
  readonly pageSize: number;
  /** Pages kept beyond the visible ones, on each side. */
  readonly keep: number;
  #fetch: FetchPage;
  #pages = new Map<number, VideoSummary[]>();
  /** The cursor that starts page i (page 0 starts with null). */
  #cursors = new Map<number, string | null>([[0, null]]);
  #inflight = new Set<number>();
  /** Set when a page came back short or without a next cursor: the true end. */
  #endAt: number | null = null;
  #onChange: () => void;
  #onError: (e: unknown) => void;
  #closed = false;
  /** Waiting for a range of pages: see `ready`. */
  #waiting: { first: number; last: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** The rows last asked for, asked again as pages arrive. */
  #wanted: [number, number] = [0, 0];

  constructor(
    fetch: FetchPage,
    options: { pageSize: number; keep?: number; onChange: () => void; onError: (e: unknown) => void },
  ) {
    this.#fetch = fetch;
    this.pageSize = options.pageSize;
    this.keep = options.keep ?? 8;
    this.#onChange = options.onChange;
    this.#onError = options.onError;
  }

  /** Rows known to exist: the end when reached, else what is loaded so far. */
  get knownRows(): number {
    if (this.#endAt !== null) return this.#endAt;
    let max = 0;
    for (const [index, items] of this.#pages) max = Math.max(max, index * this.pageSize + items.length);
    return max;
  }

  get reachedEnd(): boolean {
    return this.#endAt !== null;
  }

  get loadedPages(): number {
    return this.#pages.size;
  }

  /** The rows last asked for with `ensure`: from (inclusive) to (exclusive). */
  get wanted(): [number, number] {
    return [...this.#wanted];
  }

  item(index: number): VideoSummary | undefined {
    return this.#pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Makes rows `from`..`to` (exclusive) available, and drops pages far from them. */
  ensure(from: number, to: number): void {
    if (this.#closed) return;
    this.#wanted = [from, to];
    const [first, last] = this.#pagesOf(from, to);
    for (let page = first; page <= last; page++) {
      if (this.#endAt !== null && page * this.pageSize >= this.#endAt) break;
      if (this.#pages.has(page) || this.#inflight.has(page)) continue;
      if (this.#inflight.size >= MAX_IN_FLIGHT) break;
      // The page before is on its way with this page's cursor: wait for it rather than
      // skip rows to get here (each arrival asks again).
      if (!this.#cursors.has(page) && this.#inflight.has(page - 1)) break;
      void this.#load(page);
    }
    for (const page of [...this.#pages.keys()]) {
      if (page < first - this.keep || page > last + this.keep) this.#pages.delete(page);
    }
  }

  /** Resolves when the pages holding rows `from`..`to` are in (at once if they are),
   * so a new result can replace the old one on screen in a single step: the first page
   * for a new filter, the pages on screen for a restored view or a refresh in place.
   * The first of those pages comes by skipping rows, the others by its cursor. */
  ready(from = 0, to = from + 1): Promise<void> {
    const [first, last] = this.#pagesOf(from, to);
    if (this.#covered(first, last)) return Promise.resolve();
    const waiting = new Promise<void>((resolve, reject) => this.#waiting.push({ first, last, resolve, reject }));
    this.ensure(from, to);
    return waiting;
  }

  /** Changes one loaded row in place (favorite, seen), wherever it is. */
  update(key: string, patch: Partial<VideoSummary>): boolean {
    for (const [index, items] of this.#pages) {
      const at = items.findIndex((v) => v.key === key);
      if (at >= 0) {
        const next = items.slice();
        next[at] = { ...next[at], ...patch };
        this.#pages.set(index, next);
        return true;
      }
    }
    return false;
  }

  /** Stops every answer still on its way from landing (the filter changed). */
  close(): void {
    this.#closed = true;
    // Whoever waits for this result to be ready will not show it: let them go on.
    for (const w of this.#waiting.splice(0)) w.reject(new Error('the result was replaced'));
  }

  #pagesOf(from: number, to: number): [number, number] {
    const first = Math.max(0, Math.floor(from / this.pageSize));
    return [first, Math.max(first, Math.floor(Math.max(from, to - 1) / this.pageSize))];
  }

  /** Every page of the range is loaded, or past the end. */
  #covered(first: number, last: number): boolean {
    for (let page = first; page <= last; page++) {
      if (this.#endAt !== null && page * this.pageSize >= this.#endAt) return true;
      if (!this.#pages.has(page)) return false;
    }
    return true;
  }

  async #load(page: number): Promise<void> {
    this.#inflight.add(page);
    const cursor = this.#cursors.get(page);
    try {
      const result =
        cursor !== undefined ? await this.#fetch(cursor, 0) : await this.#fetch(null, page * this.pageSize);
      if (this.#closed) {
        this.#inflight.delete(page);
        return;
      }
      this.#pages.set(page, result.items);
      this.#cursors.set(page + 1, result.nextCursor);
      if (result.nextCursor === null) {
        const end = page * this.pageSize + result.items.length;
        this.#endAt = this.#endAt === null ? end : Math.min(this.#endAt, end);
      }
      this.#inflight.delete(page);
      const done = this.#waiting.filter((w) => this.#covered(w.first, w.last));
      this.#waiting = this.#waiting.filter((w) => !done.includes(w));
      for (const w of done) w.resolve();
      this.#onChange();
      this.ensure(...this.#wanted);
    } catch (e) {
      // No retry here: a failing page would be asked for in a loop. The next scroll or
      // reload asks again. A page someone waits for fails them (a new result is then
      // not shown); any other goes to onError.
      this.#inflight.delete(page);
      const failed = this.#waiting.filter((w) => w.first <= page && page <= w.last);
      this.#waiting = this.#waiting.filter((w) => !failed.includes(w));
      for (const w of failed) w.reject(e);
      if (failed.length === 0 && !this.#closed) this.#onError(e);
    }
  }
}
