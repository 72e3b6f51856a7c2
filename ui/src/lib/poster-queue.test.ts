import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { FrameError, MediaBlocked } from './poster-frame';
import { PosterQueue, type PosterMaking, type PosterQueueOptions } from './poster-queue';

/** A promise settled from outside, for work that is "in flight" until the test says. */
interface Pending<T> {
  key: string;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** The core and the decoder, answering only when told, counting what is in flight. */
class FakeMaking implements PosterMaking {
  lookups: Pending<ArrayBuffer | null>[] = [];
  sources: Pending<Blob>[] = [];
  frames: Pending<Blob>[] = [];
  saved: [string, Uint8Array][] = [];
  failed: [string, string][] = [];
  inFlight = { lookups: 0, makes: 0 };
  most = { lookups: 0, makes: 0 };
  /** When set, lookups answer at once with it (a kept JPEG, or null for none). */
  autoLookUp: ((key: string) => ArrayBuffer | null) | null = null;

  poster(key: string): Promise<ArrayBuffer | null> {
    if (this.autoLookUp) return Promise.resolve(this.autoLookUp(key));
    return this.#track('lookups', this.lookups, key);
  }

  posterSource(key: string): Promise<Blob> {
    this.inFlight.makes++;
    this.most.makes = Math.max(this.most.makes, this.inFlight.makes);
    return new Promise<Blob>((resolve, reject) => this.sources.push({ key, resolve, reject })).catch((e) => {
      this.inFlight.makes--;
      throw e;
    });
  }

  frameOf(media: Blob): Promise<Blob> {
    const key = (media as Blob & { key: string }).key;
    return new Promise<Blob>((resolve, reject) => this.frames.push({ key, resolve, reject })).finally(() => this.inFlight.makes--);
  }

  async savePoster(key: string, jpeg: Uint8Array): Promise<void> {
    this.saved.push([key, jpeg]);
  }

  async posterFailed(key: string, reason: string): Promise<void> {
    this.failed.push([key, reason]);
  }

  lookedUp(): string[] {
    return this.lookups.map((l) => l.key);
  }

  /** The pending lookup of `key`. */
  lookup(key: string): Pending<ArrayBuffer | null> {
    const found = this.lookups.find((l) => l.key === key);
    if (!found) throw new Error(`${key} was not looked up`);
    return found;
  }

  source(key: string): Pending<Blob> {
    const found = this.sources.find((s) => s.key === key);
    if (!found) throw new Error(`no media asked for ${key}`);
    return found;
  }

  frame(key: string): Pending<Blob> {
    const found = this.frames.find((f) => f.key === key);
    if (!found) throw new Error(`no frame asked of ${key}`);
    return found;
  }

  /** The whole making of `key`'s poster succeeds (media, then a frame). */
  async make(key: string): Promise<void> {
    this.source(key).resolve(media(key));
    await settle();
    this.frame(key).resolve(jpeg(key));
    // The making keeps its place until the JPEG is read and saved (FileReader: a task).
    await settle();
    await settle();
  }

  #track(kind: 'lookups', list: Pending<ArrayBuffer | null>[], key: string): Promise<ArrayBuffer | null> {
    this.inFlight[kind]++;
    this.most[kind] = Math.max(this.most[kind], this.inFlight[kind]);
    return new Promise<ArrayBuffer | null>((resolve, reject) => list.push({ key, resolve, reject })).finally(() => this.inFlight[kind]--);
  }
}

/** MP4 bytes of `key`, marked so the fake decoder knows whose they are. */
function media(key: string): Blob {
  return Object.assign(new Blob([`mp4 of ${key}`], { type: 'video/mp4' }), { key });
}

function jpeg(key: string): Blob {
  return new Blob([`jpeg of ${key}`], { type: 'image/jpeg' });
}

function kept(key: string): ArrayBuffer {
  return new TextEncoder().encode(`kept jpeg of ${key}`).buffer as ArrayBuffer;
}

/** Lets every promise chain run (the queue picks work a microtask after asking). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// jsdom's Blob cannot be read as a promise (WebKit's can, and the queue does, to save
// a poster): FileReader can.
beforeAll(() => {
  Blob.prototype.arrayBuffer ??= function (this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
});

// jsdom has no object URLs: each Blob gets one, and revoking is recorded.
let made: Map<string, Blob>;
let revoked: string[];
let madeCount = 0;
beforeEach(() => {
  made = new Map();
  revoked = [];
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:poster-${++madeCount}`;
    made.set(url, blob);
    return url;
  });
  URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
});
afterEach(() => {
  vi.useRealTimers();
});

let core: FakeMaking;
let clock: number;
function queue(options: Partial<PosterQueueOptions> = {}): PosterQueue {
  core = new FakeMaking();
  clock = 1_000_000;
  return new PosterQueue(core, { now: () => clock, ...options });
}

/** Asks as a card would, recording every answer it is given. */
function card(posters: PosterQueue, key: string, rank: number) {
  const answers: (string | null)[] = [];
  const drop = posters.want(key, rank, (url) => answers.push(url));
  return { answers, drop };
}

