import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Page, PageRequest, VideoSummary } from './api';

const catalog = vi.hoisted(() => ({
  inProgress: [] as VideoSummary[],
  calls: [] as PageRequest[],
  fail: false,
}));

vi.mock('./api', async (original) => {
  const real = await original<typeof import('./api')>();
  return {
    ...real,
    listPage: async (request: PageRequest): Promise<Page> => {
      catalog.calls.push(request);
      if (catalog.fail) throw new real.ApiError('busy', 'catalog is busy');
      const start = request.after === null ? 0 : Number(request.after);
      const items = catalog.inProgress.slice(start, start + request.limit);
      const end = start + items.length;
      return { items, nextCursor: end < catalog.inProgress.length ? String(end) : null };
    },
  };
});

import { ContinueWatching, SHELF_SIZE } from './continue-watching.svelte';
import { defaultFilter } from './view';
import { videoAt } from '../test/videos';

const video = (i: number): VideoSummary => videoAt(i, { seenAt: 1_000 - i, position: 60 + i });

beforeEach(() => {
  catalog.inProgress = [video(0), video(1), video(2)];
  catalog.calls = [];
  catalog.fail = false;
});

describe('the Continue watching shelf', () => {
  it('asks for the videos in progress, last watched first', async () => {
    const shelf = new ContinueWatching();
    await shelf.setWanted(true);
    expect(catalog.calls).toEqual([
      { filter: { ...defaultFilter(), inProgressOnly: true }, sort: { key: 'seen', direction: 'desc' }, limit: SHELF_SIZE, after: null },
    ]);
    expect(shelf.videos.map((v) => v.key)).toEqual(['c/v-0.mp4', 'c/v-1.mp4', 'c/v-2.mp4']);
  });

  it('shows only under the default filter (any sort), and only with something in it', async () => {
    const shelf = new ContinueWatching();
    await shelf.setWanted(true);
    expect(shelf.visible(defaultFilter())).toBe(true);
    for (const patch of [{ unseenOnly: true }, { inProgressOnly: true }, { seenOnly: true }, { creators: ['c'] }, { search: 'v' }, { minQuality: 10 }]) {
      expect(shelf.visible({ ...defaultFilter(), ...patch })).toBe(false);
    }
    catalog.inProgress = [];
    await shelf.refresh();
    expect(shelf.visible(defaultFilter())).toBe(false);
  });

  it('is not asked for while another filter is on, and is asked again once wanted after a change', async () => {
    const shelf = new ContinueWatching();
    await shelf.setWanted(false);
    await shelf.refresh();
    expect(catalog.calls).toHaveLength(0);
    await shelf.setWanted(true);
    expect(catalog.calls).toHaveLength(1);
    // Nothing changed meanwhile: no second question.
    await shelf.setWanted(false);
    await shelf.setWanted(true);
    expect(catalog.calls).toHaveLength(1);
    await shelf.setWanted(false);
    catalog.inProgress = [video(5)];
    await shelf.refresh();
    await shelf.setWanted(true);
    expect(catalog.calls).toHaveLength(2);
    expect(shelf.videos.map((v) => v.key)).toEqual(['c/v-5.mp4']);
  });

  it('runs one refresh at a time, however many changes come meanwhile', async () => {
    const shelf = new ContinueWatching();
    await shelf.setWanted(true);
    catalog.calls = [];
    await Promise.all([shelf.refresh(), shelf.refresh(), shelf.refresh(), shelf.refresh()]);
    expect(catalog.calls).toHaveLength(2);
  });

  it('keeps what it shows when the catalog does not answer', async () => {
    const shelf = new ContinueWatching();
    await shelf.setWanted(true);
    catalog.fail = true;
    await shelf.refresh();
    expect(shelf.videos).toHaveLength(3);
  });

  it('follows the grid’s row changes; a video finished (position 0) leaves it at once', async () => {
    const shelf = new ContinueWatching();
    await shelf.setWanted(true);
    shelf.update('c/v-1.mp4', { favorite: true });
    expect(shelf.videos[1].favorite).toBe(true);
    shelf.update('c/v-1.mp4', { position: 0 });
    expect(shelf.videos.map((v) => v.key)).toEqual(['c/v-0.mp4', 'c/v-2.mp4']);
  });

  it('hands the player its videos as they are, and the rest of those in progress after them', async () => {
    catalog.inProgress = Array.from({ length: SHELF_SIZE + 2 }, (_, i) => video(i));
    const shelf = new ContinueWatching();
    await shelf.setWanted(true);
    const queue = shelf.queue();
    // The shelf refreshing under the player does not change the queue.
    catalog.inProgress = [video(99)];
    await shelf.refresh();
    expect(queue.item(0)?.key).toBe('c/v-0.mp4');
    queue.ensure(SHELF_SIZE - 1, SHELF_SIZE + 1);
    await queue.settled();
    expect(catalog.calls.at(-1)?.after).toBe(String(SHELF_SIZE));
  });
});
