import { describe, expect, it } from 'vitest';
import type { Page, VideoSummary } from './api';
import { PagedResults } from './results';

function video(i: number): VideoSummary {
  return {
    id: i,
    key: `c/c-${i}.mp4`,
    creator: 'c',
    name: `c-${i}.mp4`,
    size: i,
    lastModified: i,
    recordedAt: null,
    favorite: false,
    seenAt: null,
    markedSeenAt: null,
    position: 0,
    prediction: null,
    quality: null,
    title: null,
    date: 0,
    datedBy: 'uploaded',
    missingSince: null,
    isPlaylist: false,
    partsMissing: 0,
  };
}

/** A result of `total` rows behind cursor and skip paging, recording what was asked. */
function server(total: number, pageSize: number) {
  const calls: { cursor: string | null; skip: number }[] = [];
  const fetch = async (cursor: string | null, skip: number): Promise<Page> => {
    calls.push({ cursor, skip });
    const start = cursor === null ? skip : Number(cursor) + skip;
    const items = [];
    for (let i = start; i < Math.min(total, start + pageSize); i++) items.push(video(i));
    const end = start + items.length;
    return { items, nextCursor: end < total ? String(end) : null };
  };
  return { calls, fetch };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PagedResults', () => {
  it('follows cursors when scrolling and skips rows only for a jump', async () => {
    const s = server(10_000, 100);
    let changes = 0;
    const r = new PagedResults(s.fetch, { pageSize: 100, onChange: () => changes++, onError: () => {} });
    r.ensure(0, 150);
    await settle();
    expect(r.item(149)?.id).toBe(149);
    r.ensure(150, 250);
    await settle();
    expect(r.item(250)?.id).toBe(250);
    // Page 2 came by the cursor page 1 ended with, not by skipping 200 rows.
    expect(s.calls.slice(0, 3)).toEqual([
      { cursor: null, skip: 0 },
      { cursor: '100', skip: 0 },
      { cursor: '200', skip: 0 },
    ]);
    r.ensure(500_0, 500_0 + 50);
    await settle();
    expect(s.calls.at(-1)).toEqual({ cursor: null, skip: 5000 });
    expect(r.item(5049)?.id).toBe(5049);
    expect(changes).toBe(4);
  });

  it('keeps memory flat: pages far from the screen are dropped and come back', async () => {
    const s = server(1_000_000, 100);
    const r = new PagedResults(s.fetch, { pageSize: 100, keep: 2, onChange: () => {}, onError: () => {} });
    for (let row = 0; row < 5000; row += 100) {
      r.ensure(row, row + 100);
      await settle();
    }
    expect(r.loadedPages).toBeLessThanOrEqual(5);
    expect(r.item(0)).toBeUndefined();
    r.ensure(0, 100);
    await settle();
    expect(r.item(0)?.id).toBe(0);
    // The way back uses the cursor it kept.
    expect(s.calls.at(-1)).toEqual({ cursor: null, skip: 0 });
  });

  it('finds the end, and asks nothing past it', async () => {
    const s = server(130, 100);
    const r = new PagedResults(s.fetch, { pageSize: 100, onChange: () => {}, onError: () => {} });
    r.ensure(0, 300);
    await settle();
    await settle();
    expect(r.reachedEnd).toBe(true);
    expect(r.knownRows).toBe(130);
    const asked = s.calls.length;
    r.ensure(100, 400);
    await settle();
    expect(s.calls.length).toBe(asked);
  });

  it('drops answers that arrive after it was closed, and reports errors', async () => {
    const s = server(1000, 100);
    let changes = 0;
    const r = new PagedResults(s.fetch, { pageSize: 100, onChange: () => changes++, onError: () => {} });
    r.ensure(0, 10);
    r.close();
    await settle();
    expect(changes).toBe(0);
    expect(r.item(0)).toBeUndefined();

    // The first page's failure is the caller's (a new result is not shown); a later
    // page's goes to onError.
    const errors: unknown[] = [];
    let calls = 0;
    const flaky = new PagedResults(
      async (cursor, skip) => {
        calls++;
        if (calls > 1) throw new Error('boom');
        return s.fetch(cursor, skip);
      },
      { pageSize: 100, onChange: () => {}, onError: (e) => errors.push(e) },
    );
    await flaky.ready();
    flaky.ensure(150, 160);
    await settle();
    expect(errors).toHaveLength(1);
    const failing = new PagedResults(async () => Promise.reject(new Error('down')), {
      pageSize: 100,
      onChange: () => {},
      onError: (e) => errors.push(e),
    });
    await expect(failing.ready()).rejects.toThrow('down');
    expect(errors).toHaveLength(1);
  });

  it('updates a loaded row in place', async () => {
    const s = server(300, 100);
    const r = new PagedResults(s.fetch, { pageSize: 100, onChange: () => {}, onError: () => {} });
    r.ensure(0, 300);
    await settle();
    expect(r.update('c/c-150.mp4', { favorite: true })).toBe(true);
    expect(r.item(150)?.favorite).toBe(true);
    expect(r.update('nope', { favorite: true })).toBe(false);
  });
});

describe('PagedResults.ready for a range', () => {
  it('brings the pages around a row: the first by skipping, the next by its cursor', async () => {
    const s = server(1_000_000, 100);
    const r = new PagedResults(s.fetch, { pageSize: 100, onChange: () => {}, onError: () => {} });
    let ready = false;
    const waiting = r.ready(500_050, 500_180).then(() => (ready = true));
    // One page comes back before the other is asked: not ready with only the first.
    await Promise.resolve();
    expect(ready).toBe(false);
    await waiting;
    expect(s.calls).toEqual([
      { cursor: null, skip: 500_000 },
      { cursor: '500100', skip: 0 },
    ]);
    expect(r.item(500_050)?.id).toBe(500_050);
    expect(r.item(500_199)?.id).toBe(500_199);
    expect(r.wanted).toEqual([500_050, 500_180]);
  });

  it('is ready at once past the end of a result that shrank', async () => {
    const s = server(130, 100);
    const r = new PagedResults(s.fetch, { pageSize: 100, onChange: () => {}, onError: () => {} });
    await r.ready(5_000, 5_050);
    expect(r.reachedEnd).toBe(true);
    await r.ready(9_000);
  });

  it('fails its waiter, not onError, when a page it waits for fails; and lets go when closed', async () => {
    const errors: unknown[] = [];
    const r = new PagedResults(async () => Promise.reject(new Error('down')), {
      pageSize: 100,
      onChange: () => {},
      onError: (e) => errors.push(e),
    });
    await expect(r.ready(250)).rejects.toThrow('down');
    expect(errors).toEqual([]);

    const never = new PagedResults(() => new Promise<Page>(() => {}), { pageSize: 100, onChange: () => {}, onError: () => {} });
    const waiting = never.ready(0);
    never.close();
    await expect(waiting).rejects.toThrow('replaced');
  });
});
