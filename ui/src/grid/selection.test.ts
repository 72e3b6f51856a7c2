import { describe, expect, it, vi } from 'vitest';
import type { Filter } from '../lib/api';
import { defaultFilter } from '../lib/view';
import { MAX_PICKED, VideoSelection, type SelectableResult } from './selection.svelte';

const key = (i: number) => `c/v-${i}.mp4`;
const keys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => key(from + i));

/** A result of `total` rows, the first `loaded` of them in loaded pages; the others come
 * from `keysBetween`, when `answer` is called (or at once when `instant`). */
function result(total: number, loaded: number, options: { instant?: boolean } = {}) {
  const asked: [number, number][] = [];
  const answers: (() => void)[] = [];
  let fail: unknown = null;
  const host = {
    resultId: 1,
    total: total as number | null,
    filter: { ...defaultFilter(), creators: ['c'] } as Filter,
    keyAt: (i: number) => (i < loaded && i < total ? key(i) : undefined),
    keysBetween: vi.fn((from: number, to: number) => {
      asked.push([from, to]);
      return new Promise<string[]>((resolve, reject) => {
        const answer = () => (fail ? reject(fail) : resolve(keys(from, Math.min(to, total))));
        if (options.instant) answer();
        else answers.push(answer);
      });
    }),
    shownFilter(): Filter {
      return structuredClone(host.filter);
    },
  } satisfies SelectableResult & Record<string, unknown>;
  return {
    host,
    asked,
    answer: () => answers.splice(0).forEach((a) => a()),
    failWith: (e: unknown) => (fail = e),
  };
}

