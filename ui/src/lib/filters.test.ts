import { describe, expect, it } from 'vitest';
import type { Sort } from './api';
import { historyOf, isDefaultFilter, isHistory, leaveHistory, patchFilter, sameView } from './filters';
import { defaultFilter, defaultSort } from './view';

describe('a filter patched', () => {
  it('turns "seen" off when "unseen" goes on, and the other way round', () => {
    const history = patchFilter(defaultFilter(), { seenOnly: true });
    expect(history).toMatchObject({ seenOnly: true, unseenOnly: false });
    expect(patchFilter(history, { unseenOnly: true })).toMatchObject({ seenOnly: false, unseenOnly: true });
    expect(patchFilter({ ...defaultFilter(), unseenOnly: true }, { seenOnly: true })).toMatchObject({ seenOnly: true, unseenOnly: false });
  });

  it('never comes out with both, even when asked for both at once', () => {
    expect(patchFilter(defaultFilter(), { seenOnly: true, unseenOnly: true })).toMatchObject({ seenOnly: false, unseenOnly: true });
    expect(patchFilter({ ...defaultFilter(), seenOnly: true, unseenOnly: true }, {})).toMatchObject({ seenOnly: false, unseenOnly: true });
  });

  it('leaves the rest as it was', () => {
    const before = { ...defaultFilter(), creators: ['alice'], search: 'beach', unseenOnly: true };
    expect(patchFilter(before, { favoritesOnly: true })).toEqual({ ...before, favoritesOnly: true });
  });
});

describe('the default filter', () => {
  it('is the whole library, whatever the order of creators elsewhere', () => {
    expect(isDefaultFilter(defaultFilter())).toBe(true);
    for (const patch of [{ inProgressOnly: true }, { creators: ['a'] }, { search: 'x' }, { minQuality: 0 }, { dateTo: 1 }]) {
      expect(isDefaultFilter({ ...defaultFilter(), ...patch })).toBe(false);
    }
    const a = { filter: { ...defaultFilter(), creators: ['a', 'b'] }, sort: defaultSort() };
    const b = { filter: { ...defaultFilter(), creators: ['b', 'a'] }, sort: defaultSort() };
    expect(sameView(a, b)).toBe(true);
    expect(sameView(a, { ...b, sort: { key: 'date', direction: 'asc' } })).toBe(false);
  });
});

describe('the history', () => {
  it('is the watched videos, last watched first, never with "unseen", over the rest of the filter', () => {
    const { filter, sort } = historyOf({ ...defaultFilter(), unseenOnly: true, creators: ['alice'] });
    expect(filter).toEqual({ ...defaultFilter(), seenOnly: true, creators: ['alice'] });
    expect(sort).toEqual({ key: 'seen', direction: 'desc' });
    expect(isHistory(filter)).toBe(true);
  });

  it('goes back to the sort it replaced, or keeps one chosen meanwhile', () => {
    const before: Sort = { key: 'size', direction: 'asc' };
    const on = historyOf(defaultFilter());
    expect(leaveHistory(on.filter, on.sort, before)).toEqual({ filter: defaultFilter(), sort: before });
    expect(leaveHistory(on.filter, on.sort, null)).toEqual({ filter: defaultFilter(), sort: defaultSort() });
    const chosen: Sort = { key: 'name', direction: 'asc' };
    expect(leaveHistory(on.filter, chosen, before).sort).toEqual(chosen);
  });
});
