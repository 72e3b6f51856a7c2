import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoSummary, VideoUrls } from '../lib/api';

const { urlsFor } = vi.hoisted(() => ({ urlsFor: vi.fn<(key: string) => Promise<VideoUrls>>() }));
vi.mock('../lib/urls', async (original) => ({ ...(await original<typeof import('../lib/urls')>()), urlsFor }));
const { poster } = vi.hoisted(() => ({ poster: vi.fn<(key: string) => Promise<ArrayBuffer | null>>() }));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  poster,
  posterSource: async () => {
    throw new (await original<typeof import('../lib/api')>()).ApiError('noPoster', 'nothing to make one from');
  },
}));

import { forgetAllPosters } from '../lib/posters.svelte';
import { defaultFilter } from '../lib/view';
import { VideoSelection } from './selection.svelte';
import VideoGrid from './VideoGrid.svelte';
import { videoAt } from '../test/videos';

const video = (i: number): VideoSummary => videoAt(i);

// jsdom lays nothing out: give the scroller a size and run ResizeObserver callbacks.
beforeAll(() => {
  // jsdom has no media playback.
  HTMLMediaElement.prototype.pause = () => {};
  HTMLMediaElement.prototype.load = () => {};
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  globalThis.ResizeObserver = class {
    #callback: ResizeObserverCallback;
    constructor(callback: ResizeObserverCallback) {
      this.#callback = callback;
    }
    observe() {
      this.#callback([], this as unknown as ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  };
});

const link = (key: string) => ({ key, url: `http://bucket/${key}`, expiresAt: Date.now() + 3_600_000 });
beforeEach(() => {
  poster.mockResolvedValue(null);
  urlsFor.mockImplementation(async (key) => ({ video: link(key), previewSegments: [link(`previews/${key}/segment_1.mp4`)] }));
});

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  forgetAllPosters();
  document.body.innerHTML = '';
});

function render(initial: {
  order: number[];
  startIndex?: number;
  loaded?: number;
  onselect?: (key: string) => void;
  /** Wire the app's selection model, as App.svelte does. */
  selectable?: boolean;
}) {
  const props = $state({
    count: initial.order.length,
    version: 0,
    resultId: 1,
    order: initial.order,
    /** Rows before this are loaded; the others are pages still to come. */
    loaded: initial.loaded ?? initial.order.length,
    paused: false,
  });
  const tops: number[] = [];
  const opened: string[] = [];
  const favorited: string[] = [];
  const asked: [number, number][] = [];
  const item = (i: number) => (i < props.order.length && i < props.loaded ? video(props.order[i]) : undefined);
  const selection = new VideoSelection({
    get resultId() {
      return props.resultId;
    },
    get total() {
      return props.count;
    },
    keyAt: (i) => item(i)?.key,
    keysBetween: async (from, to) => props.order.slice(from, to).map((i) => video(i).key),
    shownFilter: defaultFilter,
  });
  const selectionProps = initial.selectable
    ? {
        isSelected: (key: string, index: number) => selection.has(key, index),
        onselect: (key: string, index: number) => selection.toggle(key, index),
        onselectrange: (_: string, index: number) => void selection.selectRange(index),
      }
    : { onselect: initial.onselect };
  const target = document.createElement('div');
  document.body.append(target);
  const grid = mount(VideoGrid, {
    target,
    props: {
      get count() {
        return props.count;
      },
      get version() {
        return props.version;
      },
      get resultId() {
        return props.resultId;
      },
      get paused() {
        return props.paused;
      },
      item,
      ensure: (from: number, to: number) => asked.push([from, to]),
      cardWidth: 240,
      startIndex: initial.startIndex ?? 0,
      onTopIndex: (i: number) => tops.push(i),
      onToggleFavorite: (v: VideoSummary) => favorited.push(v.key),
      onOpen: (v: VideoSummary) => opened.push(v.key),
      ...selectionProps,
    },
  });
  cleanup = () => unmount(grid);
  flushSync();
  const root = target.querySelector<HTMLElement>('[data-testid=grid]')!;
  const card = (key: string) => root.querySelector<HTMLElement>(`[data-key="${key}"]`);
  return { props, root, card, tops, opened, favorited, asked, selection };
}