describe('a selection of videos', () => {
  it('ticks and unticks cards, and says which are in it', () => {
    const { host } = result(100, 100);
    const s = new VideoSelection(host);
    expect(s.isEmpty).toBe(true);
    s.toggle(key(3), 3);
    s.toggle(key(7), 7);
    expect(s.count).toBe(2);
    expect(s.has(key(3))).toBe(true);
    expect(s.has(key(4))).toBe(false);
    s.toggle(key(3), 3);
    expect(s.has(key(3))).toBe(false);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [key(7)] });
  });

  it('selects a range from the last card ticked, both ends included, in either direction', () => {
    const { host } = result(100, 100);
    const s = new VideoSelection(host);
    s.toggle(key(10), 10);
    expect(s.selectRange(6)).toBe(true);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [key(10), ...keys(6, 10)] });
    // The anchor stays: a second range adds to the first, it does not untick it.
    s.selectRange(12);
    expect(s.count).toBe(7);
    expect(s.resolving).toBe(false);
  });

  it('selects the card alone on a Shift-click with nothing ticked before', () => {
    const { host } = result(100, 100);
    const s = new VideoSelection(host);
    s.selectRange(5);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [key(5)] });
    s.selectRange(7);
    expect(s.count).toBe(3);
  });

  it('selects a range across pages not loaded: by index until their keys come, none dropped', async () => {
    const r = result(10_000, 120);
    const s = new VideoSelection(r.host);
    s.toggle(key(100), 100);
    s.selectRange(5_000);
    // The loaded rows at once; the rest asked for as one span of rows.
    expect(r.asked).toEqual([[120, 5_001]]);
    expect(s.count).toBe(4_901);
    expect(s.resolving).toBe(true);
    expect(s.has(key(3_000), 3_000)).toBe(true);
    expect(s.has(key(5_001), 5_001)).toBe(false);
    // An action cannot run on half a range.
    expect(() => s.toSelection()).toThrow(/resolving/);
    r.answer();
    await s.settled();
    expect(s.resolving).toBe(false);
    const selection = s.toSelection();
    expect(selection.kind === 'keys' && [...selection.keys].sort()).toEqual(keys(100, 5_001).sort());
    expect(s.count).toBe(4_901);
    expect(s.has(key(3_000))).toBe(true);
  });

  it('keeps a card unticked while its range was still on its way', async () => {
    const r = result(1_000, 10);
    const s = new VideoSelection(r.host);
    s.toggle(key(0), 0);
    s.selectRange(500);
    s.toggle(key(200), 200);
    expect(s.has(key(200), 200)).toBe(false);
    expect(s.count).toBe(500);
    r.answer();
    await s.settled();
    expect(s.has(key(200))).toBe(false);
    expect(s.count).toBe(500);
  });

  it('refuses a range longer than can be named key by key, and says so', () => {
    const { host, asked } = result(1_000_000, 120);
    const s = new VideoSelection(host);
    s.toggle(key(0), 0);
    expect(s.selectRange(MAX_PICKED + 10)).toBe(false);
    expect(s.refused).toEqual({ reason: 'tooLong', videos: MAX_PICKED + 11 });
    expect(s.count).toBe(1);
    expect(asked).toEqual([]);
    // The next change forgets the refusal.
    s.toggle(key(1), 1);
    expect(s.refused).toBeNull();
  });

  it('says a range whose keys could not be had was not selected', async () => {
    const r = result(1_000, 10);
    const s = new VideoSelection(r.host);
    s.toggle(key(0), 0);
    s.selectRange(500);
    r.failWith(new Error('catalog busy'));
    r.answer();
    await s.settled();
    expect(s.refused).toEqual({ reason: 'failed', error: new Error('catalog busy') });
    expect(s.count).toBe(10);
  });

  it('selects all results as the filter on screen, and an untick as an exception', () => {
    const { host } = result(300_000, 120);
    const s = new VideoSelection(host);
    s.toggle(key(1), 1);
    s.selectAll();
    expect(s.allSelected).toBe(true);
    expect(s.count).toBe(300_000);
    expect(s.has(key(250_000))).toBe(true);
    // A snapshot: the filter changing afterwards is not the selection's.
    host.filter.favoritesOnly = true;
    s.toggle(key(5), 5);
    s.toggle(key(9), 9);
    expect(s.allSelected).toBe(false);
    expect(s.count).toBe(299_998);
    expect(s.has(key(5))).toBe(false);
    expect(s.toSelection()).toEqual({
      kind: 'matching',
      filter: { ...defaultFilter(), creators: ['c'] },
      except: [key(5), key(9)],
    });
    // Ticked again, it leaves the exceptions.
    s.toggle(key(5), 5);
    expect(s.toSelection()).toMatchObject({ kind: 'matching', except: [key(9)] });
  });

  it('counts all results as the result counts them, through a refresh in place', () => {
    const { host } = result(500, 120);
    const s = new VideoSelection(host);
    s.selectAll();
    host.total = 520;
    expect(s.count).toBe(520);
  });

  it('ticks the unticked of a range again after Select all, without asking for any key when none was', async () => {
    const r = result(10_000, 120, { instant: true });
    const s = new VideoSelection(r.host);
    s.selectAll();
    s.selectRange(8_000);
    expect(r.asked).toEqual([]);
    s.toggle(key(3), 3);
    s.toggle(key(8_000), 8_000);
    s.toggle(key(9_000), 9_000);
    s.selectRange(8_500);
    await s.settled();
    expect(r.asked).toEqual([[8_500, 9_001]]);
    expect(s.toSelection()).toMatchObject({ kind: 'matching', except: [key(3), key(8_000)] });
  });

  it('is void once a new filter or sort replaced its result, and starts afresh there', () => {
    const { host } = result(100, 100);
    const s = new VideoSelection(host);
    s.toggle(key(1), 1);
    s.selectAll();
    host.resultId = 2;
    expect(s.isEmpty).toBe(true);
    expect(s.count).toBe(0);
    expect(s.has(key(1))).toBe(false);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [] });
    // No anchor from the old result: a Shift-click selects the one card.
    s.selectRange(4);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [key(4)] });
  });

  it('drops a range still on its way when cleared or voided', async () => {
    const r = result(1_000, 10);
    const s = new VideoSelection(r.host);
    s.toggle(key(0), 0);
    s.selectRange(500);
    s.clear();
    r.answer();
    await s.settled();
    expect(s.isEmpty).toBe(true);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [] });
  });

  it('keeps only the given keys (those a delete could not remove)', () => {
    const { host } = result(100, 100);
    const s = new VideoSelection(host);
    s.selectAll();
    s.keepOnly([key(2), key(8)]);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [key(2), key(8)] });
    expect(s.count).toBe(2);
  });

  it('clears to nothing, the anchor with it', () => {
    const { host } = result(100, 100);
    const s = new VideoSelection(host);
    s.toggle(key(2), 2);
    s.clear();
    expect(s.isEmpty).toBe(true);
    s.selectRange(6);
    expect(s.toSelection()).toEqual({ kind: 'keys', keys: [key(6)] });
  });
});