const key = (i: number) => `c/v-${i}.mp4`;

async function textOf(url: string | null | undefined): Promise<string> {
  return url ? new TextDecoder().decode(await made.get(url)!.arrayBuffer()) : String(url);
}

describe('the line of cards waiting for posters', () => {
  it('looks up the cards on screen first, in index order, then the nearest to it, and the shelf’s before all', async () => {
    const posters = queue({ lookups: 1 });
    for (const i of [9, 0, 3, 6, 1, 8, 2, 7, 4, 5]) card(posters, key(i), i);
    card(posters, 'shelf/s.mp4', -1);
    posters.showing(5, 7);
    await settle();
    for (let turn = 0; turn < 11; turn++) {
      core.lookups[turn].resolve(kept(core.lookups[turn].key));
      await settle();
    }
    expect(core.lookedUp()).toEqual(['shelf/s.mp4', ...[5, 6, 7, 4, 8, 3, 9, 2, 1, 0].map(key)]);
  });

  it('makes in the same order, and follows the screen as it moves', async () => {
    const posters = queue({ makes: 1 });
    core.autoLookUp = () => null;
    for (const i of [0, 1, 2, 3, 20, 21, 22]) card(posters, key(i), i);
    posters.showing(0, 3);
    await settle();
    expect(core.sources.map((s) => s.key)).toEqual([key(0)]);
    // Scrolled down while the first was made: the rows now on screen come next.
    posters.showing(20, 22);
    await core.make(key(0));
    expect(core.sources.map((s) => s.key)).toEqual([key(0), key(20)]);
  });

  it('looks up at most `lookups` and makes at most two at once, and gets through all of them', async () => {
    const posters = queue({ lookups: 6 });
    const cards = Array.from({ length: 24 }, (_, i) => card(posters, key(i), i));
    posters.showing(0, 23);
    await settle();
    expect(core.lookups).toHaveLength(6);
    // None is kept: each lookup's place goes to the next, and the makes queue up.
    for (let i = 0; i < 24; i++) {
      core.lookups[i].resolve(null);
      await settle();
      expect(core.inFlight.lookups).toBeLessThanOrEqual(6);
    }
    expect(core.most.lookups).toBe(6);
    expect(core.sources).toHaveLength(2);
    for (let i = 0; i < 24; i++) {
      await core.make(key(i));
      expect(core.inFlight.makes).toBeLessThanOrEqual(2);
    }
    expect(core.most.makes).toBe(2);
    expect(cards.every((c) => c.answers.length === 1 && c.answers[0] !== null)).toBe(true);
    expect(await textOf(cards[13].answers[0])).toBe(`jpeg of ${key(13)}`);
  });

  it('never asks for a card dropped before its turn: neither its lookup nor its making', async () => {
    const posters = queue({ lookups: 1, makes: 1 });
    const first = card(posters, key(1), 1);
    const scrolledPast = card(posters, key(2), 2);
    await settle();
    scrolledPast.drop();
    core.lookup(key(1)).resolve(null);
    await settle();
    expect(core.lookedUp()).toEqual([key(1)]);

    // Found to need making, then dropped while another is being made.
    const third = card(posters, key(3), 3);
    await settle();
    core.lookup(key(3)).resolve(null);
    await settle();
    third.drop();
    await core.make(key(1));
    expect(core.sources.map((s) => s.key)).toEqual([key(1)]);
    expect(first.answers).toHaveLength(1);
    expect(scrolledPast.answers).toEqual([]);
    expect(third.answers).toEqual([]);
  });

  it('tells a card recycled to another video nothing of the first one, and remembers the first’s poster made meanwhile', async () => {
    const posters = queue();
    core.autoLookUp = () => null;
    const shown = card(posters, key(1), 0);
    await settle();
    expect(core.sources.map((s) => s.key)).toEqual([key(1)]);
    // The cell scrolls on: it shows video 2 now.
    shown.drop();
    posters.want(key(2), 10, (url) => shown.answers.push(url));
    await core.make(key(1));
    expect(shown.answers).toEqual([]);
    await core.make(key(2));
    expect(shown.answers).toHaveLength(1);
    expect(await textOf(shown.answers[0])).toBe(`jpeg of ${key(2)}`);

    // Scrolling back to video 1: at once, nothing asked.
    const back = card(posters, key(1), 0);
    expect(await textOf(back.answers[0])).toBe(`jpeg of ${key(1)}`);
    expect(core.sources).toHaveLength(2);
  });

  it('shows a kept poster without making one, and saves a poster it made', async () => {
    const posters = queue();
    const cached = card(posters, key(1), 0);
    const fresh = card(posters, key(2), 1);
    await settle();
    core.lookup(key(1)).resolve(kept(key(1)));
    core.lookup(key(2)).resolve(null);
    await settle();
    expect(await textOf(cached.answers[0])).toBe(`kept jpeg of ${key(1)}`);
    expect(made.get(cached.answers[0]!)!.type).toBe('image/jpeg');
    expect(core.sources.map((s) => s.key)).toEqual([key(2)]);

    await core.make(key(2));
    await settle();
    expect(core.saved.map(([k]) => k)).toEqual([key(2)]);
    expect(new TextDecoder().decode(core.saved[0][1])).toBe(`jpeg of ${key(2)}`);
    expect(fresh.answers).toHaveLength(1);
  });

  it('answers two cards of one video (the shelf’s and the grid’s) with one lookup', async () => {
    const posters = queue();
    const shelf = card(posters, key(1), -1);
    const grid = card(posters, key(1), 40);
    await settle();
    core.lookup(key(1)).resolve(kept(key(1)));
    await settle();
    expect(core.lookups).toHaveLength(1);
    expect(shelf.answers).toEqual(grid.answers);
    expect(shelf.answers[0]).toMatch(/^blob:/);
  });
});

