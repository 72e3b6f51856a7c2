import type { LoaderCallbacks, LoaderConfiguration, LoaderContext } from 'hls.js';
import { describe, expect, it, vi } from 'vitest';

/** The core's answers behind the api: bytes by key, or its refusal. */
const core = vi.hoisted(() => ({ objects: new Map<string, Uint8Array>(), asked: [] as string[] }));

vi.mock('../lib/api', async (original) => {
  const real = await original<typeof import('../lib/api')>();
  return {
    ...real,
    streamObject: async (key: string) => {
      core.asked.push(key);
      const bytes = core.objects.get(key);
      if (!bytes) throw { kind: 'invalid', message: `${key} is not a part of an HLS video in this library` };
      return bytes.slice().buffer;
    },
  };
});

const { CoreLoader, Parts, answerOf, keyOf, levelLabel, startPosition, streamUrl } = await import('./stream');

function context(url: string, patch: Partial<LoaderContext> = {}): LoaderContext {
  return { url, responseType: 'arraybuffer', type: 'media-fragment', ...patch } as LoaderContext;
}

/** A loader's one answer. */
function load(url: string, patch: Partial<LoaderContext> = {}) {
  return new Promise<{ ok: boolean; data?: unknown; code?: number; loaded: number }>((resolve) => {
    const callbacks: LoaderCallbacks<LoaderContext> = {
      onSuccess: (response, stats) => resolve({ ok: true, data: response.data, loaded: stats.loaded }),
      onError: (error, _context, _details, stats) => resolve({ ok: false, code: error.code, loaded: stats.loaded }),
      onTimeout: () => resolve({ ok: false, loaded: 0 }),
    };
    new CoreLoader().load(context(url, patch), {} as LoaderConfiguration, callbacks);
  });
}

describe('the keys hls.js asks for', () => {
  it('come back from the URLs it resolves, relative URIs, spaces and all', () => {
    const playlist = streamUrl('bob/bob 2024-01-01_00-00-00/index.m3u8');
    expect(keyOf(playlist)).toBe('bob/bob 2024-01-01_00-00-00/index.m3u8');
    // hls.js resolves a segment's URI against the playlist's URL.
    expect(keyOf(new URL('seg%20001.m4s?x=1', playlist).href)).toBe('bob/bob 2024-01-01_00-00-00/seg 001.m4s');
    expect(keyOf(new URL('../keys/k.key', playlist).href)).toBe('bob/keys/k.key');
    expect(keyOf('https://cdn.example.com/seg.ts')).toBeNull();
    expect(keyOf(streamUrl('a/%zz.ts').replace('%25', '%'))).toBeNull();
  });
});

describe('the answer to a request', () => {
  const bytes = new TextEncoder().encode('#EXTM3U\n0123456789').buffer;

  it('is text for a playlist and bytes for a segment', () => {
    expect(answerOf(bytes, context('u', { responseType: 'text' }))).toBe('#EXTM3U\n0123456789');
    expect(answerOf(bytes, context('u'))).toBe(bytes);
    // What hls.js sends for a whole fragment.
    expect(answerOf(bytes, context('u', { rangeStart: 0, rangeEnd: 0 }))).toBe(bytes);
  });

  it('is the byte range an EXT-X-BYTERANGE asks for', () => {
    const part = answerOf(bytes, context('u', { rangeStart: 8, rangeEnd: 12 })) as ArrayBuffer;
    expect(new TextDecoder().decode(part)).toBe('0123');
  });
});

