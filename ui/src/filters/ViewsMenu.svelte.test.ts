import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Filter, SavedView, Sort } from '../lib/api';

/** The catalog's saved views behind the api, with its rules on names. */
const store = vi.hoisted(() => ({
  views: [] as SavedView[],
  calls: [] as unknown[][],
}));

vi.mock('../lib/api', async (original) => {
  const real = await original<typeof import('../lib/api')>();
  const taken = (name: string) => store.views.find((v) => v.name.toLowerCase() === name.trim().toLowerCase());
  const sorted = () => [...store.views].sort((a, b) => a.name.localeCompare(b.name));
  return {
    ...real,
    listSavedViews: async () => {
      store.calls.push(['list']);
      return sorted();
    },
    addSavedView: async (name: string, filter: Filter, sort: Sort, replace: boolean) => {
      store.calls.push(['add', name, filter, sort, replace]);
      if (!name.trim()) throw new real.ApiError('invalid', 'a view needs a name');
      const existing = taken(name);
      if (existing && !replace) throw new real.ApiError('invalid', `there is already a view named "${name}"`);
      store.views = store.views.filter((v) => v !== existing).concat({ name, filter, sort });
      return { name, filter, sort };
    },
    renameSavedView: async (from: string, to: string) => {
      store.calls.push(['rename', from, to]);
      const view = taken(from);
      if (!view) throw new real.ApiError('notFound', `there is no view named "${from}"`);
      const other = taken(to);
      if (other && other !== view) throw new real.ApiError('invalid', `there is already a view named "${to}"`);
      view.name = to;
    },
    deleteSavedView: async (name: string) => {
      store.calls.push(['delete', name]);
      const view = taken(name);
      if (!view) throw new real.ApiError('notFound', `there is no view named "${name}"`);
      store.views = store.views.filter((v) => v !== view);
    },
  };
});

import { defaultFilter, defaultSort } from '../lib/view';
import ViewsMenu from './ViewsMenu.svelte';

const favorites: SavedView = { name: 'Favorites by size', filter: { ...defaultFilter(), favoritesOnly: true }, sort: { key: 'size', direction: 'desc' } };
const alice: SavedView = { name: 'alice', filter: { ...defaultFilter(), creators: ['alice'] }, sort: defaultSort() };

beforeAll(() => {
  // jsdom has the element but not its modal behaviour.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
});

let cleanup: (() => void) | null = null;
beforeEach(() => {
  store.views = [structuredClone(favorites), structuredClone(alice)];
  store.calls = [];
});
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};

function setup(filter: Filter = { ...defaultFilter(), unseenOnly: true }, sort: Sort = { key: 'name', direction: 'asc' }) {
  const target = document.createElement('div');
  document.body.append(target);
  const current = $state({ filter, sort });
  const shown: { filter: Filter; sort: Sort }[] = [];
  const menu = mount(ViewsMenu, {
    target,
    props: {
      get filter() {
        return current.filter;
      },
      get sort() {
        return current.sort;
      },
      onShow: (f: Filter, s: Sort) => {
        shown.push({ filter: f, sort: s });
        current.filter = f;
        current.sort = s;
      },
    },
  });
  cleanup = () => unmount(menu);
  const q = <T extends HTMLElement = HTMLElement>(css: string) => target.querySelector<T>(css);
  const open = async () => {
    if (q('[data-testid=views-open]')!.getAttribute('aria-expanded') !== 'true') q('[data-testid=views-open]')!.click();
    await settle();
  };
  const item = (name: string) => q(`[data-testid=view-item][data-name="${name}"]`);
  const type = async (text: string) => {
    const input = q<HTMLInputElement>('[data-testid=view-name-input]')!;
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    q('[data-testid=view-save-confirm]')!.click();
    await settle();
  };
  return { target, q, open, item, type, shown, current };
}

