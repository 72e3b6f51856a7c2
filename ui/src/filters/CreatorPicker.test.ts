import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreatorCounts } from '../lib/api';
import CreatorPicker from './CreatorPicker.svelte';

const creators: CreatorCounts[] = ['alice', 'bob'].map((name) => ({ name, videos: 2, favorites: 0, unseen: 1, bytes: 0 }));

function press(target: Element) {
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'click']) {
    target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
  }
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

function setup() {
  const toolbar = document.createElement('div');
  const card = document.createElement('button');
  let opened = 0;
  card.addEventListener('click', () => opened++);
  document.body.append(toolbar, card);
  const picked: string[][] = [];
  const picker = mount(CreatorPicker, { target: toolbar, props: { creators, selected: [], onChange: (n) => picked.push(n) } });
  cleanup = () => unmount(picker);
  const trigger = toolbar.querySelector<HTMLButtonElement>('[data-testid=creator-picker]')!;
  return { toolbar, card, trigger, picked, opened: () => opened };
}

describe('creator picker', () => {
  it('closes on a press on the grid, and the card under it does not open', () => {
    const { toolbar, card, trigger, opened } = setup();
    trigger.click();
    flushSync();
    expect(toolbar.querySelectorAll('[data-testid=creator-option]')).toHaveLength(2);
    expect(trigger.getAttribute('aria-expanded')).toBe('true');

    press(card);
    flushSync();
    expect(toolbar.querySelector('[data-testid=creator-option]')).toBeNull();
    expect(opened()).toBe(0);
  });

  it('stays open while creators are picked', () => {
    const { toolbar, trigger, picked } = setup();
    trigger.click();
    flushSync();
    press(toolbar.querySelector('[data-name=bob]')!);
    flushSync();
    expect(picked).toEqual([['bob']]);
    expect(toolbar.querySelector('[data-name=alice]')).not.toBeNull();
  });
});

describe('creator picker search', () => {
  it('finds "zoë" by typing "zoe", and the bucket root by "root"', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const list = ['zoë', 'bob', ''].map((name) => ({ name, videos: 1, favorites: 0, unseen: 0, bytes: 0 }));
    const picker = mount(CreatorPicker, { target, props: { creators: list, selected: [], onChange: () => {} } });
    cleanup = () => unmount(picker);
    target.querySelector<HTMLButtonElement>('[data-testid=creator-picker]')!.click();
    flushSync();
    const search = target.querySelector<HTMLInputElement>('[data-testid=creator-search]')!;
    const shown = (q: string) => {
      search.value = q;
      search.dispatchEvent(new Event('input', { bubbles: true }));
      flushSync();
      return [...target.querySelectorAll<HTMLElement>('[data-testid=creator-option]')].map((o) => o.dataset.name);
    };
    expect(shown('zoe')).toEqual(['zoë']);
    expect(shown('ZOË')).toEqual(['zoë']);
    expect(shown('root')).toEqual(['']);
  });
});
