import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoSummary, VideoUrls } from '../lib/api';

const { urlsFor } = vi.hoisted(() => ({ urlsFor: vi.fn<(key: string) => Promise<VideoUrls>>() }));
vi.mock('../lib/urls', async (original) => ({ ...(await original<typeof import('../lib/urls')>()), urlsFor }));
const posters = vi.hoisted(() => ({
  poster: vi.fn<(key: string) => Promise<ArrayBuffer | null>>(),
  posterSource: vi.fn<(key: string) => Promise<Blob>>(),
}));
vi.mock('../lib/api', async (original) => ({ ...(await original<typeof import('../lib/api')>()), ...posters }));

import { ApiError } from '../lib/api';
import { forgetAllPosters } from '../lib/posters.svelte';
import { PreviewSettings, previewContext } from '../lib/preview.svelte';
import VideoCard from './VideoCard.svelte';

const video: VideoSummary = {
  id: 1,
  key: 'alice/alice-2024-02-20_14-30-00.mp4',
  creator: 'alice',
  name: 'alice-2024-02-20_14-30-00.mp4',
  size: 1000,
  lastModified: 0,
  recordedAt: null,
  favorite: false,
  seenAt: null,
  markedSeenAt: null,
  position: 0,
  prediction: null,
  quality: null,
  title: null,
  date: 0,
  datedBy: 'uploaded',
  missingSince: null,
  isPlaylist: false,
  partsMissing: 0,
};

const link = (key: string) => ({ key, url: `http://bucket/${key}`, expiresAt: Date.now() + 3_600_000 });

beforeAll(() => {
  // jsdom has no media playback.
  HTMLMediaElement.prototype.pause = () => {};
  HTMLMediaElement.prototype.load = () => {};
});

