// What the selection bar's buttons do: one call into core for the whole selection, then
// the grid refreshed in place (rows, count and the creators' counters, which core's
// triggers kept right). The selection clears once an action succeeded; a delete that
// failed for some videos leaves those selected, so trying again is one click.

import * as api from '../lib/api';
import { ApiError } from '../lib/api';
import type { Mark, Selection } from '../lib/api';
import { formatCount, plural } from '../lib/format';
import { forgetPoster } from '../lib/posters.svelte';
import { forgetUrls } from '../lib/urls';
import { deleteSelectionQuestion } from '../player/delete-question';
import type { VideoSelection } from './selection.svelte';

export type Notice = { tone: 'done' | 'failed'; text: string };

export type DeleteQuestion = ReturnType<typeof deleteSelectionQuestion> & { selection: Selection };

const MARKED: Record<Mark, (videos: string) => string> = {
  favorite: (videos) => `Added ${videos} to favorites`,
  unfavorite: (videos) => `Removed ${videos} from favorites`,
  seen: (videos) => `Marked ${videos} seen`,
  unseen: (videos) => `Marked ${videos} unseen`,
};

export class BulkActions {
  #selection: VideoSelection;
  #place: () => 'bucket' | 'folder';
  #refresh: () => Promise<void> | void;

  /** An action is running: the buttons wait. */
  busy = $state(false);
  /** What the last action came to, or why it failed. */
  notice = $state<Notice | null>(null);
  /** The delete being asked about, with the selection it was asked of. */
  question = $state.raw<DeleteQuestion | null>(null);

  constructor(
    selection: VideoSelection,
    options: { place: () => 'bucket' | 'folder'; refresh: () => Promise<void> | void },
  ) {
    this.#selection = selection;
    this.#place = options.place;
    this.#refresh = options.refresh;
  }

  async mark(mark: Mark): Promise<void> {
    await this.#run(`Not ${mark === 'favorite' || mark === 'unfavorite' ? 'changed' : 'marked'}`, async (selection) => {
      const asked = this.#selection.count;
      const changed = await api.markSelection(selection, mark);
      this.#selection.clear();
      // Core leaves alone a video already so: say so, or "12 of 40" would puzzle.
      const others = changed < asked ? ' (the others already were)' : '';
      this.notice = { tone: 'done', text: `${MARKED[mark](plural(changed, 'video'))}${others}.` };
      await this.#refresh();
    });
  }

  /** Asks core how many videos and bytes the selection holds, for the question. */
  async askDelete(): Promise<void> {
    await this.#run('Not deleted', async (selection) => {
      const size = await api.selectionSize(selection);
      if (size.videos === 0) {
        this.#selection.clear();
        this.notice = { tone: 'done', text: 'None of the selected videos is in the catalog any more.' };
        await this.#refresh();
        return;
      }
      const favorites = selection.kind === 'matching' && selection.filter.favoritesOnly;
      this.question = { ...deleteSelectionQuestion(size, this.#place(), favorites), selection };
    });
  }

  cancelDelete(): void {
    this.question = null;
  }

  /** Deletes what was asked about: the selection the size was given for, even if a
   * card was ticked since (the question named a count). */
  async confirmDelete(): Promise<void> {
    const asked = this.question;
    this.question = null;
    if (!asked) return;
    await this.#run('Not deleted', async () => {
      try {
        const report = await api.deleteSelection(asked.selection);
        // As for one video deleted from the player: nothing of theirs is shown again.
        for (const key of report.removed) {
          forgetUrls(key);
          forgetPoster(key);
        }
        const removed = report.removed.length;
        const [first] = report.failed;
        if (first === undefined) {
          this.#selection.clear();
          const gone = this.#place() === 'folder' ? 'moved to the trash' : 'deleted';
          this.notice = { tone: 'done', text: `${plural(removed, 'video')} ${gone}.` };
        } else {
          this.#selection.keepOnly(report.failed.map((f) => f.key));
          this.notice = {
            tone: 'failed',
            text: `${formatCount(removed)} deleted, ${formatCount(report.failed.length)} could not be: ${first.key}: ${first.message}`,
          };
        }
      } finally {
        // Some may be gone even when the call failed part-way: the grid shows what is.
        await this.#refresh();
      }
    }, asked.selection);
  }

  dismissNotice(): void {
    this.notice = null;
  }

  /** One action at a time, with the selection complete (a range resolved); a failure
   * becomes the notice, prefixed with what did not happen, and the selection stays. */
  async #run(failed: string, action: (selection: Selection) => Promise<void>, selection?: Selection): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.notice = null;
    try {
      await this.#selection.settled();
      await action(selection ?? this.#selection.toSelection());
    } catch (e) {
      this.notice = { tone: 'failed', text: `${failed}: ${ApiError.from(e).message}` };
    } finally {
      this.busy = false;
    }
  }
}
