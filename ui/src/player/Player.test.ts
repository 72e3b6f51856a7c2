import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaCheck, VideoDetail, VideoSummary, VideoUrls } from '../lib/api';

const mocks = vi.hoisted(() => ({
  urlsFor: vi.fn<(key: string) => Promise<VideoUrls>>(),
  forgetUrls: vi.fn<(key: string) => void>(),
  checkMedia: vi.fn<(key: string) => Promise<MediaCheck>>(),
  getVideo: vi.fn<(key: string) => Promise<VideoDetail>>(),
}));
vi.mock('../lib/urls', async (original) => ({
  ...(await original<typeof import('../lib/urls')>()),
  urlsFor: mocks.urlsFor,
  forgetUrls: mocks.forgetUrls,
}));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  checkMedia: mocks.checkMedia,
  getVideo: mocks.getVideo,
  savePosition: async (_key: string, seconds: number) => seconds,
}));

import Player from './Player.svelte';

const video: VideoSummary = {
  id: 1,
  key: 'alice/a.mp4',
  creator: 'alice',
  name: 'a.mp4',
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

let links = 0;
beforeAll(() => {
  HTMLMediaElement.prototype.pause = () => {};
  HTMLMediaElement.prototype.load = () => {};
});

let cleanup: (() => void) | null = null;
let settingsOpened = 0;
beforeEach(() => {
  vi.useFakeTimers();
  links = 0;
  settingsOpened = 0;
  mocks.urlsFor.mockImplementation(async (key) => ({
    video: { key, url: `http://bucket/${key}?link=${++links}`, expiresAt: Date.now() + 3_600_000 },
    previewSegments: [],
  }));
  mocks.getVideo.mockImplementation(async () => ({ ...video, etag: null, previewSegments: [] }));
  mocks.checkMedia.mockResolvedValue({ state: 'available' });
  mocks.forgetUrls.mockClear();
  mocks.checkMedia.mockClear();
});
afterEach(() => {
  cleanup?.();
  cleanup = null;
  vi.useRealTimers();
  document.body.innerHTML = '';
});

async function open() {
  const target = document.createElement('div');
  document.body.append(target);
  const player = mount(Player, {
    target,
    props: {
      video,
      hasPrevious: false,
      hasNext: false,
      onPrevious: () => {},
      onNext: () => {},
      onClose: () => {},
      onToggleFavorite: () => {},
      onSeen: () => {},
      onPosition: () => {},
      onDeleted: () => {},
      onSettings: () => settingsOpened++,
    },
  });
  cleanup = () => unmount(player);
  await vi.advanceTimersByTimeAsync(0);
  flushSync();
  return target;
}

const media = (root: HTMLElement) => root.querySelector<HTMLVideoElement>('[data-testid=player-video]');
const message = (root: HTMLElement) => root.querySelector('[data-testid=player-error]')?.textContent ?? '';

async function settle() {
  await vi.advanceTimersByTimeAsync(0);
  flushSync();
}

describe('the player on a server that does not deliver', () => {
  it('gives the load 15 s, asks the server why, and says it with a Retry that loads a fresh link', async () => {
    mocks.checkMedia.mockResolvedValue({ state: 'noAnswer', message: 'no answer in 5 s' });
    const root = await open();
    expect(media(root)?.src).toContain('link=1');
    await vi.advanceTimersByTimeAsync(14_900);
    expect(mocks.checkMedia).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    await settle();
    expect(mocks.checkMedia).toHaveBeenCalledWith('alice/a.mp4');
    expect(message(root)).toMatch(/The server does not answer in time: no answer in 5 s/);

    root.querySelector<HTMLButtonElement>('[data-testid=player-retry]')!.click();
    await settle();
    expect(mocks.forgetUrls).toHaveBeenCalledWith('alice/a.mp4');
    expect(media(root)?.src).toContain('link=2');
  });

  it('does not count a load that reached its first frame', async () => {
    const root = await open();
    media(root)!.dispatchEvent(new Event('loadeddata'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(mocks.checkMedia).not.toHaveBeenCalled();
    expect(media(root)).not.toBeNull();
  });

  it('times out a stall while playing', async () => {
    mocks.checkMedia.mockResolvedValue({ state: 'unreachable', message: 'connection refused' });
    const root = await open();
    const v = media(root)!;
    v.dispatchEvent(new Event('loadeddata'));
    Object.defineProperty(v, 'paused', { configurable: true, get: () => false });
    v.dispatchEvent(new Event('waiting'));
    await vi.advanceTimersByTimeAsync(15_100);
    await settle();
    expect(message(root)).toMatch(/Cannot reach the server: connection refused/);
  });

  it('falls back to a generic message when check_media hangs (8 s)', async () => {
    mocks.checkMedia.mockReturnValue(new Promise(() => {}));
    const root = await open();
    await vi.advanceTimersByTimeAsync(15_100);
    await settle();
    expect(message(root)).toBe('');
    await vi.advanceTimersByTimeAsync(8_000);
    await settle();
    expect(message(root)).toMatch(/asking the server why did not get an answer/);
    expect(root.querySelector('[data-testid=player-retry]')).not.toBeNull();
  });

  it('renews a refused link once by itself, then blames the format', async () => {
    const root = await open();
    const fail = (v: HTMLVideoElement) => {
      Object.defineProperty(v, 'error', { configurable: true, get: () => ({ code: 4 }) });
      v.dispatchEvent(new Event('error'));
    };
    fail(media(root)!);
    await settle();
    await settle();
    expect(mocks.forgetUrls).toHaveBeenCalledTimes(1);
    expect(media(root)?.src).toContain('link=2');
    expect(message(root)).toBe('');
    fail(media(root)!);
    await settle();
    await settle();
    expect(mocks.forgetUrls).toHaveBeenCalledTimes(1);
    expect(message(root)).toMatch(/format cannot be played here/);
  });

  it('sends a refused secret to Settings', async () => {
    mocks.checkMedia.mockResolvedValue({ state: 'refused', message: 'SignatureDoesNotMatch' });
    const root = await open();
    await vi.advanceTimersByTimeAsync(15_100);
    await settle();
    expect(message(root)).toMatch(/SignatureDoesNotMatch/);
    [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Open Settings')!.click();
    expect(settingsOpened).toBe(1);
  });
});
