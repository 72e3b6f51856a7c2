// The line of cards waiting for their posters, and what the session has learnt of each
// video's. A poster kept by the core is a local read (about a millisecond), so several
// are asked for at once; one not made yet means fetching media and decoding a frame, so
// only two are made at a time, and the cards on screen go first. Cards scrolled away
// leave the line before their turn: a fast scroll through thousands of videos asks for
// the few it stops at.
//
// Plain TypeScript, the core and the decoder passed in: the tests drive it without a
// shell or a video decoder (see posters.svelte.ts for the app's one and the cards' side).

import { ApiError } from './api';
import { FrameError, MediaBlocked } from './poster-frame';
import { withTimeout } from './time';

/** What the queue asks of the core and of the page's decoder. */
export interface PosterMaking {
  /** The kept JPEG, or null when none is made yet. */
  poster(key: string): Promise<ArrayBuffer | null>;
  /** The media to take the frame from; an ApiError of kind `noPoster` when there is
   * none or making one failed before. */
  posterSource(key: string): Promise<Blob>;
  /** The JPEG of `media`'s poster frame (see poster-frame.ts). */
  frameOf(media: Blob): Promise<Blob>;
  savePoster(key: string, jpeg: Uint8Array): Promise<void>;
  posterFailed(key: string, reason: string): Promise<void>;
}

export interface PosterQueueOptions {
  /** Kept posters asked for at once: a screen of cards (24 of 180 px at 1280x800), so
   * that a screen scrolled to or shown after a restart takes one round of IPC calls, not
   * four of six (measured: see BENCHMARKS.md, "Poster frames in the real window"). */
  lookups: number;
  /** Posters made at once: each fetches media and runs a decoder. */
  makes: number;
  /** Object URLs kept for the session, the least recently shown revoked beyond it. */
  remembered: number;
  /** Keys without a poster remembered, so that scrolling back asks nothing; the oldest
   * forgotten beyond it (a whole library scrolled through need not stay in memory). */
  rememberedNone: number;
  /** A poster that failed for a passing reason (the bucket unreachable, the catalog
   * busy) is not asked for again before this long: scrolling back and forth must not
   * hammer a server that is down, and a laptop back online gets its posters. */
  retryAfterMs: number;
  /** A lookup with no answer by then (a wedged shell) frees its place in the line. */
  lookupLimitMs: number;
  /** Media still not fetched by then frees its place: the making counts as failed for
   * now, not for good (the network, not the video). */
  sourceLimitMs: number;
  now: () => number;
}

const DEFAULT_POSTER_QUEUE: PosterQueueOptions = {
  lookups: 24,
  makes: 2,
  remembered: 600,
  rememberedNone: 20_000,
  retryAfterMs: 60_000,
  lookupLimitMs: 5_000,
  sourceLimitMs: 15_000,
  now: () => Date.now(),
};

/** What a card is told: the `blob:` URL of its poster, or null for the placeholder. */
export type PosterAnswer = (url: string | null) => void;

type Stage = 'lookup' | 'make';

interface Wish {
  rank: number;
  /** Order of asking, among cards of equal rank (the shelf's). */
  order: number;
  answer: PosterAnswer;
}

interface Job {
  key: string;
  stage: Stage;
  running: boolean;
  wishes: Set<Wish>;
  /** What the session knew when it started (see `forgetAll`). */
  generation: number;
}

export class PosterQueue {
  #making: PosterMaking;
  #options: PosterQueueOptions;
  #jobs = new Map<string, Job>();
  /** Key -> object URL, least recently shown first. */
  #urls = new Map<string, string>();
  /** Keys that have no poster and will not get one this session. */
  #none = new Set<string>();
  /** Keys whose poster failed for now -> when it may be asked for again. */
  #retryAt = new Map<string, number>();
  #running: Record<Stage, number> = { lookup: 0, make: 0 };
  /** The indexes on screen; null until the grid says (then index order). */
  #screen: { first: number; last: number } | null = null;
  #asked = 0;
  #scheduled = false;
  /** The page cannot decode `blob:` media: posters are shown when kept, never made. */
  #blocked = false;
  /** Bumped by `forgetAll`: a failure found by work started before it is told to the
   * cards that asked, not remembered (the sync may have brought what was missing). */
  #generation = 0;
  /** The makings under way (see `settle`). */
  #makes = new Set<Promise<void>>();
  /** The page is about to go: no more makings start. */
  #settling = false;

