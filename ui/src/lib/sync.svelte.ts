// A sync of the catalog with the bucket as the UI follows it: running or not, the last
// progress, the last report or error, and the sentences that say so.

import * as api from './api';
import { ApiError } from './api';
import type { SyncProgress, SyncReport } from './api';
import { formatCount, formatDuration, plural } from './format';
import { forgetAllPosters } from './posters.svelte';
import { forgetAllUrls } from './urls';

const REPORT_SHOWN_MS = 8000;

export class SyncRun {
  running = $state(false);
  progress = $state.raw<SyncProgress | null>(null);
  report = $state.raw<SyncReport | null>(null);
  error = $state<ApiError | null>(null);
  #hide: ReturnType<typeof setTimeout> | undefined;

  /** Runs a sync; `onFinished` runs after it ends in any way, since even a cancelled or
   * failed one may have written some batches. */
  async start(pruneAll: boolean, onFinished: () => void): Promise<void> {
    if (this.running) return;
    clearTimeout(this.#hide);
    this.running = true;
    this.progress = null;
    this.report = null;
    this.error = null;
    try {
      this.report = await api.syncLibrary(pruneAll, (p) => (this.progress = p));
    } catch (e) {
      this.error = ApiError.from(e);
    } finally {
      this.running = false;
      // Previews may have been removed or re-encoded: links made before are not reused.
      // A changed video's poster is another (the core keeps them by ETag), and a video
      // with new previews may have one to make now.
      forgetAllUrls();
      forgetAllPosters();
      onFinished();
    }
    // Information goes away by itself; held-back removals wait for a decision, and a
    // failure stays until dismissed.
    const outcome = describeOutcome(this.report, this.error);
    if (outcome && (outcome.tone === 'ok' || outcome.tone === 'info')) {
      this.#hide = setTimeout(() => this.dismiss(), REPORT_SHOWN_MS);
    }
  }

  async cancel(): Promise<void> {
    await api.cancelSync();
  }

  dismiss(): void {
    clearTimeout(this.#hide);
    this.report = null;
    this.error = null;
  }
}

/** `ok`: done; `info`: neutral news (a cancel); `warn`: asks for a decision; `error`: a
 * real failure, the only one shown in red. */
export type Tone = 'ok' | 'info' | 'warn' | 'error';

/** What the notice says once a sync has ended, or null while none has. */
export function describeOutcome(report: SyncReport | null, error: ApiError | null): { tone: Tone; text: string } | null {
  if (error) {
    // A cancel is the user's own doing, not a failure. Batches written before it stay:
    // the sentence must not claim nothing changed.
    if (error.kind === 'cancelled') {
      return { tone: 'info', text: 'Sync cancelled. What it had already written stays in the catalog; the next sync completes it.' };
    }
    return { tone: 'error', text: `Sync failed: ${error.message}` };
  }
  if (report) return { tone: report.removalHeldBack > 0 ? 'warn' : 'ok', text: describeReport(report) };
  return null;
}

/** The result line of a finished sync. When removals were held back it says both that
 * the bucket was listed and what was kept, without a contradicting "no changes". */
export function describeReport(r: SyncReport): string {
  const changes = [
    r.videosAdded && `${formatCount(r.videosAdded)} new`,
    r.videosUpdated && `${formatCount(r.videosUpdated)} changed`,
    r.videosRemoved && `${formatCount(r.videosRemoved)} removed`,
  ].filter(Boolean);
  if (r.removalHeldBack > 0) {
    const listed = `Synced: ${plural(r.videosListed, 'video')} in the bucket${changes.length ? `, ${changes.join(', ')}` : ''}.`;
    const held = r.removalHeldBack;
    return `${listed} ${plural(held, 'video')} of the catalog ${held === 1 ? 'is' : 'are'} missing from the bucket and ${held === 1 ? 'was' : 'were'} kept.`;
  }
  const what = changes.length ? changes.join(', ') : 'no changes';
  return `Synced ${plural(r.videosListed, 'video')} in ${(r.elapsedMs / 1000).toFixed(1)} s: ${what}.`;
}

/** How far the listing is, 0..1, when the last listing's size says what to expect. */
export function progressFraction(p: SyncProgress): number | null {
  if (p.phase === 'done') return 1;
  const expected = p.expectedObjects ?? null;
  if (expected === null || expected <= 0) return null;
  // The bucket may have grown since: stay short of full until it is done.
  return Math.min(0.99, p.objectsListed / expected);
}

/** Seconds left at the rate so far, when the total is known. */
export function secondsLeft(p: SyncProgress): number | null {
  const expected = p.expectedObjects ?? null;
  if (expected === null || expected <= 0 || p.phase !== 'listing' || !(p.rate > 0)) return null;
  return Math.max(0, (expected - p.objectsListed) / p.rate);
}

export function phaseLabel(p: SyncProgress | null): string {
  if (!p) return 'Starting';
  return p.phase === 'listing' ? 'Listing the bucket' : p.phase === 'writing' ? 'Writing the catalog' : 'Finishing';
}

/** The progress line: with a known total, percent, counts and time left; without one
 * (a first sync), counts and rate. */
export function describeProgress(p: SyncProgress): string {
  // Before the first page of the listing, a rate of 0/s reads like a failure.
  if (p.phase === 'listing' && p.objectsListed === 0) return 'waiting for the bucket to answer…';
  const fraction = progressFraction(p);
  const expected = p.expectedObjects ?? null;
  const parts: string[] = [];
  if (fraction !== null && expected !== null && p.phase !== 'done') {
    parts.push(`${Math.floor(fraction * 100)}%`, `${formatCount(p.objectsListed)} of ${formatCount(expected)} objects listed`);
  } else {
    parts.push(`${formatCount(p.objectsListed)} objects listed`);
  }
  if (p.phase !== 'listing') {
    parts.push(`${formatCount(p.videosAdded)} added`, `${formatCount(p.videosUpdated)} updated`);
    if (p.videosRemoved) parts.push(`${formatCount(p.videosRemoved)} removed`);
  }
  const left = secondsLeft(p);
  if (left !== null) parts.push(left < 1 ? 'almost done' : `about ${formatDuration(left)} left`);
  else if (fraction === null) parts.push(`${formatCount(Math.round(p.rate))}/s`);
  return parts.join(' · ');
}
