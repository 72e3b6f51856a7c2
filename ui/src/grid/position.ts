// Where a scrollbar drag is, while the rows it passes are still placeholders: the value
// the current sort orders by at the top of the screen, asked for one video at a time.

import type { SortKey, VideoSummary } from '../lib/api';
import { formatBytes, formatCount, formatDate, formatDay } from '../lib/format';

/** The label beside the thumb. `row` counts from 0; null while the video is unknown
 * (every sort but shuffle needs it). */
export function positionLabel(sort: SortKey, video: VideoSummary | undefined, row: number, rows: number): string | null {
  if (sort === 'shuffle') return `row ${formatCount(row + 1)} of ${formatCount(rows)}`;
  if (!video) return null;
  switch (sort) {
    case 'date':
      return formatDay(video.date);
    case 'name':
      return firstLetters(video.name);
    case 'size':
      return formatBytes(video.size);
    case 'quality':
      return video.prediction === null ? 'not scored' : `quality ${video.quality}`;
    case 'seen':
      return video.seenAt !== null && video.seenAt > 0 ? `watched ${formatDate(video.seenAt)}` : 'never watched';
  }
}

/** Enough of a file name to say where in the alphabet the drag is. */
function firstLetters(name: string): string {
  const letters = [...name];
  return letters.length > 4 ? `${letters.slice(0, 4).join('')}…` : name;
}

/** Asks for the video at a position, throttled, with at most one request in flight:
 * while one is out, newer positions replace each other and only the latest is asked
 * next. An answer is dropped when `reset` came after its request (the drag ended, or a
 * new result replaced the one it was asked of). */
export class PositionProbe<T> {
  #fetch: (index: number) => Promise<T>;
  #onAnswer: (index: number, value: T) => void;
  #intervalMs: number;
  #now: () => number;
  #wanted: number | null = null;
  #inflight = false;
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by reset: answers to requests of an older epoch are stale. */
  #epoch = 0;

  constructor(options: {
    fetch: (index: number) => Promise<T>;
    onAnswer: (index: number, value: T) => void;
    /** At most one request per this many ms (100: ten a second). */
    intervalMs?: number;
    now?: () => number;
  }) {
    this.#fetch = options.fetch;
    this.#onAnswer = options.onAnswer;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
  }

  want(index: number): void {
    this.#wanted = index;
    this.#pump();
  }

  /** Forgets the wanted position and drops the answer on its way. */
  reset(): void {
    this.#epoch++;
    this.#wanted = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #pump(): void {
    if (this.#inflight || this.#wanted === null || this.#timer !== undefined) return;
    const wait = this.#lastSent + this.#intervalMs - this.#now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, wait);
      return;
    }
    const index = this.#wanted;
    const epoch = this.#epoch;
    this.#wanted = null;
    this.#inflight = true;
    this.#lastSent = this.#now();
    this.#fetch(index)
      .then(
        (value) => {
          if (epoch === this.#epoch) this.#onAnswer(index, value);
        },
        // A failed peek only leaves the label as it was; the drag goes on.
        () => {},
      )
      .finally(() => {
        this.#inflight = false;
        this.#pump();
      });
  }
}
