import { describe, expect, it } from 'vitest';
import { ApiError } from './api/error';
import { describeProgress, describeReport } from './sync.svelte';
import { segmentAt } from './urls';
import type { SyncReport } from './api';

describe('hover scrub', () => {
  it('picks the segment under the pointer', () => {
    expect(segmentAt(0, 4)).toBe(0);
    expect(segmentAt(0.26, 4)).toBe(1);
    expect(segmentAt(0.999, 4)).toBe(3);
    expect(segmentAt(1.2, 4)).toBe(3);
    expect(segmentAt(-0.1, 4)).toBe(0);
    expect(segmentAt(0.5, 0)).toBe(0);
  });
});

describe('errors from the shell', () => {
  it('keeps the kind and message of a typed error, and calls anything else internal', () => {
    const e = ApiError.from({ kind: 'busy', message: 'catalog is busy' });
    expect(e.kind).toBe('busy');
    expect(e.transient).toBe(true);
    expect(e.message).toBe('catalog is busy');
    expect(ApiError.from('unknown command').kind).toBe('internal');
    expect(ApiError.from(new Error('x')).kind).toBe('internal');
  });
});

describe('sync lines', () => {
  it('says what was listed and how fast', () => {
    const line = describeProgress({
      phase: 'writing',
      objectsListed: 12000,
      videosAdded: 3000,
      videosUpdated: 2,
      videosRemoved: 0,
      elapsedMs: 1000,
      rate: 12000,
    });
    expect(line).toBe('12,000 objects listed · 3,000 added · 2 updated · 12,000/s');
  });

  it('summarises a report', () => {
    const report = { videosListed: 6, videosAdded: 6, videosUpdated: 0, videosRemoved: 0, elapsedMs: 1234 } as SyncReport;
    expect(describeReport(report)).toBe('Synced 6 videos in 1.2 s: 6 new.');
  });
});
