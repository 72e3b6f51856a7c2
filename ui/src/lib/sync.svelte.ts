// A sync of the catalog with the bucket as the UI follows it: running or not, the last
// progress, the last report or error.

import * as api from './api';
import { ApiError } from './api';
import type { SyncProgress, SyncReport } from './api';
import { formatCount } from './format';

const REPORT_SHOWN_MS = 8000;

export class SyncRun {
  running = $state(false);
  progress = $state.raw<SyncProgress | null>(null);
  report = $state.raw<SyncReport | null>(null);
  error = $state<ApiError | null>(null);

  /** Runs a sync; `onDone` runs after one that changed the catalog. */
  async start(pruneAll: boolean, onDone: (report: SyncReport) => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.progress = null;
    this.report = null;
    this.error = null;
    try {
      const report = await api.syncLibrary(pruneAll, (p) => (this.progress = p));
      this.report = report;
      onDone(report);
      // A plain success goes away by itself; one that held removals back waits for a
      // decision, and an error stays until dismissed.
      if (report.removalHeldBack === 0) {
        setTimeout(() => {
          if (this.report === report) this.report = null;
        }, REPORT_SHOWN_MS);
      }
    } catch (e) {
      this.error = ApiError.from(e);
    } finally {
      this.running = false;
    }
  }

  async cancel(): Promise<void> {
    await api.cancelSync();
  }

  dismiss(): void {
    this.report = null;
    this.error = null;
  }
}

/** The progress line: what has been listed and written so far, and how fast. */
export function describeProgress(p: SyncProgress): string {
  const parts = [`${formatCount(p.objectsListed)} objects listed`];
  if (p.phase !== 'listing') {
    parts.push(`${formatCount(p.videosAdded)} added`, `${formatCount(p.videosUpdated)} updated`);
    if (p.videosRemoved) parts.push(`${formatCount(p.videosRemoved)} removed`);
  }
  parts.push(`${formatCount(Math.round(p.rate))}/s`);
  return parts.join(' · ');
}

/** The result line of a finished sync. */
export function describeReport(r: SyncReport): string {
  const changes = [
    r.videosAdded && `${formatCount(r.videosAdded)} new`,
    r.videosUpdated && `${formatCount(r.videosUpdated)} changed`,
    r.videosRemoved && `${formatCount(r.videosRemoved)} removed`,
  ].filter(Boolean);
  const what = changes.length ? changes.join(', ') : 'no changes';
  return `Synced ${formatCount(r.videosListed)} videos in ${(r.elapsedMs / 1000).toFixed(1)} s: ${what}.`;
}
