import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreatorCounts, Filter, Page, PageRequest, VideoSummary } from './api';

/** A catalog in memory behind the api: count, list_page (cursor = next row), creators,
 * mark_seen. Records what was asked. */
const catalog = vi.hoisted(() => {
  const state = {
    videos: [] as VideoSummary[],
    listCalls: [] as { request: PageRequest; skip: number }[],
    countCalls: [] as Filter[],
    creatorCalls: 0,
    prepareCalls: 0,
    prepareFails: false,
    /** While set, list_page answers wait for it. */
    gate: null as Promise<void> | null,
  };
  return state;
});

vi.mock('./api', async (original) => {
  const real = await original<typeof import('./api')>();
  const matching = (f: Filter) =>
    catalog.videos.filter((v) => (!f.unseenOnly || v.seenAt === null) && (!f.favoritesOnly || v.favorite));
  return {
    ...real,
    count: async (filter: Filter) => {
      // The missing count beside the creators is not the result's count.
      if (filter.missingOnly) return 0;
      catalog.countCalls.push(filter);
      return matching(filter).length;
    },
    listPage: async (request: PageRequest, skip = 0): Promise<Page> => {
      catalog.listCalls.push({ request, skip });
      if (catalog.gate) await catalog.gate;
      const rows = matching(request.filter);
      if (request.sort.direction === 'asc') rows.reverse();
      const start = (request.after === null ? 0 : Number(request.after)) + skip;
      const items = rows.slice(start, start + request.limit);
      const end = start + items.length;
      return { items, nextCursor: end < rows.length ? String(end) : null };
    },
    creators: async (): Promise<CreatorCounts[]> => {
      catalog.creatorCalls++;
      const unseen = catalog.videos.filter((v) => v.seenAt === null).length;
      return [{ name: 'c', videos: catalog.videos.length, favorites: 0, unseen, bytes: 0 }];
    },
    markSeen: async (key: string) => {
      const v = catalog.videos.find((x) => x.key === key)!;
      v.seenAt = 1000;
      return 1000;
    },
    setFavorite: async () => {},
    prepareSearch: async () => {
      catalog.prepareCalls++;
      if (catalog.prepareFails) throw new real.ApiError('catalogUnavailable', 'no catalog');
    },
  };
});

import { Library, PAGE_SIZE } from './library.svelte';
import { videoAt } from '../test/videos';

const video = (i: number): VideoSummary => videoAt(i);

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

beforeEach(() => {
  catalog.videos = Array.from({ length: 10_000 }, (_, i) => video(i));
  catalog.listCalls = [];
  catalog.countCalls = [];
  catalog.creatorCalls = 0;
  catalog.gate = null;
});

describe('a restored view', () => {
  it('asks its first query with the restored filter, at the restored row', async () => {
    const library = new Library();
    library.restore({ ...library.filter, unseenOnly: true }, { key: 'name', direction: 'asc' });
    await library.start(5_000);
    expect(catalog.listCalls).toHaveLength(1);
    const first = catalog.listCalls[0];
    expect(first.request.filter.unseenOnly).toBe(true);
    expect(first.request.sort).toEqual({ key: 'name', direction: 'asc' });
    expect(first.skip).toBe(Math.floor(5_000 / PAGE_SIZE) * PAGE_SIZE);
    expect(catalog.countCalls[0].unseenOnly).toBe(true);
    expect(library.item(5_000)).toBeDefined();
  });
});