describe('the Views popover', () => {
  it('lists the saved views, read afresh on each opening', async () => {
    const { open, target } = setup();
    await open();
    const names = [...target.querySelectorAll<HTMLElement>('[data-testid=view-item]')].map((li) => li.dataset.name);
    expect(names).toEqual(['alice', 'Favorites by size']);
    expect(store.calls).toEqual([['list']]);
  });

  it('applies a view’s filter and sort at once, and closes', async () => {
    const { open, item, shown, q } = setup();
    await open();
    item('Favorites by size')!.querySelector('button')!.click();
    await settle();
    expect(shown).toEqual([{ filter: favorites.filter, sort: favorites.sort }]);
    expect(q('[data-testid=view-item]')).toBeNull();
    // The view on screen is marked as such.
    await open();
    expect(item('Favorites by size')!.classList.contains('on')).toBe(true);
  });

  it('saves the filter and sort on screen under a name', async () => {
    const { open, q, type, item } = setup();
    await open();
    q('[data-testid=view-save]')!.click();
    flushSync();
    await type('  Unseen by name ');
    expect(store.calls).toContainEqual(['add', 'Unseen by name', { ...defaultFilter(), unseenOnly: true }, { key: 'name', direction: 'asc' }, false]);
    expect(item('Unseen by name')).not.toBeNull();
    expect(q('[data-testid=view-name-input]')).toBeNull();
  });

  it('asks before replacing a view whose name is taken (ignoring case), and replaces on yes', async () => {
    const { open, q, type } = setup();
    await open();
    q('[data-testid=view-save]')!.click();
    flushSync();
    await type('ALICE');
    expect(store.calls.filter((c) => c[0] === 'add')).toEqual([]);
    expect(q('[role=alert]')?.textContent).toContain('A view named “alice” exists.');
    q('[data-testid=view-replace]')!.click();
    await settle();
    expect(store.calls).toContainEqual(['add', 'ALICE', { ...defaultFilter(), unseenOnly: true }, { key: 'name', direction: 'asc' }, true]);
    expect(store.views.map((v) => v.name).sort()).toEqual(['ALICE', 'Favorites by size']);
  });

  it('asks to replace a name taken meanwhile by another front (the CLI)', async () => {
    const { open, q, type } = setup();
    await open();
    q('[data-testid=view-save]')!.click();
    flushSync();
    store.views.push({ name: 'From the CLI', filter: defaultFilter(), sort: defaultSort() });
    await type('from the cli');
    expect(q('[data-testid=view-replace]')).not.toBeNull();
  });

  it('says in place why a save failed', async () => {
    const { open, q, type } = setup();
    await open();
    q('[data-testid=view-save]')!.click();
    flushSync();
    await type('   ');
    expect(q('[data-testid=views-error]')?.textContent).toBe('a view needs a name');
    expect(q('[data-testid=view-name-input]')).not.toBeNull();
  });

  it('renames a view, and says so when the new name is taken', async () => {
    const { open, item, type, q } = setup();
    await open();
    item('alice')!.querySelector<HTMLElement>('[data-testid=view-rename]')!.click();
    flushSync();
    expect(q<HTMLInputElement>('[data-testid=view-name-input]')!.value).toBe('alice');
    await type('Alice’s videos');
    expect(store.calls).toContainEqual(['rename', 'alice', 'Alice’s videos']);
    expect(item('Alice’s videos')).not.toBeNull();

    item('Alice’s videos')!.querySelector<HTMLElement>('[data-testid=view-rename]')!.click();
    flushSync();
    await type('favorites by size');
    expect(q('[data-testid=views-error]')?.textContent).toContain('already a view named');
    expect(item('Alice’s videos')).not.toBeNull();
  });

  it('deletes a view once confirmed, and not when cancelled', async () => {
    const { open, item, q } = setup();
    await open();
    item('alice')!.querySelector<HTMLElement>('[data-testid=view-delete]')!.click();
    flushSync();
    expect(q('dialog')?.textContent).toContain('Delete the view “alice”?');
    [...q('dialog')!.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')!.click();
    await settle();
    expect(store.calls.filter((c) => c[0] === 'delete')).toEqual([]);

    item('alice')!.querySelector<HTMLElement>('[data-testid=view-delete]')!.click();
    flushSync();
    q('[data-testid=confirm-delete-view]')!.click();
    await settle();
    expect(store.calls).toContainEqual(['delete', 'alice']);
    expect(item('alice')).toBeNull();
  });

  it('says so in place when a view was deleted elsewhere meanwhile, and drops it', async () => {
    const { open, item, q } = setup();
    await open();
    store.views = store.views.filter((v) => v.name !== 'alice');
    item('alice')!.querySelector<HTMLElement>('[data-testid=view-delete]')!.click();
    flushSync();
    q('[data-testid=confirm-delete-view]')!.click();
    await settle();
    expect(q('[data-testid=views-error]')?.textContent).toContain('no view named');
    expect(item('alice')).toBeNull();
  });
});

describe('the history, in the Views popover', () => {
  it('shows watched videos last watched first, and never with "unseen"', async () => {
    const { open, q, shown } = setup({ ...defaultFilter(), unseenOnly: true, creators: ['alice'] }, { key: 'size', direction: 'asc' });
    await open();
    q('[data-testid=filter-history]')!.click();
    await settle();
    expect(shown[0]).toEqual({ filter: { ...defaultFilter(), seenOnly: true, creators: ['alice'] }, sort: { key: 'seen', direction: 'desc' } });
    expect(shown[0].filter.unseenOnly).toBe(false);
  });

  it('goes back to the sort it replaced when turned off', async () => {
    const { open, q, shown } = setup(defaultFilter(), { key: 'size', direction: 'asc' });
    await open();
    q('[data-testid=filter-history]')!.click();
    await settle();
    await open();
    expect(q('[data-testid=filter-history]')!.getAttribute('aria-checked')).toBe('true');
    q('[data-testid=filter-history]')!.click();
    await settle();
    expect(shown[1]).toEqual({ filter: defaultFilter(), sort: { key: 'size', direction: 'asc' } });
  });
});
