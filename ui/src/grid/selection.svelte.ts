// The videos picked in the grid for a bulk action. Either keys (Ctrl/Cmd-click, X,
// Shift-click ranges) or "every result of this filter" less the ones unticked since
// (Select all): the second is sent to core as the filter itself, so 300,000 results
// are one statement there and never 300,000 keys over IPC.
//
// A selection belongs to the result it was made in. When a new filter or sort replaces
// that result (the library's `resultId`), it is void: what is selected would no longer
// be on screen, and a bulk delete of videos the user cannot see is the one mistake this
// must not allow. A refresh in place (a sync, the CLI) keeps it: keys still name the
// same videos, and "all of this filter" still means what the user chose (core counts a
// video that joined the filter meanwhile, as "all" reads).

import type { Filter, Selection } from '../lib/api';

/** Keys a selection may name one by one (core's `MAX_KEYS`). A longer range is refused
 * with a word, never cut short: "all results" is the way to more. */
export const MAX_PICKED = 100_000;

/** What the selection needs of the result on screen (the Library is one). */
export interface SelectableResult {
  /** Changes when a new result (filter, sort) replaces the one on screen. */
  readonly resultId: number;
  /** Videos in the result on screen; null before it is known. */
  readonly total: number | null;
  /** The key of the video at `index`, when its page is loaded. */
  keyAt(index: number): string | undefined;
  /** The keys of rows `from`..`to` (exclusive) of the result on screen, in order, their
   * pages loaded or not. */
  keysBetween(from: number, to: number): Promise<string[]>;
  /** The filter of the result on screen, as a copy. */
  shownFilter(): Filter;
}

/** Rows of a Shift-click range whose pages were not loaded, by index until their keys
 * come. Indexes are only trusted for that moment: a refresh in place can move rows, so
 * the range becomes keys as soon as it can rather than staying an index range. */
interface PendingRange {
  from: number;
  to: number;
  /** Cards of the range unticked while its keys were on their way. */
  unticked: Set<string>;
}

type Picked =
  | { kind: 'keys'; keys: Set<string> }
  | { kind: 'matching'; filter: Filter; except: Set<string> };

export class VideoSelection {
  #result: SelectableResult;
  #picked: Picked = { kind: 'keys', keys: new Set() };
  #pending: PendingRange[] = [];
  /** The index of the card last toggled: where a Shift-click range starts. */
  #anchor: number | null = null;
  /** The result the selection was made in (see above). */
  #madeIn: number;
  /** Bumped by every change, for the readers below (the sets are not reactive). */
  #version = $state(0);
  /** Bumped when the selection is cleared or voided: ranges still resolving are then
   * dropped when their keys come. */
  #epoch = 0;
  #resolving: Promise<void>[] = [];
  /** Why the last range was not selected: too long, or its keys could not be had. */
  #refused = $state<{ reason: 'tooLong'; videos: number } | { reason: 'failed'; error: unknown } | null>(null);

  constructor(result: SelectableResult) {
    this.#result = result;
    this.#madeIn = result.resultId;
  }