  constructor(making: PosterMaking, options: Partial<PosterQueueOptions> = {}) {
    this.#making = making;
    this.#options = { ...DEFAULT_POSTER_QUEUE, ...options };
  }

  /** Asks for the poster of video `key` for a card at `rank`: its index in the grid's
   * result, or below 0 for a card always on screen outside it (the shelf), which goes
   * before all. `answer` is called once: at once when the session knows already, else
   * when the core has answered. Returns the function that takes the card out of the
   * line (it scrolled away or shows another video now); it is told nothing after. */
  want(key: string, rank: number, answer: PosterAnswer): () => void {
    const known = this.#known(key);
    if (known !== undefined) {
      answer(known);
      return () => {};
    }
    const wish: Wish = { rank, order: this.#asked++, answer };
    let job = this.#jobs.get(key);
    if (!job) {
      job = { key, stage: 'lookup', running: false, wishes: new Set(), generation: this.#generation };
      this.#jobs.set(key, job);
    }
    job.wishes.add(wish);
    this.#schedule();
    const owner = job;
    return () => this.#drop(owner, wish);
  }

  /** The cards from index `first` to `last` are on screen: theirs go first, then the
   * nearest to them. */
  showing(first: number, last: number): void {
    if (this.#screen?.first === first && this.#screen.last === last) return;
    this.#screen = { first, last };
    this.#schedule();
  }

  /** A deleted video: its poster is not shown again (a new upload under its key is
   * another video). */
  forget(key: string): void {
    const url = this.#urls.get(key);
    if (url !== undefined) URL.revokeObjectURL(url);
    this.#urls.delete(key);
    this.#none.delete(key);
    this.#retryAt.delete(key);
  }

  /** After a sync: a video may have changed (the core keeps posters by ETag) or gained
   * previews to make one from. Cards on screen keep the image they have loaded. */
  forgetAll(): void {
    for (const url of this.#urls.values()) URL.revokeObjectURL(url);
    this.#urls.clear();
    this.#none.clear();
    this.#retryAt.clear();
    this.#generation++;
  }

  /** The page is about to go (it reloads into another library): no poster is made from
   * here on, and this resolves once those under way have ended, so that their decoders
   * are torn down at rest. Torn down with the page while one was starting, WebKitGTK
   * 2.50's GStreamer pipeline deadlocked the web process (its main thread tearing down
   * the pipeline, the demuxer's thread waiting for the main thread; seen in the e2e
   * suite). Kept posters are still looked up: no decoder is involved. */
  settle(): Promise<void> {
    this.#settling = true;
    return Promise.allSettled([...this.#makes]).then(() => {});
  }

  /** The URL or null the session knows for `key`; undefined when the core is to be
   * asked. */
  #known(key: string): string | null | undefined {
    const url = this.#urls.get(key);
    if (url !== undefined) {
      // Shown again: the last to be evicted.
      this.#urls.delete(key);
      this.#urls.set(key, url);
      return url;
    }
    if (this.#none.has(key)) return null;
    const retryAt = this.#retryAt.get(key);
    if (retryAt !== undefined) {
      if (this.#options.now() < retryAt) return null;
      this.#retryAt.delete(key);
    }
    return undefined;
  }

  #drop(job: Job, wish: Wish): void {
    job.wishes.delete(wish);
    // A running one finishes and is remembered; a waiting one nobody wants is not done.
    if (job.wishes.size === 0 && !job.running && this.#jobs.get(job.key) === job) this.#jobs.delete(job.key);
  }

  /** Picks the next work once the cards asking in this render have all asked (a screen
   * of cards mounts in one go; the first to mount is not the first on screen). */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#blocked) {
      for (const job of [...this.#jobs.values()]) if (job.stage === 'make' && !job.running) this.#answer(job, null);
    }
    for (const stage of ['lookup', 'make'] as const) {
      const limit = stage === 'lookup' ? this.#options.lookups : this.#settling ? 0 : this.#options.makes;
      while (this.#running[stage] < limit) {
        const job = this.#next(stage);
        if (!job) break;
        this.#start(job);
      }
    }
  }

  /** The waiting job of `stage` whose best card is nearest the screen. */
  #next(stage: Stage): Job | undefined {
    let best: Job | undefined;
    let bestPlace: number[] = [];
    for (const job of this.#jobs.values()) {
      if (job.stage !== stage || job.running || job.wishes.size === 0) continue;
      const place = this.#placeOf(job);
      if (!best || before(place, bestPlace)) {
        best = job;
        bestPlace = place;
      }
    }
    return best;
  }

  /** Where the job stands: its nearest card's distance from the screen, index, turn. */
  #placeOf(job: Job): number[] {
    let best: number[] = [];
    for (const wish of job.wishes) {
      const place = [this.#distance(wish.rank), wish.rank, wish.order];
      if (best.length === 0 || before(place, best)) best = place;
    }
    return best;
  }

  #distance(rank: number): number {
    if (rank < 0) return -1;
    const screen = this.#screen;
    if (!screen) return 0;
    if (rank < screen.first) return screen.first - rank;
    if (rank > screen.last) return rank - screen.last;
    return 0;
  }

  #start(job: Job): void {
    const stage = job.stage;
    job.running = true;
    job.generation = this.#generation;
    this.#running[stage]++;
    const work = stage === 'lookup' ? this.#lookUp(job) : this.#make(job);
    if (stage === 'make') this.#makes.add(work);
    void work.finally(() => {
      this.#makes.delete(work);
      this.#running[stage]--;
      job.running = false;
      // A lookup that found none leaves the job waiting for its making, if still wanted.
      if (this.#jobs.get(job.key) === job && job.wishes.size === 0) this.#jobs.delete(job.key);
      this.#schedule();
    });
  }

  async #lookUp(job: Job): Promise<void> {
    let kept: ArrayBuffer | null;
    try {
      kept = await withTimeout(this.#making.poster(job.key), this.#options.lookupLimitMs);
    } catch {
      this.#failedForNow(job);
      this.#answer(job, null);
      return;
    }
    if (kept) {
      this.#answer(job, this.#remember(job.key, new Blob([kept], { type: 'image/jpeg' })));
    } else if (this.#blocked) {
      this.#answer(job, null);
    } else {
      job.stage = 'make';
    }
  }

  async #make(job: Job): Promise<void> {
    const { key } = job;
    let media: Blob;
    try {
      media = await withTimeout(this.#making.posterSource(key), this.#options.sourceLimitMs);
    } catch (e) {
      if (ApiError.from(e).kind === 'noPoster') this.#never(job);
      else this.#failedForNow(job);
      this.#answer(job, null);
      return;
    }
    let jpeg: Blob;
    try {
      jpeg = await this.#making.frameOf(media);
    } catch (e) {
      if (e instanceof MediaBlocked) {
        this.#blocked = true;
      } else if (e instanceof FrameError) {
        // The same bytes would fail the same way: the core remembers it for this version
        // of the video, and the session does already.
        this.#never(job);
        this.#making.posterFailed(key, e.message).catch(() => {});
      } else {
        // A fault of the page, not of the video: not worth remembering in the core.
        this.#failedForNow(job);
      }
      this.#answer(job, null);
      return;
    }
    this.#answer(job, this.#remember(key, jpeg));
    try {
      await this.#making.savePoster(key, new Uint8Array(await jpeg.arrayBuffer()));
    } catch {
      // Shown for this session all the same; the next one makes it again.
    }
  }

  /** Ends the job: every card still asking is told. */
  #answer(job: Job, url: string | null): void {
    if (this.#jobs.get(job.key) === job) this.#jobs.delete(job.key);
    const wishes = [...job.wishes];
    job.wishes.clear();
    for (const wish of wishes) wish.answer(url);
  }

  #remember(key: string, jpeg: Blob): string {
    const url = URL.createObjectURL(jpeg);
    const old = this.#urls.get(key);
    if (old !== undefined) URL.revokeObjectURL(old);
    this.#urls.delete(key);
    this.#urls.set(key, url);
    while (this.#urls.size > this.#options.remembered) {
      const [oldestKey, oldestUrl] = this.#urls.entries().next().value as [string, string];
      this.#urls.delete(oldestKey);
      URL.revokeObjectURL(oldestUrl);
    }
    return url;
  }

  #never({ key, generation }: Job): void {
    if (generation !== this.#generation) return;
    this.#none.add(key);
    if (this.#none.size > this.#options.rememberedNone) this.#none.delete(this.#none.values().next().value as string);
  }

  #failedForNow({ key, generation }: Job): void {
    if (generation !== this.#generation) return;
    this.#retryAt.delete(key);
    this.#retryAt.set(key, this.#options.now() + this.#options.retryAfterMs);
    if (this.#retryAt.size > this.#options.rememberedNone) this.#retryAt.delete(this.#retryAt.keys().next().value as string);
  }
}

/** Whether place `a` comes before `b`, compared part by part. */
function before(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return false;
}
