import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoSummary } from '../lib/api';
import { PositionProbe, positionLabel } from './position';

const video = (v: Partial<VideoSummary>): VideoSummary => {
  const base = {
  id: 1,
  key: 'alice/alice-2024-02-20_14-30-00.mp4',
  creator: 'alice',
  name: 'alice-2024-02-20_14-30-00.mp4',
  size: 1_234_567_890,
  lastModified: Date.UTC(2025, 0, 1),
  recordedAt: Date.UTC(2024, 1, 20, 14, 30),
  favorite: false,
  seenAt: null,
  markedSeenAt: null,
  position: 0,
  prediction: null,
  quality: null,
  title: null,
  missingSince: null,
  ...v,
  };
  // The date the sort orders by, as core sends it: recorded, else modified.
  return {
    ...base,
    date: base.recordedAt ?? base.lastModified,
    datedBy: base.recordedAt === null ? 'uploaded' : 'recorded',
  } as VideoSummary;
};

describe('the label beside the scrollbar thumb', () => {
  it('says the value the sort orders by', () => {
    const v = video({});
    expect(positionLabel('date', v, 0, 10)).toBe('2024-02-20');
    expect(positionLabel('date', video({ recordedAt: null }), 0, 10)).toBe('2025-01-01');
    expect(positionLabel('name', v, 0, 10)).toBe('alic…');
    expect(positionLabel('name', video({ name: 'zoë' }), 0, 10)).toBe('zoë');
    expect(positionLabel('size', v, 0, 10)).toBe('1.2 GB');
    expect(positionLabel('quality', video({ prediction: '1'.repeat(40) + '0'.repeat(60), quality: 40 }), 0, 10)).toBe('quality 40');
    expect(positionLabel('quality', v, 0, 10)).toBe('not scored');
    expect(positionLabel('seen', video({ seenAt: Date.UTC(2026, 11, 1, 9, 5) }), 0, 10)).toBe('watched 2026-12-01 09:05');
    expect(positionLabel('seen', v, 0, 10)).toBe('never watched');
  });

  it('counts rows for shuffle, without needing the video', () => {
    expect(positionLabel('shuffle', undefined, 41_999, 50_000)).toBe('row 42,000 of 50,000');
  });

  it('has nothing to say before the video is known', () => {
    expect(positionLabel('date', undefined, 3, 10)).toBeNull();
  });
});

describe('asking where the drag is', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());

  /** A fetch whose answers the test releases one by one. */
  function server() {
    const asked: number[] = [];
    const pending: (() => void)[] = [];
    const fetch = (index: number) =>
      new Promise<string>((resolve) => {
        asked.push(index);
        pending.push(() => resolve(`at ${index}`));
      });
    return { asked, fetch, answer: async () => { pending.shift()?.(); await vi.advanceTimersByTimeAsync(0); } };
  }

  function probe(s: ReturnType<typeof server>) {
    const answers: string[] = [];
    const p = new PositionProbe({ fetch: s.fetch, onAnswer: (_, v) => answers.push(v), intervalMs: 100, now: () => clock });
    return { p, answers };
  }

  async function advance(ms: number) {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  }

  it('keeps one request in flight, and asks next for the latest position only', async () => {
    const s = server();
    const { p, answers } = probe(s);
    p.want(10);
    p.want(20);
    p.want(30);
    await advance(500);
    expect(s.asked).toEqual([10]);
    await s.answer();
    expect(answers).toEqual(['at 10']);
    // 20 was passed over while 10 was out: only the latest, 30, is asked.
    expect(s.asked).toEqual([10, 30]);
  });

  it('asks at most ten times a second however fast the drag', async () => {
    const s = server();
    const { p } = probe(s);
    for (let t = 0; t < 1000; t += 10) {
      p.want(t);
      if (s.asked.length > 0) await s.answer();
      await advance(10);
    }
    expect(s.asked.length).toBeGreaterThanOrEqual(9);
    expect(s.asked.length).toBeLessThanOrEqual(11);
  });

  it('drops the answer of a request made before a reset', async () => {
    const s = server();
    const { p, answers } = probe(s);
    p.want(10);
    p.reset();
    await s.answer();
    expect(answers).toEqual([]);
    // And the old request still counts as in flight until it answers: never two at once.
    p.want(50);
    expect(s.asked).toEqual([10]);
    await advance(100);
    expect(s.asked).toEqual([10, 50]);
  });

  it('goes on after a failed request', async () => {
    let calls = 0;
    const answers: number[] = [];
    const p = new PositionProbe({
      fetch: async (i) => {
        calls++;
        if (calls === 1) throw new Error('busy');
        return i;
      },
      onAnswer: (_, v) => answers.push(v),
      now: () => clock,
    });
    p.want(1);
    p.want(2);
    await advance(200);
    expect(answers).toEqual([2]);
  });
});
