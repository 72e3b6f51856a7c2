// What the player walks with "previous" and "next". From the grid it is the grid's own
// result (the Library, by index); from the Continue watching shelf or "Play random" it
// is a queue of its own: the videos it started with, and more fetched as the player
// nears its end. The player itself only sees a video, whether there is a next one, and
// callbacks: the queue stays the app's business.

import * as api from './api';
import type { Filter, Page, Sort, VideoSummary } from './api';

export interface PlayList {
  /** How many videos it has, or may have: "next" is offered below this. */
  readonly rows: number;
  item(index: number): VideoSummary | undefined;
  /** The videos in [from, to) are wanted soon: fetch them if they are not in. */
  ensure(from: number, to: number): void;
}

/** Where a queue's further videos come from: the next ones, and whether more follow. */
export type Continuation = () => Promise<{ items: VideoSummary[]; more: boolean }>;

export class PlayQueue implements PlayList {
  #items = $state.raw<VideoSummary[]>([]);
  #more = $state(false);
  #continuation: Continuation | null;
  #loading: Promise<void> | null = null;

  constructor(items: VideoSummary[], continuation: Continuation | null = null) {
    this.#items = uniqueByKey([], items);
    this.#continuation = continuation;
    this.#more = continuation !== null;
  }

  /** The videos in, plus one while more may come (so "next" is offered before they are). */
  get rows(): number {
    return this.#items.length + (this.#more ? 1 : 0);
  }

  item(index: number): VideoSummary | undefined {
    return this.#items[index];
  }

  ensure(_from: number, to: number): void {
    if (to > this.#items.length) void this.#fetchMore();
  }

  /** Fetches the next videos, once at a time. A failure (a busy catalog) leaves "more"
   * on: the next step asks again. */
  #fetchMore(): Promise<void> {
    if (!this.#more || !this.#continuation) return Promise.resolve();
    this.#loading ??= this.#continuation()
      .then(({ items, more }) => {
        this.#items = uniqueByKey(this.#items, items);
        this.#more = more;
      })
      .catch(() => {})
      .finally(() => (this.#loading = null));
    return this.#loading;
  }

  /** Waits for a fetch under way, if any (for tests, and for a step onto a video not in). */
  settled(): Promise<void> {
    return this.#loading ?? Promise.resolve();
  }

  /** The same change the grid made to a row (a favorite, a seen mark, a position). */
  update(key: string, patch: Partial<VideoSummary>): void {
    if (!this.#items.some((v) => v.key === key)) return;
    this.#items = this.#items.map((v) => (v.key === key ? { ...v, ...patch } : v));
  }

  /** A deleted video leaves: the ones after it move up. */
  remove(key: string): void {
    this.#items = this.#items.filter((v) => v.key !== key);
  }
}

/** A page coming twice (the catalog changed between two fetches) must not play a video
 * twice in a row. */
function uniqueByKey(have: VideoSummary[], add: VideoSummary[]): VideoSummary[] {
  const seen = new Set(have.map((v) => v.key));
  const out = [...have];
  for (const v of add) {
    if (seen.has(v.key)) continue;
    seen.add(v.key);
    out.push(v);
  }
  return out;
}

/** The pages after `cursor`, one per call; null when there is none. */
export function pagesAfter(cursor: string | null, page: (after: string) => Promise<Page>): Continuation | null {
  if (cursor === null) return null;
  let next: string = cursor;
  return async () => {
    const got = await page(next);
    if (got.nextCursor !== null) next = got.nextCursor;
    return { items: got.items, more: got.nextCursor !== null };
  };
}

export const SHUFFLE: Sort = { key: 'shuffle', direction: 'asc' };
/** Videos of a random pick fetched at a time. */
export const RANDOM_PAGE = 50;

/** A random video of the filter first, then the rest in shuffle order: core picks the
 * first uniformly over the whole result and pages on from it; past the end of the order
 * the queue goes on from its start, up to the first pick, so a small result plays all
 * its videos once. Null when nothing matches. */
export async function randomQueue(filter: Filter, limit = RANDOM_PAGE): Promise<PlayQueue | null> {
  const first = await api.randomPage(filter, limit);
  if (first.items.length === 0) return null;
  return new PlayQueue(first.items, shuffleAfter(filter, first, limit));
}

function shuffleAfter(filter: Filter, first: Page, limit: number): Continuation {
  const start = first.items[0].key;
  let cursor = first.nextCursor;
  /** Reading the order from its start, towards the first pick. */
  let wrapped = false;
  return async () => {
    if (cursor === null) {
      if (wrapped) return { items: [], more: false };
      wrapped = true;
    }
    const page = await api.listPage({ filter, sort: SHUFFLE, limit, after: cursor });
    if (wrapped) {
      const end = page.items.findIndex((v) => v.key === start);
      if (end >= 0) return { items: page.items.slice(0, end), more: false };
    }
    cursor = page.nextCursor;
    return { items: page.items, more: cursor !== null || !wrapped };
  };
}
