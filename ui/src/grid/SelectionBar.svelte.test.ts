import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulkDeleteReport, Mark, Selection, SelectionSize } from '../lib/api';
import { defaultFilter } from '../lib/view';

const api = vi.hoisted(() => ({
  markSelection: vi.fn<(selection: Selection, mark: Mark) => Promise<number>>(),
  selectionSize: vi.fn<(selection: Selection) => Promise<SelectionSize>>(),
  deleteSelection: vi.fn<(selection: Selection) => Promise<BulkDeleteReport>>(),
}));
vi.mock('../lib/api', async (original) => ({ ...(await original<typeof import('../lib/api')>()), ...api }));

import { ApiError } from '../lib/api';
import SelectionBar from './SelectionBar.svelte';
import { VideoSelection } from './selection.svelte';

const key = (i: number) => `c/v-${i}.mp4`;

beforeAll(() => {
  // jsdom has no modal dialogs.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
});

beforeEach(() => {
  api.markSelection.mockReset().mockResolvedValue(3);
  api.selectionSize.mockReset().mockResolvedValue({ videos: 3, bytes: 4_500_000_000 });
  api.deleteSelection.mockReset();
});

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};

function render(options: { total?: number; place?: 'bucket' | 'folder'; covered?: boolean } = {}) {
  const total = options.total ?? 1_234;
  const result = {
    resultId: 1,
    total,
    keyAt: (i: number) => (i < total ? key(i) : undefined),
    keysBetween: async (from: number, to: number) => Array.from({ length: to - from }, (_, i) => key(from + i)),
    shownFilter: () => ({ ...defaultFilter(), unseenOnly: true }),
  };
  const selection = new VideoSelection(result);
  const refreshed = vi.fn(async () => {});
  const target = document.createElement('div');
  document.body.append(target);
  const bar = mount(SelectionBar, {
    target,
    props: { selection, total, place: options.place ?? 'bucket', covered: options.covered ?? false, onChanged: refreshed },
  });
  cleanup = () => unmount(bar);
  flushSync();
  const find = (testid: string) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  const click = (testid: string) => {
    find(testid)!.click();
    flushSync();
  };
  const pick = (...indexes: number[]) => {
    for (const i of indexes) selection.toggle(key(i), i);
    flushSync();
  };
  return { selection, refreshed, find, click, pick };
}