/** A key pressed where focus is, as the webview dispatches it. */
function press(key: string, init: KeyboardEventInit = {}) {
  const on = document.activeElement ?? document.body;
  on.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  flushSync();
}

/** The key of the card holding focus, and of the one showing the keyboard's ring. */
const focusedKey = () => document.activeElement?.closest<HTMLElement>('[data-testid=video-card]')?.dataset.key;
const ringKey = () => document.querySelector<HTMLElement>('[data-testid=video-card][data-focused]')?.dataset.key;

describe('the grid', () => {
  it('moves focus off a card once a re-sort fills its slot with another video', () => {
    const g = render({ order: Array.from({ length: 40 }, (_, i) => i) });
    const open = g.card('c/v-0.mp4')!.querySelector<HTMLElement>('[data-testid=card-open]')!;
    open.focus();
    expect(document.activeElement).toBe(open);
    // A re-sort: a new result, its first video far from the old screen.
    g.props.order = Array.from({ length: 40 }, (_, i) => 1000 + i);
    g.props.resultId = 2;
    g.props.version = 1;
    flushSync();
    expect(document.activeElement).toBe(g.root);
    expect(g.card('c/v-0.mp4')).toBeNull();
  });

  it('opens a restored view at its row, and reports the first video on screen', () => {
    const g = render({ order: Array.from({ length: 10_000 }, (_, i) => i), startIndex: 2_000 });
    // 1000 px wide at 240 px cards: 3 columns. Row 666 holds 1998..2000.
    expect(g.tops.at(-1)).toBe(1_998);
    expect(g.card('c/v-1998.mp4')).not.toBeNull();
    expect(g.card('c/v-0.mp4')).toBeNull();
  });
});

describe('the grid’s posters', () => {
  it('asks for the posters of the cards on screen before those of the rows rendered around them', async () => {
    const asked: string[] = [];
    const answers: (() => void)[] = [];
    poster.mockImplementation((key) => {
      asked.push(key);
      return new Promise((resolve) => answers.push(() => resolve(null)));
    });
    // Row 666 at the top (1998..2000); rows 664 and 665 are rendered above it, and
    // mount first.
    const g = render({ order: Array.from({ length: 10_000 }, (_, i) => i), startIndex: 2_000 });
    expect(g.card('c/v-1992.mp4')).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // A screen's worth is asked for at once: the cards on screen first, in order, then
    // the rows around them, nearest first.
    expect(asked.slice(0, 6)).toEqual(['c/v-1998.mp4', 'c/v-1999.mp4', 'c/v-2000.mp4', 'c/v-2001.mp4', 'c/v-2002.mp4', 'c/v-2003.mp4']);
    expect(asked.indexOf('c/v-1997.mp4')).toBeGreaterThan(5);
    expect(asked.indexOf('c/v-1997.mp4')).toBeLessThan(asked.indexOf('c/v-1992.mp4'));
    for (const answer of answers) answer();
  });
});