  /** Videos selected. While a range's keys are on their way, its rows count as they
   * will (a card picked twice may count twice until then). */
  get count(): number {
    if (!this.#read()) return 0;
    // An unticked video that left the result since (a sync) still counts against it:
    // the figure is then low by that many until the selection is cleared.
    if (this.#picked.kind === 'matching') return Math.max(0, (this.#result.total ?? 0) - this.#picked.except.size);
    return this.#picked.keys.size + this.#pending.reduce((sum, r) => sum + (r.to - r.from - r.unticked.size), 0);
  }

  get isEmpty(): boolean {
    if (!this.#read()) return true;
    if (this.#picked.kind === 'matching') return this.count === 0;
    return this.#picked.keys.size === 0 && this.#pending.length === 0;
  }

  /** Every result of the filter is selected, none unticked. */
  get allSelected(): boolean {
    return this.#read() && this.#picked.kind === 'matching' && this.#picked.except.size === 0;
  }

  /** A range's keys are still on their way: `toSelection` waits for `settled`. */
  get resolving(): boolean {
    return this.#read() && this.#pending.length > 0;
  }

  /** Why the last Shift-click range was not selected, until the next change. */
  get refused(): { reason: 'tooLong'; videos: number } | { reason: 'failed'; error: unknown } | null {
    return this.#read() ? this.#refused : null;
  }

  /** Whether the video `key` (at `index` in the result, when known) is selected. */
  has(key: string, index?: number): boolean {
    if (!this.#read()) return false;
    if (this.#picked.kind === 'matching') return !this.#picked.except.has(key);
    if (this.#picked.keys.has(key)) return true;
    return index !== undefined && this.#pendingAt(index).some((r) => !r.unticked.has(key));
  }

  /** Ticks the video, or unticks it; the next Shift-click range starts here. */
  toggle(key: string, index: number): void {
    this.#fresh();
    const on = !this.has(key, index);
    if (this.#picked.kind === 'matching') {
      if (on) this.#picked.except.delete(key);
      else this.#picked.except.add(key);
    } else if (on) {
      this.#picked.keys.add(key);
    } else {
      this.#picked.keys.delete(key);
    }
    for (const range of this.#pendingAt(index)) {
      if (on) range.unticked.delete(key);
      else range.unticked.add(key);
    }
    this.#anchor = index;
    this.#changed();
  }

  /** Shift-click: every video from the anchor to `index`, both included, is selected
   * (nothing is unticked by it: a second range adds to the first). Without an anchor,
   * the video at `index` alone. Rows whose pages are loaded are picked at once; the
   * others by index until the result gives their keys. False when refused: a range
   * longer than MAX_PICKED, which "Select all" covers instead. */
  selectRange(index: number): boolean {
    this.#fresh();
    const anchor = this.#anchor ?? index;
    const from = Math.min(anchor, index);
    const to = Math.max(anchor, index) + 1;
    this.#anchor = anchor;
    if (this.#picked.kind === 'matching') {
      // Only the unticked can change, and unticking wrote their keys down.
      if (this.#picked.except.size > 0) this.#resolve(from, to, (key) => this.#picked.kind === 'matching' && this.#picked.except.delete(key));
      this.#changed();
      return true;
    }
    const picked = this.#picked.keys;
    if (picked.size + (to - from) > MAX_PICKED) {
      this.#refused = { reason: 'tooLong', videos: to - from };
      this.#changed();
      return false;
    }
    let firstUnknown: number | null = null;
    let lastUnknown = 0;
    for (let i = from; i < to; i++) {
      const key = this.#result.keyAt(i);
      if (key !== undefined) {
        picked.add(key);
      } else {
        firstUnknown ??= i;
        lastUnknown = i;
      }
    }
    if (firstUnknown !== null) this.#resolve(firstUnknown, lastUnknown + 1, (key) => picked.add(key));
    this.#changed();
    return true;
  }

  /** Every result of the filter on screen: the filter itself, not its keys. */
  selectAll(): void {
    this.#fresh();
    this.#epoch++;
    this.#pending = [];
    this.#picked = { kind: 'matching', filter: this.#result.shownFilter(), except: new Set() };
    this.#changed();
  }

  /** Only these videos, by key: what a bulk delete could not remove. */
  keepOnly(keys: readonly string[]): void {
    this.clear();
    this.#picked = { kind: 'keys', keys: new Set(keys) };
  }

  clear(): void {
    this.#epoch++;
    this.#picked = { kind: 'keys', keys: new Set() };
    this.#pending = [];
    this.#anchor = null;
    this.#madeIn = this.#result.resultId;
    this.#changed();
  }

  /** Resolves once every range's keys are in (or were dropped). */
  async settled(): Promise<void> {
    while (this.#resolving.length > 0) await Promise.all(this.#resolving);
  }

  /** The selection as core takes it. Complete only once `resolving` is false: a range
   * still on its way would be missing, so this throws rather than drop it. */
  toSelection(): Selection {
    if (this.resolving) throw new Error('the selection is still resolving a range: await settled() first');
    if (!this.#read()) return { kind: 'keys', keys: [] };
    if (this.#picked.kind === 'matching') {
      return { kind: 'matching', filter: structuredClone(this.#picked.filter), except: [...this.#picked.except] };
    }
    return { kind: 'keys', keys: [...this.#picked.keys] };
  }

  /** Whether the selection belongs to the result on screen; reading it, reactively. */
  #read(): boolean {
    void this.#version;
    return this.#madeIn === this.#result.resultId;
  }

  /** Before a change: a selection of a replaced result starts empty. */
  #fresh(): void {
    if (this.#madeIn !== this.#result.resultId) this.clear();
    this.#refused = null;
  }

  #pendingAt(index: number): PendingRange[] {
    return this.#pending.filter((r) => r.from <= index && index < r.to);
  }

  /** Asks the result for the keys of rows `from`..`to` and hands each to `pick`, unless
   * the selection was cleared or voided meanwhile. */
  #resolve(from: number, to: number, pick: (key: string) => void): void {
    const range: PendingRange = { from, to, unticked: new Set() };
    const epoch = this.#epoch;
    this.#pending.push(range);
    const done = this.#result.keysBetween(from, to).then(
      (keys) => {
        if (epoch !== this.#epoch) return;
        for (const key of keys) if (!range.unticked.has(key)) pick(key);
      },
      (error: unknown) => {
        if (epoch === this.#epoch) this.#refused = { reason: 'failed', error };
      },
    );
    const finished = done.finally(() => {
      this.#resolving = this.#resolving.filter((p) => p !== finished);
      this.#pending = this.#pending.filter((r) => r !== range);
      this.#changed();
    });
    this.#resolving.push(finished);
  }

  #changed(): void {
    this.#version++;
  }
}
