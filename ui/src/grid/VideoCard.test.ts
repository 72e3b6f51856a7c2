import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoSummary, VideoUrls } from '../lib/api';

const { urlsFor } = vi.hoisted(() => ({ urlsFor: vi.fn<(key: string) => Promise<VideoUrls>>() }));
vi.mock('../lib/urls', async (original) => ({ ...(await original<typeof import('../lib/urls')>()), urlsFor }));

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
  position: 0,
  prediction: null,
  quality: 0,
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
  urlsFor.mockResolvedValue({ video: link(video.key), previewSegments: [link('previews/a/segment_1.mp4'), link('previews/a/segment_2.mp4')] });
});
afterEach(() => {
  cleanup?.();
  cleanup = null;
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
