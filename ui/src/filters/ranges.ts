// The filter bar's two ranges, between what the controls show and what the filter asks.
//
// Dates: the inputs give days ("2024-02-20"); the filter takes Unix ms at UTC midnight,
// the start inclusive and the end exclusive. UTC because recording times come from file
// names, which carry no zone, and the cards show them as written (format.ts): the day a
// card says is the day the range matches. The "to" day is included, as a user reads it.
//
// Quality: a slider over 0-100 ones in the prediction, where 0 is off. A minimum of 0
// would still leave out every video not scored, which is not what "off" means.

import type { Filter } from '../lib/api';

const DAY_MS = 86_400_000;

/** UTC midnight of a "YYYY-MM-DD" day; null for an empty or impossible one. */
export function dayStart(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  // Date.UTC rolls 2024-02-30 over into March: such a day was not a day.
  return dayOf(ms) === match[0] ? ms : null;
}

/** The "YYYY-MM-DD" of a UTC instant. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export type DateRange = { ok: true; dateFrom: number | null; dateTo: number | null } | { ok: false; message: string };

/** The filter's range from the two inputs ("" = open on that side), or why it is none. */
export function dateRange(from: string, to: string): DateRange {
  const start = from.trim() ? dayStart(from) : null;
  const end = to.trim() ? dayStart(to) : null;
  if (from.trim() && start === null) return { ok: false, message: `“${from}” is not a date.` };
  if (to.trim() && end === null) return { ok: false, message: `“${to}” is not a date.` };
  if (start !== null && end !== null && end < start) {
    return { ok: false, message: `The end (${to}) is before the start (${from}): no video could match.` };
  }
  return { ok: true, dateFrom: start, dateTo: end === null ? null : end + DAY_MS };
}

/** What the two inputs show for the filter's range: the "to" input the last day in it. */
export function dateInputs(filter: Pick<Filter, 'dateFrom' | 'dateTo'>): { from: string; to: string } {
  return {
    from: filter.dateFrom === null ? '' : dayOf(filter.dateFrom),
    to: filter.dateTo === null ? '' : dayOf(filter.dateTo - 1),
  };
}

export const QUALITY_SLIDER = { min: 0, max: 100, step: 5 } as const;

/** The filter's minimum for a slider value: 0 (or anything not a number) is off. */
export function minQualityOf(slider: number): number | null {
  if (!Number.isFinite(slider)) return null;
  const q = Math.round(Math.min(QUALITY_SLIDER.max, Math.max(QUALITY_SLIDER.min, slider)));
  return q === 0 ? null : q;
}

/** Where the slider stands for the filter's minimum. */
export function sliderOf(minQuality: number | null): number {
  return minQuality ?? 0;
}
