import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VideoSummary } from '../lib/api';
import VideoGrid from './VideoGrid.svelte';

const video = (i: number): VideoSummary => ({
  id: i,
  key: `c/v-${i}.mp4`,
  creator: 'c',
  name: `v-${i}.mp4`,
  size: i,
  lastModified: i,
  recordedAt: null,
  favorite: false,
  seenAt: null,
  position: 0,
  prediction: null,
  quality: null,
  title: null,
  date: 0,
  datedBy: 'uploaded',
  missingSince: null,
});

// jsdom lays nothing out: give the scroller a size and run ResizeObserver callbacks.
beforeAll(() => {
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

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

function render(initial: { order: number[]; startIndex?: number }) {
  const props = $state({
    count: initial.order.length,
    version: 0,
    resultId: 1,
    order: initial.order,
  });
  const tops: number[] = [];
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
      item: (i: number) => (i < props.order.length ? video(props.order[i]) : undefined),
      ensure: () => {},
      cardWidth: 240,
      startIndex: initial.startIndex ?? 0,
      onTopIndex: (i: number) => tops.push(i),
      onToggleFavorite: () => {},
      onOpen: () => {},
    },
  });
  cleanup = () => unmount(grid);
  flushSync();
  const root = target.querySelector<HTMLElement>('[data-testid=grid]')!;
  const card = (key: string) => root.querySelector<HTMLElement>(`[data-key="${key}"]`);
  return { props, root, card, tops };
}

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
