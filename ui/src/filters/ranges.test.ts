import { describe, expect, it } from 'vitest';
import { dateInputs, dateRange, dayStart, minQualityOf, sliderOf } from './ranges';

const DAY = 86_400_000;

describe('the date range', () => {
  it('starts at UTC midnight of the first day and ends, exclusive, after the last', () => {
    const range = dateRange('2024-02-20', '2024-02-22');
    expect(range).toEqual({ ok: true, dateFrom: Date.UTC(2024, 1, 20), dateTo: Date.UTC(2024, 1, 23) });
    // One day: from its midnight to the next.
    expect(dateRange('2024-02-29', '2024-02-29')).toEqual({ ok: true, dateFrom: Date.UTC(2024, 1, 29), dateTo: Date.UTC(2024, 2, 1) });
  });

  it('is open on a side left empty', () => {
    expect(dateRange('', '')).toEqual({ ok: true, dateFrom: null, dateTo: null });
    expect(dateRange('2024-01-01', '')).toEqual({ ok: true, dateFrom: Date.UTC(2024, 0, 1), dateTo: null });
    expect(dateRange(' ', '2024-01-01')).toEqual({ ok: true, dateFrom: null, dateTo: Date.UTC(2024, 0, 2) });
  });

  it('says so, and gives no range, when the end is before the start', () => {
    const range = dateRange('2024-03-10', '2024-03-09');
    expect(range.ok).toBe(false);
    if (!range.ok) expect(range.message).toMatch(/end \(2024-03-09\) is before the start \(2024-03-10\)/);
  });

  it('refuses what is not a day', () => {
    expect(dayStart('2024-02-30')).toBeNull();
    expect(dayStart('20/02/2024')).toBeNull();
    expect(dateRange('yesterday', '').ok).toBe(false);
  });

  it('shows a range as the days it covers', () => {
    expect(dateInputs({ dateFrom: Date.UTC(2024, 1, 20), dateTo: Date.UTC(2024, 1, 23) })).toEqual({ from: '2024-02-20', to: '2024-02-22' });
    expect(dateInputs({ dateFrom: null, dateTo: null })).toEqual({ from: '', to: '' });
    // A range saved elsewhere (the CLI) that ends mid-day still shows the day it ends in.
    expect(dateInputs({ dateFrom: null, dateTo: Date.UTC(2024, 1, 23) + DAY / 2 }).to).toBe('2024-02-23');
  });
});

describe('the minimum quality', () => {
  it('is off (null, not 0) at 0: a minimum of 0 would still leave out every video not scored', () => {
    expect(minQualityOf(0)).toBeNull();
    expect(minQualityOf(Number.NaN)).toBeNull();
    expect(sliderOf(null)).toBe(0);
  });

  it('is the slider’s value, whole and within 0-100', () => {
    expect(minQualityOf(40)).toBe(40);
    expect(minQualityOf(40.4)).toBe(40);
    expect(minQualityOf(250)).toBe(100);
    expect(minQualityOf(-5)).toBeNull();
    expect(sliderOf(65)).toBe(65);
  });
});
