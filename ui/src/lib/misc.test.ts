import { describe, expect, it } from 'vitest';
import { ApiError } from './api/error';
import { segmentAt } from './urls';
import { formatAgo, formatClock, formatCompact, formatDate, formatDay, formatDuration, formatTime, plural } from './format';

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

describe('formats', () => {
  it('splits a date into a day and a time that read as the whole', () => {
    const ms = Date.UTC(2024, 1, 20, 14, 30, 59);
    expect(formatDate(ms)).toBe('2024-02-20 14:30');
    expect(`${formatDay(ms)} ${formatTime(ms)}`).toBe(formatDate(ms));
  });

  it('abbreviates counts and durations where they must fit', () => {
    expect(formatCompact(200_000)).toBe('200K');
    expect(formatCompact(1_234_567)).toBe('1.2M');
    expect(formatCompact(56)).toBe('56');
    expect(plural(1, 'video')).toBe('1 video');
    expect(plural(12_000, 'video')).toBe('12,000 videos');
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(150)).toBe('3 min');
    expect(formatDuration(4800)).toBe('1 h 20 min');
  });
});

describe('times on cards', () => {
  it('says how long ago a video was watched', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const ago = (ms: number) => formatAgo(now - ms, now);
    expect(ago(20_000)).toBe('just now');
    expect(ago(-90_000)).toBe('just now');
    expect(ago(5 * 60_000)).toBe('5 min ago');
    expect(ago(3 * 3_600_000 + 59 * 60_000)).toBe('3 h ago');
    expect(ago(30 * 3_600_000)).toBe('yesterday');
    expect(ago(4 * 86_400_000)).toBe('4 days ago');
    expect(ago(60 * 86_400_000)).toMatch(/^on \d{4}-\d{2}-\d{2}$/);
  });

  it('writes a place in a video as a clock', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(754.9)).toBe('12:34');
    expect(formatClock(3_723)).toBe('1:02:03');
  });
});
