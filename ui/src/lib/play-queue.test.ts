import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Filter, Page, PageRequest, VideoSummary } from './api';

/** A shuffle order of `order.length` videos behind randomPage and listPage; the pick is
 * `pick` (the index core's random skip lands on). Cursor = the next index. */
const shuffle = vi.hoisted(() => ({
  order: [] as VideoSummary[],
  pick: 0,
  randomCalls: [] as { filter: Filter; limit: number }[],
  listCalls: [] as PageRequest[],
}));

vi.mock('./api', async (original) => {
  const real = await original<typeof import('./api')>();
  const pageAt = (start: number, limit: number): Page => {
    const items = shuffle.order.slice(start, start + limit);
    const end = start + items.length;
    return { items, nextCursor: end < shuffle.order.length ? String(end) : null };
  };
  return {
    ...real,
    randomPage: async (filter: Filter, limit: number) => {
      shuffle.randomCalls.push({ filter, limit });
      return shuffle.order.length === 0 ? { items: [], nextCursor: null } : pageAt(shuffle.pick, limit);
    },
    listPage: async (request: PageRequest) => {
      shuffle.listCalls.push(request);
      return pageAt(request.after === null ? 0 : Number(request.after), request.limit);
    },
  };
});

import { PlayQueue, pagesAfter, randomQueue } from './play-queue.svelte';
import { defaultFilter } from './view';
import { videoAt } from '../test/videos';

const video = (i: number): VideoSummary => videoAt(i);

/** Walks the queue as the player's "next" does (App's step), to the end. */
async function walk(queue: PlayQueue): Promise<string[]> {
  const keys: string[] = [];
  for (let index = 0; index < queue.rows; index++) {
    queue.ensure(Math.max(0, index - 1), index + 2);
    await queue.settled();
    const v = queue.item(index);
    if (v) keys.push(v.key);
  }
  return keys;
}

beforeEach(() => {
  shuffle.order = Array.from({ length: 7 }, (_, i) => video(i));
  shuffle.pick = 0;
  shuffle.randomCalls = [];
  shuffle.listCalls = [];
});

describe('play random', () => {
  it('asks core for a random video of the current filter and opens it first', async () => {
    const filter = { ...defaultFilter(), favoritesOnly: true };
    shuffle.pick = 4;
    const queue = (await randomQueue(filter, 3))!;
    expect(shuffle.randomCalls).toEqual([{ filter, limit: 3 }]);
    expect(queue.item(0)?.key).toBe('c/v-4.mp4');
    expect(queue.rows).toBeGreaterThan(1);
  });

  it('goes on in shuffle order from the page, then from the order’s start up to the pick: each video once', async () => {
    shuffle.pick = 4;
    const filter = defaultFilter();
    const queue = (await randomQueue(filter, 2))!;
    const keys = await walk(queue);
    expect(keys).toEqual([4, 5, 6, 0, 1, 2, 3].map((i) => `c/v-${i}.mp4`));
    // Pages after the first come by cursor, in shuffle order, under the same filter.
    expect(shuffle.listCalls[0]).toEqual({ filter, sort: { key: 'shuffle', direction: 'asc' }, limit: 2, after: '6' });
    expect(shuffle.listCalls.every((r) => r.sort.key === 'shuffle' && r.filter === filter)).toBe(true);
    expect(queue.rows).toBe(7);
  });

  it('plays the whole order once when the pick is its first video', async () => {
    const keys = await walk((await randomQueue(defaultFilter(), 3))!);
    expect(keys).toEqual(shuffle.order.map((v) => v.key));
  });

  it('gives no queue when nothing matches', async () => {
    shuffle.order = [];
    expect(await randomQueue(defaultFilter())).toBeNull();
  });
});

describe('a play queue', () => {
  it('offers "next" while more may come, and not past its end', async () => {
    const queue = new PlayQueue([video(0), video(1)], null);
    expect(queue.rows).toBe(2);
    const more = new PlayQueue([video(0)], pagesAfter('1', async () => ({ items: [video(1)], nextCursor: null })));
    expect(more.rows).toBe(2);
    more.ensure(0, 2);
    await more.settled();
    expect(more.item(1)?.key).toBe('c/v-1.mp4');
    expect(more.rows).toBe(2);
  });

  it('follows the grid’s row changes, drops a deleted video, and never holds one twice', async () => {
    const queue = new PlayQueue([video(0), video(1)], pagesAfter('x', async () => ({ items: [video(1), video(2)], nextCursor: null })));
    queue.update('c/v-1.mp4', { favorite: true });
    expect(queue.item(1)?.favorite).toBe(true);
    queue.update('c/elsewhere.mp4', { favorite: true });
    queue.ensure(1, 3);
    await queue.settled();
    expect([0, 1, 2].map((i) => queue.item(i)?.key)).toEqual(['c/v-0.mp4', 'c/v-1.mp4', 'c/v-2.mp4']);
    queue.remove('c/v-1.mp4');
    expect(queue.item(1)?.key).toBe('c/v-2.mp4');
    expect(queue.rows).toBe(2);
  });

  it('keeps "next" on after a failed fetch, and fetches again on the next step', async () => {
    let calls = 0;
    const queue = new PlayQueue(
      [video(0)],
      pagesAfter('1', async () => {
        if (++calls === 1) throw new Error('catalog busy');
        return { items: [video(1)], nextCursor: null };
      }),
    );
    queue.ensure(0, 2);
    await queue.settled();
    expect(queue.rows).toBe(2);
    expect(queue.item(1)).toBeUndefined();
    queue.ensure(0, 2);
    await queue.settled();
    expect(queue.item(1)?.key).toBe('c/v-1.mp4');
  });
});