describe('refreshing in place', () => {
  async function scrolledTo(row: number) {
    const library = new Library();
    await library.start();
    library.ensure(row, row + 60);
    await settle();
    expect(library.item(row)).toBeDefined();
    catalog.listCalls = [];
    catalog.countCalls = [];
    return library;
  }

  it('re-counts and brings new rows at the same place, without going to the top', async () => {
    const library = await scrolledTo(5_000);
    const resultId = library.resultId;
    // Three videos watched elsewhere (the CLI, another window) under "unseen only"...
    library.setFilter({ unseenOnly: true });
    await settle();
    library.ensure(5_000, 5_060);
    await settle();
    expect(library.total).toBe(10_000);
    const shownResult = library.resultId;
    expect(shownResult).toBe(resultId + 1);
    for (const i of [1, 2, 3]) catalog.videos[i].seenAt = 5;
    catalog.listCalls = [];

    await library.refreshInPlace();
    expect(library.total).toBe(9_997);
    // Same result id: the grid keeps its scroll position.
    expect(library.resultId).toBe(shownResult);
    // The first page on screen came by skipping to it, the next by its cursor.
    expect(catalog.listCalls[0].skip).toBe(Math.floor(5_000 / PAGE_SIZE) * PAGE_SIZE);
    expect(catalog.listCalls[0].request.after).toBeNull();
    expect(catalog.listCalls.slice(1).every((c) => c.skip === 0 && c.request.after !== null)).toBe(true);
    // Rows moved up by the three that left.
    expect(library.item(5_000)?.id).toBe(5_003);
    expect(library.item(5_059)?.id).toBe(5_062);
    expect(catalog.creatorCalls).toBeGreaterThan(1);
  });

  it('keeps the old rows on screen until the new ones are in: no placeholders', async () => {
    const library = await scrolledTo(3_000);
    let open!: () => void;
    catalog.gate = new Promise<void>((resolve) => (open = resolve));
    const refreshing = library.refreshInPlace();
    await settle();
    expect(library.item(3_000)?.id).toBe(3_000);
    expect(library.item(3_059)?.id).toBe(3_059);
    catalog.videos.splice(0, 1);
    open();
    await refreshing;
    expect(library.item(3_000)?.id).toBe(3_001);
  });

  it('runs one refresh at a time, and one more for all the events that came meanwhile', async () => {
    const library = await scrolledTo(0);
    let open!: () => void;
    catalog.gate = new Promise<void>((resolve) => (open = resolve));
    const runs = [library.refreshInPlace(), library.refreshInPlace(), library.refreshInPlace(), library.refreshInPlace()];
    await settle();
    expect(catalog.countCalls).toHaveLength(1);
    catalog.gate = null;
    open();
    await Promise.all(runs);
    expect(catalog.countCalls).toHaveLength(2);
  });

  it('waits while held (the player is open) and runs once on release', async () => {
    const library = await scrolledTo(0);
    library.holdRefreshes(true);
    await library.refreshInPlace();
    await library.refreshInPlace();
    expect(catalog.countCalls).toHaveLength(0);
    library.holdRefreshes(false);
    await settle();
    expect(catalog.countCalls).toHaveLength(1);
  });

  it('lets a pending filter change land first, and refreshes under the new filter', async () => {
    const library = await scrolledTo(0);
    const resultId = library.resultId;
    library.setFilter({ favoritesOnly: true });
    catalog.videos[7].favorite = true;
    await library.refreshInPlace();
    expect(library.resultId).toBe(resultId + 1);
    expect(catalog.countCalls.every((f) => f.favoritesOnly)).toBe(true);
    expect(library.total).toBe(1);
  });

  it('follows the user: watching a video under "unseen only" updates the count', async () => {
    const library = new Library();
    library.restore({ ...library.filter, unseenOnly: true }, library.sort);
    await library.start();
    expect(library.total).toBe(10_000);
    for (const v of [0, 1, 2].map((i) => library.item(i)!)) await library.markSeen(v);
    await settle();
    expect(library.total).toBe(9_997);
    expect(library.item(0)?.id).toBe(3);
  });
});

