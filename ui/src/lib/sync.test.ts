import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api/error';
import type { SyncProgress, SyncReport } from './api';

const { syncLibrary } = vi.hoisted(() => ({ syncLibrary: vi.fn() }));
vi.mock('./api', async (original) => ({ ...(await original<typeof import('./api')>()), syncLibrary }));

import { SyncRun, describeOutcome, describeProgress, describeReport, progressFraction, secondsLeft } from './sync.svelte';
import { urlsFor } from './urls';

const progress = (p: Partial<SyncProgress>): SyncProgress => ({
  phase: 'listing',
  objectsListed: 0,
  expectedObjects: null,
  videosAdded: 0,
  videosUpdated: 0,
  videosRemoved: 0,
  elapsedMs: 1000,
  rate: 0,
  ...p,
});

const report = (r: Partial<SyncReport>): SyncReport =>
  ({ videosListed: 0, videosAdded: 0, videosUpdated: 0, videosRemoved: 0, removalHeldBack: 0, elapsedMs: 1234, ...r }) as SyncReport;

describe('sync progress', () => {
  it('counts and rate when the total cannot be known (a first sync, or an older shell)', () => {
    const writing = progress({ phase: 'writing', objectsListed: 12000, videosAdded: 3000, videosUpdated: 2, rate: 12000 });
    expect(describeProgress(writing)).toBe('12,000 objects listed · 3,000 added · 2 updated · 12,000/s');
    expect(describeProgress({ ...writing, expectedObjects: null })).toBe(describeProgress(writing));
    expect(progressFraction(writing)).toBeNull();
    expect(secondsLeft(writing)).toBeNull();
  });

  it('percent and time left from the rate when the last listing gives the total', () => {
    const p = progress({ objectsListed: 50_000, expectedObjects: 200_000, rate: 10_000 });
    expect(progressFraction(p)).toBe(0.25);
    expect(secondsLeft(p)).toBe(15);
    expect(describeProgress(p)).toBe('25% · 50,000 of 200,000 objects listed · about 15 s left');
    expect(describeProgress({ ...p, rate: 100 })).toBe('25% · 50,000 of 200,000 objects listed · about 25 min left');
  });

  it('never shows full before it is done, even when the bucket grew', () => {
    const grown = progress({ objectsListed: 210_000, expectedObjects: 200_000, rate: 10_000 });
    expect(progressFraction(grown)).toBe(0.99);
    expect(describeProgress(grown)).toBe('99% · 210,000 of 200,000 objects listed · almost done');
    expect(progressFraction({ ...grown, phase: 'done' })).toBe(1);
  });

  it('says it is waiting before the first page of the listing', () => {
    expect(describeProgress(progress({ objectsListed: 0, rate: 0 }))).toBe('waiting for the bucket to answer…');
  });

  it('no time left without a rate yet', () => {
    expect(secondsLeft(progress({ objectsListed: 0, expectedObjects: 10, rate: 0 }))).toBeNull();
  });
});

describe('sync result', () => {
  it('summarises a plain report', () => {
    expect(describeReport(report({ videosListed: 6, videosAdded: 6 }))).toBe('Synced 6 videos in 1.2 s: 6 new.');
    expect(describeReport(report({ videosListed: 1 }))).toBe('Synced 1 video in 1.2 s: no changes.');
  });

  it('says in one sentence that the bucket was listed and what was kept', () => {
    const held = report({ videosListed: 12, removalHeldBack: 45 });
    expect(describeReport(held)).toBe(
      'Synced: 12 videos in the bucket. 45 videos of the catalog are missing from the bucket and were kept.',
    );
    expect(describeReport(held)).not.toContain('no changes');
    expect(describeReport(report({ videosListed: 12, videosAdded: 2, removalHeldBack: 1 }))).toBe(
      'Synced: 12 videos in the bucket, 2 new. 1 video of the catalog is missing from the bucket and was kept.',
    );
  });

  it('shows a cancel as neutral information and only real failures as errors', () => {
    const cancelled = describeOutcome(null, new ApiError('cancelled', 'cancelled'));
    expect(cancelled?.tone).toBe('info');
    expect(cancelled?.text).not.toMatch(/nothing was changed/);
    expect(describeOutcome(null, new ApiError('source', 'access denied'))).toEqual({
      tone: 'error',
      text: 'Sync failed: access denied',
    });
    expect(describeOutcome(report({ videosListed: 3 }), null)?.tone).toBe('ok');
    expect(describeOutcome(report({ removalHeldBack: 3 }), null)?.tone).toBe('warn');
    expect(describeOutcome(null, null)).toBeNull();
  });
});

describe('a sync run', () => {
  it('forgets cached preview links when it ends, and tells the caller even when cancelled', async () => {
    const videoUrls = vi.fn(async (key: string) => ({
      video: { key, url: `https://b/${key}?n=${videoUrls.mock.calls.length}`, expiresAt: Date.now() + 3_600_000 },
      previewSegments: [],
    }));
    const api = await import('./api');
    vi.spyOn(api, 'videoUrls').mockImplementation(videoUrls);
    await urlsFor('a.mp4');
    await urlsFor('a.mp4');
    expect(videoUrls).toHaveBeenCalledTimes(1);

    syncLibrary.mockRejectedValueOnce({ kind: 'cancelled', message: 'cancelled' });
    const run = new SyncRun();
    let finished = 0;
    await run.start(false, () => finished++);
    expect(finished).toBe(1);
    expect(run.error?.kind).toBe('cancelled');
    expect(run.running).toBe(false);
    await urlsFor('a.mp4');
    expect(videoUrls).toHaveBeenCalledTimes(2);
    run.dismiss();
  });
});
