// A video's poster frame, made in the page: the bucket has no thumbnails and the core has
// no video decoder, but the webview has one. A detached <video> decodes the media, one
// frame well into it is drawn onto a canvas, and the canvas is encoded as a JPEG small
// enough for the core to keep beside the catalog.
//
// The media comes as bytes the core fetched, played from a `blob:` URL of this page: a
// frame of a cross-origin video (a presigned bucket link) cannot be read back, since
// drawing it taints the canvas, and a bucket's CORS rules are not ours to set.

import { TimeoutError, withTimeout } from './time';

/** What the core accepts (it keeps at most 20 KB), with a margin. */
export const POSTER_LIMIT_BYTES = 20_000;

/** The sizes tried, largest first: twice the width of a typical card (a sharp poster on
 * a HiDPI screen), then halved while the JPEG will not fit. Cards are 16:9. */
export const POSTER_SIZES: readonly Size[] = [
  { width: 480, height: 270 },
  { width: 240, height: 135 },
  { width: 120, height: 68 },
];

/** JPEG qualities tried at each size, best first. WebKit encodes no WebP (toBlob falls
 * back to PNG), so JPEG it is. */
export const POSTER_QUALITIES: readonly number[] = [0.72, 0.6, 0.5, 0.4];

/** A decode that has not given a frame by then will not (a file the webview cannot
 * play stalls as often as it errors): it counts as one that failed. */
export const DECODE_LIMIT_MS = 8000;

/** The frame is taken a third into the video, and no later than this: first frames are
 * often black (a fade-in, a camera starting), and a long video need not be read far. */
const LATEST_FRAME_S = 5;

/** HTMLMediaElement.HAVE_CURRENT_DATA: a frame to draw (jsdom lacks the constant). */
const HAVE_CURRENT_DATA = 2;

export interface Size {
  width: number;
  height: number;
}

/** No frame can be made of this media: it would not decode, has no picture, or no JPEG
 * of it fits. Made again it would fail again, so the core remembers it. */
export class FrameError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FrameError';
  }
}

/** The page's content security policy refused to load the `blob:` media (its
 * `media-src` lacks `blob:`). Not the video's fault: no poster can be made in this page
 * at all, and none of the videos must be remembered as failed for it. */
export class MediaBlocked extends Error {
  constructor() {
    super('the page’s content security policy does not allow blob: media (media-src)');
    this.name = 'MediaBlocked';
  }
}

/** The poster of `media` (an MP4 the page can decode): a JPEG of at most
 * POSTER_LIMIT_BYTES. Rejects with a FrameError when the media gives no frame within
 * `limitMs`, with MediaBlocked when the page may not play it. The video element and
 * the object URL are freed however it ends. */
export async function frameOf(media: Blob, limitMs = DECODE_LIMIT_MS): Promise<Blob> {
  const url = URL.createObjectURL(media);
  const video = document.createElement('video');
  const canvas = document.createElement('canvas');
  const done = new AbortController();
  let blocked = false;
  // A refused load only shows on the element as a media error, the same as a file that
  // will not decode: the policy's own report says which it was.
  document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      if (event.effectiveDirective.startsWith('media-src') && event.blockedURI.startsWith('blob')) blocked = true;
    },
    { signal: done.signal },
  );
  try {
    return await withTimeout(drawFrame(video, url, canvas, done.signal, () => blocked), limitMs);
  } catch (e) {
    if (e instanceof TimeoutError) throw new FrameError(`no frame within ${limitMs / 1000} s`);
    throw e;
  } finally {
    done.abort();
    // Leaving the element to the collector would keep its decoder and buffers a while.
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
    canvas.width = 0;
    canvas.height = 0;
  }
}

