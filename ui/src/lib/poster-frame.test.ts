import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coverCrop, encodeWithin, FrameError, frameOf, frameTime, MediaBlocked, POSTER_LIMIT_BYTES, type Size } from './poster-frame';

/** A Blob of `size` bytes of `type`. */
function blobOf(size: number, type = 'image/jpeg'): Blob {
  return new Blob([new Uint8Array(size)], { type });
}

describe('the JPEG that fits', () => {
  it('steps the quality down at full size until one fits', async () => {
    const tried: [number, number][] = [];
    const jpeg = await encodeWithin(20_000, async (size, quality) => {
      tried.push([size.width, quality]);
      return blobOf(quality > 0.55 ? 26_000 : 19_000);
    });
    expect(tried).toEqual([
      [480, 0.72],
      [480, 0.6],
      [480, 0.5],
    ]);
    expect(jpeg.size).toBe(19_000);
  });

  it('halves the size once no quality fits, starting again from the best quality', async () => {
    const tried: string[] = [];
    const jpeg = await encodeWithin(20_000, async (size: Size, quality) => {
      tried.push(`${size.width}x${size.height}@${quality}`);
      return blobOf(size.width === 480 ? 40_000 : quality > 0.7 ? 21_000 : 12_000);
    });
    expect(tried).toEqual(['480x270@0.72', '480x270@0.6', '480x270@0.5', '480x270@0.4', '240x135@0.72', '240x135@0.6']);
    expect(jpeg.size).toBe(12_000);
  });

  it('fails as a frame that cannot be made when even the smallest is too big', async () => {
    const encode = vi.fn(async (size: Size) => blobOf(size.width * 100));
    await expect(encodeWithin(1_000, encode)).rejects.toThrow(FrameError);
    expect(encode).toHaveBeenCalledTimes(12);
  });

  it('takes a JPEG exactly at the limit', async () => {
    expect((await encodeWithin(POSTER_LIMIT_BYTES, async () => blobOf(POSTER_LIMIT_BYTES))).size).toBe(POSTER_LIMIT_BYTES);
  });
});

describe('where the frame is taken and how it is cropped', () => {
  it('takes the frame a third in, never past five seconds, and at the start of a video without a length', () => {
    expect(frameTime(2)).toBeCloseTo(2 / 3);
    expect(frameTime(12)).toBe(4);
    expect(frameTime(3600)).toBe(5);
    expect(frameTime(Infinity)).toBe(5);
    expect(frameTime(NaN)).toBe(0);
    expect(frameTime(0)).toBe(0);
  });

  it('crops to 16:9 from the middle: the sides of a wide picture, the top and bottom of a tall one', () => {
    expect(coverCrop(1920, 1080, 16 / 9)).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
    expect(coverCrop(1080, 1920, 16 / 9)).toEqual({ x: 0, y: (1920 - 607.5) / 2, width: 1080, height: 607.5 });
    expect(coverCrop(2400, 900, 16 / 9)).toEqual({ x: 400, y: 0, width: 1600, height: 900 });
  });
});

