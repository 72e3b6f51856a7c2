import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Filter } from '../lib/api';
import { defaultFilter } from '../lib/view';
import MoreFilters from './MoreFilters.svelte';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

function setup(start: Filter = defaultFilter()) {
  const target = document.createElement('div');
  document.body.append(target);
  const state = $state({ filter: start });
  const sent: Partial<Filter>[] = [];
  const panel = mount(MoreFilters, {
    target,
    props: {
      get filter() {
        return state.filter;
      },
      onChange: (patch: Partial<Filter>) => {
        sent.push(patch);
        state.filter = { ...state.filter, ...patch };
      },
    },
  });
  cleanup = () => unmount(panel);
  const q = <T extends HTMLElement = HTMLElement>(css: string) => target.querySelector<T>(css);
  q('[data-testid=filter-more]')!.click();
  flushSync();
  const set = (testid: string, value: string) => {
    const input = q<HTMLInputElement>(`[data-testid=${testid}]`)!;
    input.value = value;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
  };
  return { q, set, sent, state };
}

describe('the Filters popover', () => {
  it('sends the date range as UTC midnights, the end day included', () => {
    const { set, sent } = setup();
    set('filter-date-from', '2024-02-20');
    set('filter-date-to', '2024-02-22');
    expect(sent).toEqual([
      { dateFrom: Date.UTC(2024, 1, 20), dateTo: null },
      { dateFrom: Date.UTC(2024, 1, 20), dateTo: Date.UTC(2024, 1, 23) },
    ]);
  });

  it('says so, and sends nothing, when the end is before the start', () => {
    const { set, sent, q } = setup({ ...defaultFilter(), dateFrom: Date.UTC(2024, 2, 10) });
    expect(q<HTMLInputElement>('[data-testid=filter-date-from]')!.value).toBe('2024-03-10');
    set('filter-date-to', '2024-03-01');
    expect(sent).toEqual([]);
    expect(q('[data-testid=filter-date-error]')?.textContent).toMatch(/before the start/);
    set('filter-date-to', '2024-03-12');
    expect(q('[data-testid=filter-date-error]')).toBeNull();
    expect(sent).toEqual([{ dateFrom: Date.UTC(2024, 2, 10), dateTo: Date.UTC(2024, 2, 13) }]);
  });

  it('sends the minimum quality, and null (off) at 0', () => {
    const { set, sent, q } = setup();
    set('filter-min-quality', '40');
    expect(sent).toEqual([{ minQuality: 40 }]);
    expect(q('[data-testid=filter-more]')!.textContent).toContain('1');
    set('filter-min-quality', '0');
    expect(sent).toEqual([{ minQuality: 40 }, { minQuality: null }]);
  });
});