describe('what the session remembers', () => {
  it('stops asking for a video the core has nothing to make a poster from', async () => {
    const posters = queue();
    core.autoLookUp = () => null;
    const first = card(posters, key(1), 0);
    await settle();
    core.source(key(1)).reject(new ApiError('noPoster', 'no preview to take a frame from'));
    await settle();
    expect(first.answers).toEqual([null]);

    clock += 3_600_000;
    const again = card(posters, key(1), 0);
    expect(again.answers).toEqual([null]);
    await settle();
    expect(core.sources).toHaveLength(1);
  });

  it('tells the core once of a frame that would not decode, and never tries it again', async () => {
    const posters = queue();
    core.autoLookUp = () => null;
    const first = card(posters, key(1), 0);
    await settle();
    core.source(key(1)).resolve(media(key(1)));
    await settle();
    core.frame(key(1)).reject(new FrameError('the media would not decode'));
    await settle();
    expect(first.answers).toEqual([null]);
    expect(core.failed).toEqual([[key(1), 'the media would not decode']]);

    first.drop();
    clock += 3_600_000;
    expect(card(posters, key(1), 0).answers).toEqual([null]);
    await settle();
    expect(core.sources).toHaveLength(1);
    expect(core.failed).toHaveLength(1);
  });

  it('asks again after a passing failure, but not before a minute has gone', async () => {
    const posters = queue();
    core.autoLookUp = () => null;
    card(posters, key(1), 0);
    await settle();
    core.source(key(1)).reject(new ApiError('source', 'the bucket did not answer'));
    await settle();

    clock += 59_000;
    expect(card(posters, key(1), 0).answers).toEqual([null]);
    await settle();
    expect(core.sources).toHaveLength(1);

    clock += 2_000;
    const later = card(posters, key(1), 0);
    expect(later.answers).toEqual([]);
    await settle();
    expect(core.sources).toHaveLength(2);
    expect(core.failed).toEqual([]);
  });

  it('does not tell the core of a failure that is the page’s, not the video’s', async () => {
    const posters = queue();
    core.autoLookUp = () => null;
    const first = card(posters, key(1), 0);
    await settle();
    core.source(key(1)).resolve(media(key(1)));
    await settle();
    core.frame(key(1)).reject(new TypeError('a bug of ours'));
    await settle();
    expect(first.answers).toEqual([null]);
    expect(core.failed).toEqual([]);
  });

  it('revokes the object URL of the poster shown least recently beyond its limit, and asks for it again', async () => {
    const posters = queue({ remembered: 3 });
    core.autoLookUp = (k) => kept(k);
    const first = [1, 2, 3].map((i) => card(posters, key(i), i));
    await settle();
    const [one, two, three] = first.map((c) => c.answers[0]);
    expect(revoked).toEqual([]);
    // Video 1 shown again: video 2 is now the least recent.
    card(posters, key(1), 1);
    card(posters, key(4), 4);
    await settle();
    expect(revoked).toEqual([two]);
    expect(revoked).not.toContain(one);
    expect(revoked).not.toContain(three);

    const lookups = vi.spyOn(core, 'poster');
    const back = card(posters, key(2), 2);
    expect(back.answers).toEqual([]);
    await settle();
    expect(lookups).toHaveBeenCalledWith(key(2));
    expect(back.answers[0]).toMatch(/^blob:/);
    expect(back.answers[0]).not.toBe(two);
  });

  it('forgets everything after a sync, revoking its URLs; a deleted video alone on a delete', async () => {
    const posters = queue();
    core.autoLookUp = (k) => (k === key(3) ? null : kept(k));
    const one = card(posters, key(1), 1);
    const two = card(posters, key(2), 2);
    await settle();
    posters.forget(key(1));
    expect(revoked).toEqual([one.answers[0]]);
    expect(card(posters, key(2), 2).answers).toEqual(two.answers);

    card(posters, key(3), 3);
    await settle();
    core.source(key(3)).reject(new ApiError('noPoster', 'no previews'));
    await settle();
    posters.forgetAll();
    expect(revoked).toEqual([one.answers[0], two.answers[0]]);
    // The new version may have what the old had not.
    const three = card(posters, key(3), 3);
    expect(three.answers).toEqual([]);
    await settle();
    expect(core.sources.filter((s) => s.key === key(3))).toHaveLength(2);
  });

  it('does not remember a failure found by work started before a sync forgot everything', async () => {
    const posters = queue();
    core.autoLookUp = () => null;
    const asked = card(posters, key(4), 4);
    await settle();
    // The sync ends while the media is being fetched; then the old answer comes.
    posters.forgetAll();
    core.source(key(4)).reject(new ApiError('noPoster', 'no previews yet'));
    await settle();
    expect(asked.answers).toEqual([null]);
    // Asked again, it is tried again: the sync may have brought its previews.
    card(posters, key(4), 4);
    await settle();
    expect(core.sources.filter((s) => s.key === key(4))).toHaveLength(2);
  });

  it('makes no more posters once the page’s policy refuses blob: media, still showing kept ones', async () => {
    const posters = queue({ makes: 1 });
    core.autoLookUp = (k) => (k === key(9) ? kept(k) : null);
    const first = card(posters, key(1), 1);
    const second = card(posters, key(2), 2);
    await settle();
    core.source(key(1)).resolve(media(key(1)));
    await settle();
    core.frame(key(1)).reject(new MediaBlocked());
    await settle();
    expect(first.answers).toEqual([null]);
    expect(second.answers).toEqual([null]);
    expect(core.failed).toEqual([]);
    expect(core.sources).toHaveLength(1);

    const later = card(posters, key(3), 3);
    const keptOne = card(posters, key(9), 9);
    await settle();
    expect(later.answers).toEqual([null]);
    expect(keptOne.answers[0]).toMatch(/^blob:/);
    expect(core.sources).toHaveLength(1);
  });
});