describe('the grid from the keyboard', () => {
  // 1000 px wide at 240 px cards: 3 columns; 600 px high: rows 265 px, 2 wholly on screen.
  const forty = () => Array.from({ length: 40 }, (_, i) => i);

  it('opens the second card on ArrowRight then Enter', () => {
    const g = render({ order: forty() });
    press('ArrowRight');
    expect(focusedKey()).toBe('c/v-1.mp4');
    expect(ringKey()).toBe('c/v-1.mp4');
    press('Enter');
    expect(g.opened).toEqual(['c/v-1.mp4']);
  });

  it('moves from the card that has focus, across row ends, and favorites and selects it', () => {
    const selected: string[] = [];
    const g = render({ order: forty(), onselect: (key) => selected.push(key) });
    g.card('c/v-2.mp4')!.querySelector<HTMLElement>('[data-testid=card-open]')!.focus();
    press('ArrowRight');
    expect(focusedKey()).toBe('c/v-3.mp4');
    press('ArrowDown');
    expect(focusedKey()).toBe('c/v-6.mp4');
    press('ArrowLeft');
    press('ArrowLeft');
    expect(focusedKey()).toBe('c/v-4.mp4');
    press('s');
    press('X', { shiftKey: true });
    expect(g.favorited).toEqual(['c/v-4.mp4']);
    expect(selected).toEqual(['c/v-4.mp4']);
    expect(g.opened).toEqual([]);
  });

  it('does nothing on X without a selection to give it to', () => {
    render({ order: forty() });
    press('ArrowRight');
    expect(() => press('x')).not.toThrow();
    expect(focusedKey()).toBe('c/v-1.mp4');
  });

  it('scrolls to keep the focused card on screen', () => {
    const g = render({ order: forty() });
    press('ArrowDown');
    press('ArrowDown');
    // Row 2 ends below the screen: the grid scrolls just enough, row 0 stays on top.
    expect(focusedKey()).toBe('c/v-6.mp4');
    expect(g.tops.at(-1)).toBe(0);
    // Two rows down, and the screen two rows with it: its top is in row 2 now.
    press('PageDown');
    expect(focusedKey()).toBe('c/v-12.mp4');
    expect(g.tops.at(-1)).toBe(6);
    press('Home');
    expect(focusedKey()).toBe('c/v-0.mp4');
    expect(g.tops.at(-1)).toBe(0);
  });

  it('keeps focus on its video through a re-sort, and moves on from where the video went', () => {
    const g = render({ order: forty() });
    press('ArrowRight');
    expect(focusedKey()).toBe('c/v-1.mp4');
    // Video 1 is now fifth; the slot it was in shows another video.
    g.props.order = [100, 101, 102, 103, 1, ...Array.from({ length: 35 }, (_, i) => 104 + i)];
    g.props.resultId = 2;
    g.props.version = 1;
    flushSync();
    expect(focusedKey()).toBe('c/v-1.mp4');
    press('ArrowRight');
    expect(focusedKey()).toBe('c/v-104.mp4');
    press('Enter');
    expect(g.opened).toEqual(['c/v-104.mp4']);
  });

  it('goes to the last video on End, once its page has come', () => {
    const g = render({ order: Array.from({ length: 10_000 }, (_, i) => i), loaded: 100 });
    press('End');
    // Its row is on screen and its page asked for; until it is in, no card has focus.
    expect(g.asked.at(-1)![1]).toBe(10_000);
    expect(g.card('c/v-9999.mp4')).toBeNull();
    expect(focusedKey()).toBeUndefined();
    g.props.loaded = 10_000;
    g.props.version = 1;
    flushSync();
    expect(focusedKey()).toBe('c/v-9999.mp4');
    press('ArrowUp');
    expect(focusedKey()).toBe('c/v-9996.mp4');
  });

  it('plays the focused card’s preview on Space, and stops it on Space again', async () => {
    const g = render({ order: forty() });
    press('ArrowRight');
    press(' ');
    await vi.waitFor(() => expect(g.card('c/v-1.mp4')!.querySelector('[data-testid=card-preview]')).not.toBeNull());
    expect(g.opened).toEqual([]);
    expect(g.card('c/v-0.mp4')!.querySelector('[data-testid=card-preview]')).toBeNull();
    press(' ');
    expect(g.card('c/v-1.mp4')!.querySelector('[data-testid=card-preview]')).toBeNull();
  });

  it('stops the preview when focus moves on', async () => {
    const g = render({ order: forty() });
    press('ArrowRight');
    press(' ');
    await vi.waitFor(() => expect(g.card('c/v-1.mp4')!.querySelector('[data-testid=card-preview]')).not.toBeNull());
    press('ArrowRight');
    expect(g.card('c/v-1.mp4')!.querySelector('[data-testid=card-preview]')).toBeNull();
  });

  it('takes no key while typing, or while the player covers the grid', () => {
    const g = render({ order: forty() });
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    press('ArrowRight');
    press('Enter');
    expect(document.activeElement).toBe(input);
    input.blur();
    g.props.paused = true;
    flushSync();
    press('ArrowRight');
    expect(focusedKey()).toBeUndefined();
    expect(g.opened).toEqual([]);
  });

  it('lists its keys on ?, and closes the list on Escape', () => {
    const g = render({ order: forty() });
    press('?', { shiftKey: true });
    const help = document.querySelector('[data-testid=grid-help]')!;
    expect(help.textContent).toContain('Select');
    expect(help.textContent).toContain('Page Up / Page Down');
    // While it is open, the grid's keys only close it.
    press('ArrowRight');
    expect(focusedKey()).toBeUndefined();
    press('Escape');
    expect(document.querySelector('[data-testid=grid-help]')).toBeNull();
    press('ArrowRight');
    press('Enter');
    expect(g.opened).toEqual(['c/v-1.mp4']);
  });

  it('shows the ring only while the keyboard is in use', () => {
    render({ order: forty() });
    press('ArrowRight');
    expect(ringKey()).toBe('c/v-1.mp4');
    window.dispatchEvent(new Event('pointerdown'));
    flushSync();
    expect(ringKey()).toBeUndefined();
    expect(focusedKey()).toBe('c/v-1.mp4');
  });
});