describe('peeking for the scrollbar label', () => {
  it('asks one row of the result on screen by skipping, unless it is loaded', async () => {
    const library = new Library();
    library.restore({ ...library.filter, unseenOnly: true }, { key: 'size', direction: 'desc' });
    await library.start();
    catalog.listCalls = [];
    expect((await library.peek(3))?.id).toBe(3);
    expect(catalog.listCalls).toHaveLength(0);
    expect((await library.peek(7_654))?.id).toBe(7_654);
    expect(catalog.listCalls).toEqual([
      { request: { filter: expect.objectContaining({ unseenOnly: true }), sort: { key: 'size', direction: 'desc' }, limit: 1, after: null }, skip: 7_654 },
    ]);
  });
});

describe('the keys of a range, for a Shift-click selection', () => {
  it('takes loaded rows as they are and asks for the rest by skipping once, then by cursor', async () => {
    const library = new Library();
    await library.start();
    catalog.listCalls = [];
    const keys = await library.keysBetween(100, 2_600);
    expect(keys).toEqual(Array.from({ length: 2_500 }, (_, i) => `c/v-${100 + i}.mp4`));
    expect(catalog.listCalls.map((c) => [c.request.limit, c.request.after, c.skip])).toEqual([
      [1000, null, PAGE_SIZE],
      [1000, String(PAGE_SIZE + 1000), 0],
      [480, String(PAGE_SIZE + 2000), 0],
    ]);
  });

  it('stops at the end of the result, and uses the filter of the result on screen', async () => {
    const library = new Library();
    await library.start();
    library.filter = { ...library.filter, favoritesOnly: true };
    catalog.listCalls = [];
    const keys = await library.keysBetween(9_990, 10_050);
    expect(keys).toHaveLength(10);
    expect(catalog.listCalls[0].request.filter.favoritesOnly).toBe(false);
    expect(library.shownFilter().favoritesOnly).toBe(false);
  });
});

describe('filters and views from the bar', () => {
  it('never asks "seen" with "unseen": the one turned on last wins', async () => {
    const library = new Library();
    await library.start();
    library.setFilter({ unseenOnly: true });
    library.setFilter({ seenOnly: true });
    await settle();
    const last = catalog.countCalls.at(-1)!;
    expect(last).toMatchObject({ seenOnly: true, unseenOnly: false });
    expect(catalog.countCalls.every((f) => !(f.seenOnly && f.unseenOnly))).toBe(true);
  });

  it('shows a saved view’s filter and sort in one reload', async () => {
    const library = new Library();
    await library.start();
    catalog.countCalls = [];
    catalog.listCalls = [];
    library.show({ ...library.filter, favoritesOnly: true }, { key: 'size', direction: 'asc' });
    await settle();
    expect(catalog.countCalls).toHaveLength(1);
    expect(catalog.listCalls[0].request).toMatchObject({ filter: { favoritesOnly: true }, sort: { key: 'size', direction: 'asc' } });
  });

  it('tells the shelf and the player’s queue of each row it changes', async () => {
    const library = new Library();
    await library.start();
    const told: [string, unknown][] = [];
    const stop = library.onRowChange((key, patch) => told.push([key, patch]));
    await library.toggleFavorite(library.item(0)!);
    library.setPosition('c/v-1.mp4', 42);
    // A video not in the loaded rows (on the shelf only) is told too.
    library.setPosition('c/v-9999.mp4', 7);
    stop();
    library.setPosition('c/v-2.mp4', 1);
    expect(told).toEqual([
      ['c/v-0.mp4', { favorite: true }],
      ['c/v-1.mp4', { position: 42 }],
      ['c/v-9999.mp4', { position: 7 }],
    ]);
  });
});

describe('getting ready for a search', () => {
  it('asks the core to ready short terms, and a failure stays quiet', async () => {
    const library = new Library();
    await library.start();
    const before = catalog.prepareCalls;
    library.prepareSearch();
    catalog.prepareFails = true;
    library.prepareSearch();
    await settle();
    catalog.prepareFails = false;
    expect(catalog.prepareCalls - before).toBe(2);
    expect(library.error).toBeNull();
  });
});