describe('the loader', () => {
  it('answers with the core bytes and counts them for the bandwidth estimate', async () => {
    core.objects.set('alice/a.ts', new Uint8Array([1, 2, 3, 4]));
    const answer = await load(streamUrl('alice/a.ts'));
    expect(answer.ok).toBe(true);
    expect(new Uint8Array(answer.data as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(answer.loaded).toBe(4);
  });

  it('fails for good on a key the catalog refuses, and asks nothing for a URL outside the library', async () => {
    expect(await load(streamUrl('alice/unknown.ts'))).toMatchObject({ ok: false, code: 404 });
    core.asked.length = 0;
    expect(await load('https://cdn.example.com/x.ts')).toMatchObject({ ok: false, code: 403 });
    expect(core.asked).toEqual([]);
  });

  it('says nothing once aborted', async () => {
    core.objects.set('alice/b.ts', new Uint8Array([9]));
    const loader = new CoreLoader();
    const told = vi.fn();
    loader.load(context(streamUrl('alice/b.ts')), {} as LoaderConfiguration, {
      onSuccess: told,
      onError: told,
      onTimeout: told,
    });
    loader.abort();
    await new Promise((r) => setTimeout(r, 10));
    expect(told).not.toHaveBeenCalled();
    expect(loader.stats.aborted).toBe(true);
  });
});

it('names a quality by its height and rate', () => {
  expect(levelLabel({ height: 720, bitrate: 2_400_000 })).toBe('720p (2.4 Mb/s)');
  expect(levelLabel({ height: 0, bitrate: 96_000 })).toBe('96 kb/s');
});

describe('parts fetched ahead', () => {
  /** A fetch that counts its calls per key and answers when told. */
  function counted() {
    const calls = new Map<string, number>();
    const pending = new Map<string, { resolve: (b: ArrayBuffer) => void; reject: (e: unknown) => void }>();
    const fetch = (key: string) =>
      new Promise<ArrayBuffer>((resolve, reject) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        pending.set(key, { resolve, reject });
      });
    return { calls, pending, fetch };
  }

  it('are fetched once: the take after them gets their bytes, the next take fetches again', async () => {
    const core = counted();
    const parts = new Parts(core.fetch);
    parts.ahead('a/1.ts');
    parts.ahead('a/1.ts');
    const taken = parts.take('a/1.ts');
    core.pending.get('a/1.ts')!.resolve(new Uint8Array([1]).buffer);
    expect(new Uint8Array(await taken)).toEqual(new Uint8Array([1]));
    expect(core.calls.get('a/1.ts')).toBe(1);
    void parts.take('a/1.ts');
    expect(core.calls.get('a/1.ts')).toBe(2);
  });

  it('keep a few, dropping the oldest a seek left unused, and fail the take of one that failed', async () => {
    const core = counted();
    const parts = new Parts(core.fetch);
    for (const n of [1, 2, 3, 4, 5]) parts.ahead(`a/${n}.ts`);
    void parts.take('a/1.ts');
    expect(core.calls.get('a/1.ts')).toBe(2);
    void parts.take('a/5.ts');
    expect(core.calls.get('a/5.ts')).toBe(1);
    core.pending.get('a/4.ts')!.reject(new Error('bucket gone'));
    await expect(parts.take('a/4.ts')).rejects.toThrow('bucket gone');
  });

  it('follow what the loader is asked for', async () => {
    core.objects.set('alice/s1.ts', new Uint8Array([1]));
    core.objects.set('alice/s2.ts', new Uint8Array([2]));
    core.asked.length = 0;
    const parts = new Parts();
    const following = (c: LoaderContext) => (c.url.endsWith('s1.ts') ? ['alice/s2.ts'] : []);
    const callbacks = { onSuccess: vi.fn(), onError: vi.fn(), onTimeout: vi.fn() };
    new CoreLoader(undefined, parts, following).load(context(streamUrl('alice/s1.ts')), {} as LoaderConfiguration, callbacks);
    expect(core.asked).toEqual(['alice/s1.ts', 'alice/s2.ts']);
    await new Promise((r) => setTimeout(r, 0));
    new CoreLoader(undefined, parts, following).load(context(streamUrl('alice/s2.ts')), {} as LoaderConfiguration, callbacks);
    await new Promise((r) => setTimeout(r, 0));
    expect(core.asked).toEqual(['alice/s1.ts', 'alice/s2.ts']);
    expect(callbacks.onSuccess).toHaveBeenCalledTimes(2);
  });
});

it('starts where the video was left, unless the player would not resume there', () => {
  expect(startPosition(0, 60)).toBe(-1);
  expect(startPosition(30, 60)).toBe(30);
  // Within the last 5 seconds: from the start, as the player resumes.
  expect(startPosition(57, 60)).toBe(-1);
  // A master playlist, its length not known yet.
  expect(startPosition(30, Number.NaN)).toBe(30);
  expect(startPosition(1, Number.NaN)).toBe(-1);
});