let cleanup: (() => void) | null = null;
beforeEach(() => {
  vi.useFakeTimers();
  posters.poster.mockResolvedValue(null);
  posters.posterSource.mockRejectedValue(new ApiError('noPoster', 'nothing to make one from'));
  urlsFor.mockResolvedValue({ video: link(video.key), previewSegments: [link('previews/a/segment_1.mp4'), link('previews/a/segment_2.mp4')] });
});
afterEach(() => {
  cleanup?.();
  cleanup = null;
  forgetAllPosters();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

async function hovered() {
  const target = document.createElement('div');
  document.body.append(target);
  const card = mount(VideoCard, { target, props: { video, onToggleFavorite: () => {}, onOpen: () => {} } });
  cleanup = () => unmount(card);
  flushSync();
  target.querySelector('article')!.dispatchEvent(new Event('pointerenter'));
  await vi.advanceTimersByTimeAsync(250);
  flushSync();
  return target;
}

describe('a card’s hover preview', () => {
  it('shows no black box and no segment ticks before a segment plays', async () => {
    const card = await hovered();
    const preview = card.querySelector('video')!;
    expect(preview).not.toBeNull();
    expect(preview.classList.contains('started')).toBe(false);
    expect(card.querySelector('.ticks')).toBeNull();

    preview.dispatchEvent(new Event('playing'));
    flushSync();
    expect(preview.classList.contains('started')).toBe(true);
    expect(card.querySelectorAll('.tick')).toHaveLength(2);
  });

  it('gives up after 8 s without a first frame: "Preview unavailable", the video gone', async () => {
    const card = await hovered();
    await vi.advanceTimersByTimeAsync(7_900);
    expect(card.querySelector('video')).not.toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    flushSync();
    expect(card.querySelector('video')).toBeNull();
    expect(card.querySelector('[data-testid=card-no-preview]')?.textContent).toBe('Preview unavailable');
  });

  it('gives up at once on a media error', async () => {
    const card = await hovered();
    card.querySelector('video')!.dispatchEvent(new Event('error'));
    flushSync();
    expect(card.querySelector('video')).toBeNull();
    expect(card.querySelector('.ticks')).toBeNull();
    expect(card.textContent).toContain('Preview unavailable');
  });

  it('gives up when the links themselves do not come', async () => {
    urlsFor.mockReturnValue(new Promise(() => {}));
    const card = await hovered();
    await vi.advanceTimersByTimeAsync(8_100);
    flushSync();
    expect(card.textContent).toContain('Preview unavailable');
  });
});

describe('a card’s preview asked for by the keyboard', () => {
  function keyed() {
    const target = document.createElement('div');
    document.body.append(target);
    const props = $state({ preview: false });
    const card = mount(VideoCard, {
      target,
      props: {
        video,
        get preview() {
          return props.preview;
        },
        onToggleFavorite: () => {},
        onOpen: () => {},
      },
    });
    cleanup = () => unmount(card);
    flushSync();
    return { target, props };
  }

  it('starts at once, without the hover delay, and a pointer passing over does not stop it', async () => {
    const { target, props } = keyed();
    props.preview = true;
    flushSync();
    await vi.advanceTimersByTimeAsync(0);
    flushSync();
    expect(target.querySelector('[data-testid=card-preview]')).not.toBeNull();
    const article = target.querySelector('article')!;
    article.dispatchEvent(new Event('pointerenter'));
    article.dispatchEvent(new Event('pointerleave'));
    await vi.advanceTimersByTimeAsync(250);
    flushSync();
    expect(target.querySelector('[data-testid=card-preview]')).not.toBeNull();
    props.preview = false;
    flushSync();
    expect(target.querySelector('[data-testid=card-preview]')).toBeNull();
  });

  it('leaves a hover preview playing when the keyboard’s ends under the pointer', async () => {
    const { target, props } = keyed();
    props.preview = true;
    flushSync();
    await vi.advanceTimersByTimeAsync(0);
    target.querySelector('article')!.dispatchEvent(new Event('pointerenter'));
    props.preview = false;
    flushSync();
    expect(target.querySelector('[data-testid=card-preview]')).not.toBeNull();
  });
});

describe('what a card says of its video', () => {
  function card(v: Partial<VideoSummary>) {
    const target = document.createElement('div');
    document.body.append(target);
    const mounted = mount(VideoCard, { target, props: { video: { ...video, ...v }, onToggleFavorite: () => {}, onOpen: () => {} } });
    cleanup = () => unmount(mounted);
    flushSync();
    const text = (id: string) => target.querySelector(`[data-testid=${id}]`)?.textContent?.trim() ?? null;
    return { target, text };
  }

  it('names a file that is not the recorder pattern, and labels an upload time as such', () => {
    const named = card({
      key: 'carol/Holiday recording at the beach (1) copy.mp4',
      creator: 'carol',
      title: 'Holiday recording at the beach (1) copy.mp4',
      datedBy: 'uploaded',
      date: Date.UTC(2024, 6, 1, 9, 30),
    });
    expect(named.text('card-title')).toBe('Holiday recording at the beach (1) copy.mp4');
    expect(named.target.querySelector('.date')?.textContent).toMatch(/carol · uploaded 2024-07-01/);
    cleanup?.();
    const recorded = card({ title: null, datedBy: 'recorded', date: Date.UTC(2024, 1, 20, 14, 30), recordedAt: 1 });
    expect(recorded.text('card-title')).toBe('alice');
    expect(recorded.text('card-uploaded')).toBeNull();
  });

  it('shows "no score" apart from a real zero, and marks a video missing from its source', () => {
    const unscored = card({ quality: null, prediction: null });
    expect(unscored.text('card-unscored')).toBe('no score');
    cleanup?.();
    const zero = card({ quality: 0, prediction: '0'.repeat(100), missingSince: Date.UTC(2026, 10, 1) });
    expect(zero.text('card-unscored')).toBeNull();
    expect(zero.target.querySelector('.quality')?.textContent).toBe('Q 0');
    expect(zero.text('card-missing')).toBe('missing');
  });
});

describe('a card’s hover preview under the user’s settings', () => {
  function withSettings(settings: PreviewSettings) {
    const target = document.createElement('div');
    document.body.append(target);
    const card = mount(VideoCard, { target, props: { video, onToggleFavorite: () => {}, onOpen: () => {} }, context: previewContext(settings) });
    cleanup = () => unmount(card);
    flushSync();
    target.querySelector('article')!.dispatchEvent(new Event('pointerenter'));
    return target;
  }
  const previewing = (target: HTMLElement) => target.querySelector<HTMLVideoElement>('[data-testid=card-preview]');

  it('starts after the delay set, not the default one', async () => {
    const target = withSettings(new PreviewSettings({ enabled: true, hoverDelayMs: 600, sound: false }));
    await vi.advanceTimersByTimeAsync(550);
    flushSync();
    expect(previewing(target)).toBeNull();
    await vi.advanceTimersByTimeAsync(100);
    flushSync();
    expect(previewing(target)).not.toBeNull();
    expect(previewing(target)!.muted).toBe(true);
  });

  it('plays with sound when asked to, and not at all when previews are off', async () => {
    const loud = withSettings(new PreviewSettings({ enabled: true, hoverDelayMs: 0, sound: true }));
    await vi.advanceTimersByTimeAsync(10);
    flushSync();
    expect(previewing(loud)!.muted).toBe(false);
    cleanup?.();
    document.body.innerHTML = '';
    urlsFor.mockClear();

    const off = withSettings(new PreviewSettings({ enabled: false, hoverDelayMs: 0, sound: false }));
    await vi.advanceTimersByTimeAsync(1_000);
    flushSync();
    expect(previewing(off)).toBeNull();
    expect(urlsFor).not.toHaveBeenCalled();
  });
});

describe('what a card’s second line tells', () => {
  function card(v: Partial<VideoSummary>, detail: 'date' | 'watched' | 'resume') {
    const target = document.createElement('div');
    document.body.append(target);
    const mounted = mount(VideoCard, { target, props: { video: { ...video, ...v }, detail, onToggleFavorite: () => {}, onOpen: () => {} } });
    cleanup = () => unmount(mounted);
    flushSync();
    return target.querySelector('[data-testid=card-told]')?.textContent ?? null;
  }

  it('when it was last watched, in the history and the "last watched" sort', () => {
    vi.setSystemTime(Date.UTC(2026, 0, 10, 12));
    expect(card({ seenAt: Date.UTC(2026, 0, 10, 9) }, 'watched')).toBe('watched 3 h ago');
    cleanup?.();
    // Never watched (it sorts last): the date as usual.
    expect(card({ seenAt: null }, 'watched')).toBeNull();
    cleanup?.();
    expect(card({ seenAt: Date.UTC(2026, 0, 10, 11) }, 'date')).toBeNull();
  });

  it('a video marked seen shows seen, and no watched time it does not have', () => {
    const marked = Date.UTC(2026, 0, 9, 8);
    expect(card({ seenAt: null, markedSeenAt: marked }, 'watched')).toBeNull();
    expect(document.querySelector<HTMLElement>('[data-testid=card-seen]')?.title).toMatch(/^marked seen /);
    cleanup?.();
    expect(card({ seenAt: null, markedSeenAt: null }, 'date')).toBeNull();
    expect(document.querySelector('[data-testid=card-seen]')).toBeNull();
    cleanup?.();
    card({ seenAt: Date.UTC(2026, 0, 10, 9), markedSeenAt: marked }, 'date');
    expect(document.querySelector<HTMLElement>('[data-testid=card-seen]')?.title).toMatch(/^watched /);
  });

  it('where it resumes, on the shelf', () => {
    expect(card({ position: 754 }, 'resume')).toBe('resume at 12:34');
    cleanup?.();
    expect(card({ position: 3_723 }, 'resume')).toBe('resume at 1:02:03');
  });
});

describe('a card’s poster', () => {
  /** The core's lookups, answered when the test says; object URLs numbered as made. */
  let answers: Map<string, (bytes: ArrayBuffer | null) => void>;
  beforeEach(() => {
    answers = new Map();
    posters.poster.mockImplementation((key) => new Promise((resolve) => answers.set(key, resolve)));
    let made = 0;
    URL.createObjectURL = vi.fn(() => `blob:poster-${++made}`);
    URL.revokeObjectURL = vi.fn();
  });

  function shown(v: VideoSummary = video) {
    const target = document.createElement('div');
    document.body.append(target);
    const props = $state({ video: v });
    const card = mount(VideoCard, {
      target,
      props: {
        get video() {
          return props.video;
        },
        rank: 0,
        onToggleFavorite: () => {},
        onOpen: () => {},
      },
    });
    cleanup = () => unmount(card);
    flushSync();
    const article = target.querySelector('article')!;
    const img = () => target.querySelector<HTMLImageElement>('[data-testid=card-poster]');
    return { target, props, article, img };
  }

  async function answer(key: string, bytes: ArrayBuffer | null) {
    answers.get(key)!(bytes);
    await vi.advanceTimersByTimeAsync(0);
    flushSync();
  }

  const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff]).buffer as ArrayBuffer;

  it('keeps the tinted placeholder while waiting, then shows the poster, marked made once it has loaded', async () => {
    const card = shown();
    await vi.advanceTimersByTimeAsync(0);
    expect(posters.poster).toHaveBeenCalledWith(video.key);
    expect(card.img()).toBeNull();
    expect(card.article.hasAttribute('data-poster')).toBe(false);
    expect(card.target.querySelector('.initial')?.textContent).toBe('A');

    await answer(video.key, jpeg());
    const img = card.img()!;
    expect(img.getAttribute('src')).toBe('blob:poster-1');
    expect(img.alt).toBe('');
    expect(img.getAttribute('draggable')).toBe('false');
    // Not faded in, nor reported made, before the image has decoded.
    expect(img.classList.contains('shown')).toBe(false);
    expect(card.article.hasAttribute('data-poster')).toBe(false);
    img.dispatchEvent(new Event('load'));
    flushSync();
    expect(img.classList.contains('shown')).toBe(true);
    expect(card.article.dataset.poster).toBe('made');
  });

  it('keeps the placeholder, marked final, for a video that has none', async () => {
    const card = shown();
    await vi.advanceTimersByTimeAsync(0);
    await answer(video.key, null);
    await vi.advanceTimersByTimeAsync(0);
    flushSync();
    expect(posters.posterSource).toHaveBeenCalledWith(video.key);
    expect(card.img()).toBeNull();
    expect(card.article.dataset.poster).toBe('none');
    expect(card.target.querySelector('.initial')).not.toBeNull();
  });

  it('drops a kept poster that will not load back to the placeholder', async () => {
    const card = shown();
    await vi.advanceTimersByTimeAsync(0);
    await answer(video.key, jpeg());
    card.img()!.dispatchEvent(new Event('error'));
    flushSync();
    expect(card.img()).toBeNull();
    expect(card.article.dataset.poster).toBe('none');
  });

  it('never shows the last video’s poster on a card recycled to another', async () => {
    const other = { ...video, key: 'bob/b.mp4', creator: 'bob' };
    const card = shown();
    await vi.advanceTimersByTimeAsync(0);
    card.props.video = other;
    flushSync();
    await vi.advanceTimersByTimeAsync(0);
    // The first video's poster arrives after the card moved on.
    await answer(video.key, jpeg());
    expect(card.img()).toBeNull();
    expect(card.article.hasAttribute('data-poster')).toBe(false);
    await answer(other.key, jpeg());
    expect(card.img()!.getAttribute('src')).toBe('blob:poster-2');

    // Back to the first: its poster is remembered, shown at once.
    card.props.video = video;
    flushSync();
    expect(card.img()!.getAttribute('src')).toBe('blob:poster-1');

    // On to a video still waiting: the placeholder, not the poster just shown.
    card.props.video = { ...video, key: 'carol/c.mp4', creator: 'carol' };
    flushSync();
    expect(card.img()).toBeNull();
    expect(card.article.hasAttribute('data-poster')).toBe(false);
  });

  it('plays the hover preview over the poster', async () => {
    const card = shown();
    await vi.advanceTimersByTimeAsync(0);
    await answer(video.key, jpeg());
    card.img()!.dispatchEvent(new Event('load'));
    card.article.dispatchEvent(new Event('pointerenter'));
    await vi.advanceTimersByTimeAsync(250);
    flushSync();
    const preview = card.target.querySelector<HTMLVideoElement>('[data-testid=card-preview]')!;
    preview.dispatchEvent(new Event('playing'));
    flushSync();
    expect(preview.classList.contains('started')).toBe(true);
    // Stacked by document order (both absolute, neither with a z-index): the preview after.
    expect(card.img()!.compareDocumentPosition(preview) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(card.article.dataset.poster).toBe('made');
  });
});