describe('work that never ends', () => {
  it('gives a lookup that does not answer five seconds, then frees its place', async () => {
    vi.useFakeTimers();
    const posters = queue({ lookups: 1 });
    const stuck = card(posters, key(1), 0);
    card(posters, key(2), 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(core.lookedUp()).toEqual([key(1)]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stuck.answers).toEqual([null]);
    expect(core.lookedUp()).toEqual([key(1), key(2)]);
  });

  it('gives media that does not come fifteen seconds, a failure for now', async () => {
    vi.useFakeTimers();
    const posters = queue({ makes: 1 });
    core.autoLookUp = () => null;
    const stuck = card(posters, key(1), 0);
    card(posters, key(2), 1);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(stuck.answers).toEqual([null]);
    expect(core.sources.map((s) => s.key)).toEqual([key(1), key(2)]);
    expect(core.failed).toEqual([]);
    clock += 61_000;
    expect(card(posters, key(1), 0).answers).toEqual([]);
  });

  it('settles before the page goes: starts no making, still looks up, and resolves once the makings under way end', async () => {
    const posters = queue({ makes: 2 });
    core.autoLookUp = (k) => (k === key(9) ? kept(k) : null);
    const making = [card(posters, key(1), 0), card(posters, key(2), 1)];
    await settle();
    expect(core.sources.map((s) => s.key)).toEqual([key(1), key(2)]);

    let settled = false;
    const done = posters.settle().then(() => (settled = true));
    const waiting = card(posters, key(3), 2);
    const keptOne = card(posters, key(9), 3);
    await settle();
    expect(await textOf(keptOne.answers[0])).toBe(`kept jpeg of ${key(9)}`);
    await core.make(key(1));
    expect(settled).toBe(false);
    // One ends: the freed place is not taken by the card still waiting.
    expect(core.sources.map((s) => s.key)).toEqual([key(1), key(2)]);
    core.source(key(2)).reject(new Error('the bucket went away'));
    await done;
    expect(settled).toBe(true);
    expect(making[0].answers).toHaveLength(1);
    expect(waiting.answers).toEqual([]);
    expect(core.sources).toHaveLength(2);
  });
});