// jsdom decodes nothing: the element is caught as it is made, and the test plays the
// webview's part (its events, its picture's size, the canvas's encodings).
describe('a frame of the media', () => {
  let video: HTMLVideoElement;
  let draws: number[][];
  let encodings: [string, number][];
  let encodedSize: (quality: number) => number;
  let encodedType: string;
  let revoked: string[];
  let loads: number;

  beforeEach(() => {
    draws = [];
    encodings = [];
    encodedSize = () => 15_000;
    encodedType = 'image/jpeg';
    revoked = [];
    loads = 0;
    URL.createObjectURL = vi.fn(() => 'blob:media-1');
    URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
    const create = document.createElement.bind(document);
    vi.spyOn(document, 'createElement').mockImplementation((name: string) => {
      const element = create(name);
      if (name === 'video') {
        video = element as HTMLVideoElement;
        video.load = () => void loads++;
      }
      return element;
    });
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
      return { drawImage: (...args: unknown[]) => void draws.push(args.slice(1) as number[]) } as unknown as CanvasRenderingContext2D;
    } as unknown as HTMLCanvasElement['getContext']);
    vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation(function (this: HTMLCanvasElement, callback, type, quality) {
      encodings.push([`${this.width}x${this.height}`, quality as number]);
      setTimeout(() => callback(blobOf(encodedSize(quality as number), type === 'image/jpeg' ? encodedType : 'image/png')), 0);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  /** The webview has the media's first data: `width` x `height`, `duration` s. */
  function loaded(width: number, height: number, duration: number) {
    Object.defineProperty(video, 'videoWidth', { configurable: true, value: width });
    Object.defineProperty(video, 'videoHeight', { configurable: true, value: height });
    Object.defineProperty(video, 'duration', { configurable: true, value: duration });
    Object.defineProperty(video, 'readyState', { configurable: true, value: 4 });
    video.dispatchEvent(new Event('loadeddata'));
  }

  function freed() {
    expect(video.hasAttribute('src')).toBe(false);
    expect(loads).toBe(1);
    expect(revoked).toEqual(['blob:media-1']);
  }

  it('seeks a third in, draws the frame cropped to 16:9 on 480x270, and gives the first JPEG that fits', async () => {
    encodedSize = (quality) => (quality > 0.65 ? 24_000 : 17_000);
    const making = frameOf(blobOf(1000, 'video/mp4'));
    await Promise.resolve();
    expect(video.getAttribute('src')).toBe('blob:media-1');
    expect(video.muted).toBe(true);
    expect(video.preload).toBe('auto');
    loaded(1080, 1920, 9);
    await Promise.resolve();
    expect(video.currentTime).toBe(3);
    video.dispatchEvent(new Event('seeked'));
    const jpeg = await making;
    expect(jpeg.size).toBe(17_000);
    expect(encodings).toEqual([
      ['480x270', 0.72],
      ['480x270', 0.6],
    ]);
    // Drawn once for both encodings: the middle of the portrait picture.
    expect(draws).toEqual([[0, (1920 - 607.5) / 2, 1080, 607.5, 0, 0, 480, 270]]);
    freed();
  });

  it('fails as a frame that cannot be made on a media error, and frees the element', async () => {
    const making = frameOf(blobOf(1000, 'video/mp4'));
    await Promise.resolve();
    Object.defineProperty(video, 'error', { configurable: true, value: { code: 4, message: '' } });
    video.dispatchEvent(new Event('error'));
    await expect(making).rejects.toThrow(new FrameError('the media’s format is not one the webview plays'));
    freed();
  });

  it('gives up after eight seconds without a frame, and frees the element', async () => {
    vi.useFakeTimers();
    const making = frameOf(blobOf(1000, 'video/mp4'));
    const failed = expect(making).rejects.toThrow(FrameError);
    await vi.advanceTimersByTimeAsync(8_000);
    await failed;
    freed();
  });

  it('says the page refused the media, not that it is broken, when the policy reports blob: media blocked', async () => {
    const making = frameOf(blobOf(1000, 'video/mp4'));
    await Promise.resolve();
    // The element's error first, the policy's report after it: the order is the webview's.
    video.dispatchEvent(new Event('error'));
    document.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), { effectiveDirective: 'media-src', blockedURI: 'blob' }));
    await expect(making).rejects.toThrow(MediaBlocked);
    freed();
  });

  it('fails a media without a picture (sound only)', async () => {
    const making = frameOf(blobOf(1000, 'video/mp4'));
    await Promise.resolve();
    loaded(0, 0, 30);
    await Promise.resolve();
    video.dispatchEvent(new Event('seeked'));
    await expect(making).rejects.toThrow(new FrameError('the media has no picture'));
    expect(encodings).toEqual([]);
    freed();
  });

  it('fails when the webview gives PNG for JPEG: the core keeps JPEG only', async () => {
    encodedType = 'image/png';
    const making = frameOf(blobOf(1000, 'video/mp4'));
    await Promise.resolve();
    loaded(320, 180, 2);
    await Promise.resolve();
    video.dispatchEvent(new Event('seeked'));
    await expect(making).rejects.toThrow(FrameError);
    freed();
  });
});