describe('selecting in the grid', () => {
  const forty = () => Array.from({ length: 40 }, (_, i) => i);
  /** A click on a card's poster, as the webview sends it. */
  const clickCard = (g: ReturnType<typeof render>, i: number, init: MouseEventInit = {}) => {
    g.card(`c/v-${i}.mp4`)!.querySelector<HTMLElement>('[data-testid=card-open]')!.dispatchEvent(
      new MouseEvent('click', { bubbles: true, cancelable: true, ...init }),
    );
    flushSync();
  };
  const selectedKeys = () =>
    [...document.querySelectorAll<HTMLElement>('[data-testid=video-card][data-selected="true"]')].map((c) => c.dataset.key);

  it('toggles a card on Ctrl-click or Cmd-click, without opening it', () => {
    const g = render({ order: forty(), selectable: true });
    clickCard(g, 4, { ctrlKey: true });
    expect(selectedKeys()).toEqual(['c/v-4.mp4']);
    expect(g.card('c/v-4.mp4')!.querySelector('[data-testid=card-selected]')).not.toBeNull();
    clickCard(g, 7, { metaKey: true });
    expect(selectedKeys()).toEqual(['c/v-4.mp4', 'c/v-7.mp4']);
    clickCard(g, 4, { ctrlKey: true });
    expect(selectedKeys()).toEqual(['c/v-7.mp4']);
    expect(g.opened).toEqual([]);
    // A plain click still opens, selection or not.
    clickCard(g, 2);
    expect(g.opened).toEqual(['c/v-2.mp4']);
  });

  it('selects a range on Shift-click, from the card last ticked', () => {
    const g = render({ order: forty(), selectable: true });
    clickCard(g, 1, { ctrlKey: true });
    clickCard(g, 5, { shiftKey: true });
    expect(selectedKeys()).toEqual([1, 2, 3, 4, 5].map((i) => `c/v-${i}.mp4`));
    expect(g.selection.count).toBe(5);
    expect(g.opened).toEqual([]);
  });

  it('toggles the focused card on X', () => {
    const g = render({ order: forty(), selectable: true });
    press('ArrowRight');
    press('x');
    expect(selectedKeys()).toEqual(['c/v-1.mp4']);
    press('ArrowRight');
    press('x');
    press('ArrowLeft');
    press('x');
    expect(selectedKeys()).toEqual(['c/v-2.mp4']);
    expect(g.opened).toEqual([]);
  });

  it('shows no card selected once a new result replaced the one selected in', () => {
    const g = render({ order: forty(), selectable: true });
    clickCard(g, 1, { ctrlKey: true });
    g.props.resultId = 2;
    g.props.version = 1;
    flushSync();
    expect(selectedKeys()).toEqual([]);
    expect(g.selection.isEmpty).toBe(true);
  });

  it('opens on Ctrl-click where the app has no selection', () => {
    const g = render({ order: forty() });
    clickCard(g, 3, { ctrlKey: true });
    expect(g.opened).toEqual(['c/v-3.mp4']);
  });
});