describe('the selection bar', () => {
  it('shows only while something is selected, with the count and "select all"', () => {
    const b = render();
    expect(b.find('selection-bar')).toBeNull();
    b.pick(1, 2);
    expect(b.find('selection-count')!.textContent).toBe('2 selected');
    expect(b.find('select-all-results')!.textContent).toBe('Select all 1,234 results');
    b.click('select-all-results');
    expect(b.find('selection-count')!.textContent).toBe('1,234 selected');
    expect(b.find('select-all-results')).toBeNull();
    b.click('selection-clear');
    expect(b.find('selection-bar')).toBeNull();
  });

  it.each([
    ['bulk-favorite', 'favorite', 'Added 3 videos to favorites.'],
    ['bulk-unfavorite', 'unfavorite', 'Removed 3 videos from favorites.'],
    ['bulk-seen', 'seen', 'Marked 3 videos seen.'],
    ['bulk-unseen', 'unseen', 'Marked 3 videos unseen.'],
  ] as const)('%s marks the selected keys %s, clears the selection and refreshes the grid', async (testid, mark, said) => {
    const b = render();
    b.pick(1, 2, 3);
    b.click(testid);
    await settle();
    expect(api.markSelection).toHaveBeenCalledTimes(1);
    expect(api.markSelection).toHaveBeenCalledWith({ kind: 'keys', keys: [key(1), key(2), key(3)] }, mark);
    expect(b.refreshed).toHaveBeenCalledTimes(1);
    expect(b.selection.isEmpty).toBe(true);
    expect(b.find('selection-bar')).toBeNull();
    expect(b.find('selection-notice')!.textContent).toContain(said);
  });

  it('marks all results as one call over the filter, less the unticked', async () => {
    const b = render();
    b.pick(1);
    b.click('select-all-results');
    b.pick(7);
    expect(b.find('selection-count')!.textContent).toBe('1,233 selected');
    api.markSelection.mockResolvedValue(1_233);
    b.click('bulk-seen');
    await settle();
    expect(api.markSelection).toHaveBeenCalledWith(
      { kind: 'matching', filter: { ...defaultFilter(), unseenOnly: true }, except: [key(7)] },
      'seen',
    );
    expect(b.find('selection-notice')!.textContent).toContain('Marked 1,233 videos seen.');
  });

  it('waits for an action to finish, its buttons disabled, and keeps the selection when it fails', async () => {
    const b = render();
    b.pick(1, 2);
    let fail!: (e: unknown) => void;
    api.markSelection.mockReturnValue(new Promise((_, reject) => (fail = reject)));
    b.click('bulk-favorite');
    await settle();
    for (const testid of ['bulk-favorite', 'bulk-seen', 'bulk-delete', 'select-all-results', 'selection-clear']) {
      expect(b.find(testid)!.hasAttribute('disabled'), testid).toBe(true);
    }
    fail(new ApiError('busy', 'The catalog is busy; try again.'));
    await settle();
    expect(b.find('bulk-favorite')!.hasAttribute('disabled')).toBe(false);
    expect(b.find('selection-notice')!.textContent).toContain('Not changed: The catalog is busy; try again.');
    expect(b.find('selection-count')!.textContent).toBe('2 selected');
    expect(b.refreshed).not.toHaveBeenCalled();
  });

  it('asks once before deleting, naming the count and the size, then deletes that selection', async () => {
    const b = render();
    b.pick(1, 2, 3);
    b.click('bulk-delete');
    await settle();
    expect(api.selectionSize).toHaveBeenCalledWith({ kind: 'keys', keys: [key(1), key(2), key(3)] });
    const dialog = document.querySelector('dialog[open]')!;
    expect(dialog.querySelector('h2')!.textContent).toBe('Delete 3 videos?');
    expect(dialog.textContent).toContain('3 videos (4.5 GB) and their preview clips will be deleted from the bucket. This cannot be undone.');
    expect(api.deleteSelection).not.toHaveBeenCalled();
    api.deleteSelection.mockResolvedValue({ removed: [key(1), key(2), key(3)], failed: [] });
    b.click('confirm-bulk-delete');
    await settle();
    expect(api.deleteSelection).toHaveBeenCalledTimes(1);
    expect(api.deleteSelection).toHaveBeenCalledWith({ kind: 'keys', keys: [key(1), key(2), key(3)] });
    expect(b.selection.isEmpty).toBe(true);
    expect(b.find('selection-notice')!.textContent).toContain('3 videos deleted.');
    expect(b.refreshed).toHaveBeenCalledTimes(1);
  });

  it('says a folder library’s videos go to the trash', async () => {
    const b = render({ place: 'folder' });
    b.pick(1);
    api.selectionSize.mockResolvedValue({ videos: 1, bytes: 2_000_000 });
    b.click('bulk-delete');
    await settle();
    const dialog = document.querySelector('dialog[open]')!;
    expect(dialog.textContent).toContain('1 video (2.0 MB) and its preview clips will be moved to the trash, where you can get it back.');
    expect(dialog.textContent).not.toContain('cannot be undone');
  });

  it('deletes nothing when the question is cancelled', async () => {
    const b = render();
    b.pick(1, 2);
    b.click('bulk-delete');
    await settle();
    [...document.querySelectorAll<HTMLButtonElement>('dialog button')].find((x) => x.textContent === 'Cancel')!.click();
    await settle();
    expect(document.querySelector('dialog')).toBeNull();
    expect(api.deleteSelection).not.toHaveBeenCalled();
    expect(b.find('selection-count')!.textContent).toBe('2 selected');
  });

  it('leaves the videos that could not be deleted selected, and says why', async () => {
    const b = render();
    b.pick(1);
    b.click('select-all-results');
    b.click('bulk-delete');
    await settle();
    expect(api.selectionSize).toHaveBeenCalledWith({ kind: 'matching', filter: { ...defaultFilter(), unseenOnly: true }, except: [] });
    api.deleteSelection.mockResolvedValue({
      removed: Array.from({ length: 1_231 }, (_, i) => key(i + 3)),
      failed: [
        { key: key(1), message: 'access denied' },
        { key: key(2), message: 'access denied' },
      ],
    });
    b.click('confirm-bulk-delete');
    await settle();
    expect(b.find('selection-notice')!.textContent).toContain('1,231 deleted, 2 could not be: c/v-1.mp4: access denied');
    expect(b.find('selection-count')!.textContent).toBe('2 selected');
    expect(b.selection.toSelection()).toEqual({ kind: 'keys', keys: [key(1), key(2)] });
    expect(b.refreshed).toHaveBeenCalledTimes(1);
    // Trying again is one click, and asks of the failed ones only.
    b.click('bulk-delete');
    await settle();
    expect(api.selectionSize).toHaveBeenLastCalledWith({ kind: 'keys', keys: [key(1), key(2)] });
  });

  it('clears on Escape, but not while a dialog or the player is open', async () => {
    const b = render();
    b.pick(1, 2);
    b.click('bulk-delete');
    await settle();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }));
    flushSync();
    expect(b.selection.count).toBe(2);
    [...document.querySelectorAll<HTMLButtonElement>('dialog button')].find((x) => x.textContent === 'Cancel')!.click();
    await settle();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    flushSync();
    expect(b.selection.isEmpty).toBe(true);
    expect(b.find('selection-bar')).toBeNull();
  });

  it('leaves Escape to the player when it covers the grid', () => {
    const b = render({ covered: true });
    b.pick(1);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    flushSync();
    expect(b.selection.count).toBe(1);
  });
});