async function drawFrame(
  video: HTMLVideoElement,
  url: string,
  canvas: HTMLCanvasElement,
  signal: AbortSignal,
  blocked: () => boolean,
): Promise<Blob> {
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  const loaded = mediaEvent(video, 'loadeddata', signal, blocked);
  video.src = url;
  await loaded;
  const seeked = mediaEvent(video, 'seeked', signal, blocked);
  video.currentTime = frameTime(video.duration);
  await seeked;
  if (video.videoWidth === 0 || video.videoHeight === 0) throw new FrameError('the media has no picture');
  if (video.readyState < HAVE_CURRENT_DATA) throw new FrameError('no frame at the time sought');
  return encodeWithin(POSTER_LIMIT_BYTES, jpegEncoder(video, canvas));
}

/** Where in a video of `duration` seconds the poster's frame is taken. */
export function frameTime(duration: number): number {
  if (!(duration > 0)) return 0;
  return Math.min(duration / 3, LATEST_FRAME_S);
}

/** The part of a `width` x `height` picture that covers a frame of `aspect` (width over
 * height), centred: what `object-fit: cover` shows, cropped once here rather than
 * stretched on every card. */
export function coverCrop(width: number, height: number, aspect: number): { x: number; y: number; width: number; height: number } {
  if (width / height > aspect) {
    const cropped = height * aspect;
    return { x: (width - cropped) / 2, y: 0, width: cropped, height };
  }
  const cropped = width / aspect;
  return { x: 0, y: (height - cropped) / 2, width, height: cropped };
}

/** The first encoding of at most `limit` bytes: each quality at the largest size, then
 * the same at each smaller one (a frame full of detail, a noisy night shot). Rejects
 * with a FrameError when even the smallest, plainest will not fit. */
export async function encodeWithin(
  limit: number,
  encode: (size: Size, quality: number) => Promise<Blob>,
  sizes: readonly Size[] = POSTER_SIZES,
  qualities: readonly number[] = POSTER_QUALITIES,
): Promise<Blob> {
  let smallest = Infinity;
  for (const size of sizes) {
    for (const quality of qualities) {
      const jpeg = await encode(size, quality);
      if (jpeg.size <= limit) return jpeg;
      smallest = Math.min(smallest, jpeg.size);
    }
  }
  throw new FrameError(`no JPEG of the frame fits in ${limit} bytes (the smallest was ${smallest})`);
}

/** Encodes the frame `video` shows, cropped to the size asked; drawn once per size. */
function jpegEncoder(video: HTMLVideoElement, canvas: HTMLCanvasElement): (size: Size, quality: number) => Promise<Blob> {
  let drawn: Size | null = null;
  return (size, quality) => {
    if (drawn !== size) {
      canvas.width = size.width;
      canvas.height = size.height;
      const context = canvas.getContext('2d');
      if (!context) return Promise.reject(new FrameError('no 2D canvas to draw the frame on'));
      const crop = coverCrop(video.videoWidth, video.videoHeight, size.width / size.height);
      context.drawImage(video, crop.x, crop.y, crop.width, crop.height, 0, 0, size.width, size.height);
      drawn = size;
    }
    return new Promise((resolve, reject) => {
      canvas.toBlob(
        (blob) => {
          // A webview that cannot encode JPEG gives PNG instead: the core keeps JPEG only.
          if (blob && blob.type === 'image/jpeg') resolve(blob);
          else reject(new FrameError('the webview gave no JPEG of the frame'));
        },
        'image/jpeg',
        quality,
      );
    });
  };
}

/** Resolves on the element's `name` event; rejects on its `error` event, saying why. */
function mediaEvent(video: HTMLVideoElement, name: 'loadeddata' | 'seeked', signal: AbortSignal, blocked: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    video.addEventListener(name, () => resolve(), { once: true, signal });
    video.addEventListener(
      'error',
      () => {
        const reason = mediaErrorText(video.error);
        // The policy's report is a task queued beside the element's error: one turn later
        // it has come, if there is one.
        setTimeout(() => reject(blocked() ? new MediaBlocked() : new FrameError(reason)), 0);
      },
      { once: true, signal },
    );
  });
}

function mediaErrorText(error: MediaError | null): string {
  switch (error?.code) {
    case 2:
      return 'the media could not be read';
    case 3:
      return 'the media would not decode';
    case 4:
      return 'the media’s format is not one the webview plays';
    default:
      return error?.message || 'the media failed to load';
  }
}
