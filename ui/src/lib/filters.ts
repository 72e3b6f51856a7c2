// Rules every filter the grid asks for keeps, whichever control set it: the filter bar's
// toggles, a saved view, the history. One place, so no path can send core a filter it
// refuses.

import type { Filter, Sort } from './api';
import { defaultFilter, defaultSort } from './view';

/** The filter with `patch` applied. "Seen" and "unseen" together match nothing and core
 * refuses them: the one just turned on wins, and if both come at once, "unseen" (the
 * older control, as view.ts keeps it). */
export function patchFilter(filter: Filter, patch: Partial<Filter>): Filter {
  const next = { ...filter, ...patch };
  if (patch.unseenOnly) next.seenOnly = false;
  else if (patch.seenOnly) next.unseenOnly = false;
  if (next.seenOnly && next.unseenOnly) next.seenOnly = false;
  return next;
}

/** Whether nothing narrows the result: the grid shows the whole library (in any sort). */
export function isDefaultFilter(filter: Filter): boolean {
  return sameFilter(filter, defaultFilter());
}

export function sameFilter(a: Filter, b: Filter): boolean {
  return (
    a.favoritesOnly === b.favoritesOnly &&
    a.unseenOnly === b.unseenOnly &&
    a.seenOnly === b.seenOnly &&
    a.inProgressOnly === b.inProgressOnly &&
    a.missingOnly === b.missingOnly &&
    (a.search ?? null) === (b.search ?? null) &&
    a.dateFrom === b.dateFrom &&
    a.dateTo === b.dateTo &&
    a.minQuality === b.minQuality &&
    a.creators.length === b.creators.length &&
    // Creators are "any of": their order says nothing.
    a.creators.every((c) => b.creators.includes(c))
  );
}

/** Whether two filter-and-sort pairs ask for the same result in the same order. */
export function sameView(a: { filter: Filter; sort: Sort }, b: { filter: Filter; sort: Sort }): boolean {
  return sameFilter(a.filter, b.filter) && a.sort.key === b.sort.key && a.sort.direction === b.sort.direction;
}

// The history: what was watched, last watched first. Not a stored view but a way of
// looking at the library, turned on and off like a filter.

export const HISTORY_SORT: Sort = { key: 'seen', direction: 'desc' };

export function isHistory(filter: Filter): boolean {
  return filter.seenOnly;
}

/** The history over the rest of the filter (creators, search... stay): watched videos
 * only, never with "unseen", by when they were last watched. */
export function historyOf(filter: Filter): { filter: Filter; sort: Sort } {
  return { filter: patchFilter(filter, { seenOnly: true }), sort: { ...HISTORY_SORT } };
}

/** Back from the history: every video again, in the sort used before it when the
 * history's own sort is still on (the default when that is not known, as after a
 * restart); a sort the user chose meanwhile stays. */
export function leaveHistory(filter: Filter, sort: Sort, sortBefore: Sort | null): { filter: Filter; sort: Sort } {
  const historySort = sort.key === HISTORY_SORT.key && sort.direction === HISTORY_SORT.direction;
  return {
    filter: patchFilter(filter, { seenOnly: false }),
    sort: historySort ? { ...(sortBefore ?? defaultSort()) } : sort,
  };
}
