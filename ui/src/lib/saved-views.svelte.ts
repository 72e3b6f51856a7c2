// The views the user saved (a filter and a sort under a name), kept in the library's
// catalog: listed, applied, saved, renamed and deleted from the filter bar. The rules on
// names (not empty, not too long, not taken ignoring case) are core's; a taken name is
// told apart here only to offer to replace the view.

import * as api from './api';
import { ApiError } from './api';
import type { Filter, SavedView, Sort } from './api';
import { sameView } from './filters';

export type SaveOutcome = 'saved' | 'taken' | 'failed';

export class SavedViews {
  views = $state.raw<SavedView[]>([]);
  /** Why the last action failed, in core's words; null after one that worked. */
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.views = await api.listSavedViews();
      this.error = null;
    } catch (e) {
      this.error = ApiError.from(e).message;
    }
  }

  /** The view called `name`, compared as the catalog does (trimmed, ignoring case). */
  named(name: string): SavedView | undefined {
    const wanted = name.trim().toLowerCase();
    return this.views.find((v) => v.name.toLowerCase() === wanted);
  }

  /** The saved view the grid shows now, if it shows one. */
  showing(filter: Filter, sort: Sort): SavedView | undefined {
    return this.views.find((v) => sameView(v, { filter, sort }));
  }

  /** Saves the filter and sort as `name`. 'taken': there is a view of that name and
   * nothing was saved (ask, then save again with `replace`). */
  async save(name: string, filter: Filter, sort: Sort, replace = false): Promise<SaveOutcome> {
    if (!replace && this.named(name)) return 'taken';
    try {
      await api.addSavedView(name.trim(), filter, sort, replace);
      await this.load();
      return 'saved';
    } catch (e) {
      const error = ApiError.from(e);
      // Saved meanwhile by another front (the CLI): the list says so once read again.
      if (!replace && error.kind === 'invalid') {
        await this.load();
        if (this.named(name)) return 'taken';
      }
      this.error = error.message;
      return 'failed';
    }
  }

  async rename(from: string, to: string): Promise<boolean> {
    return this.#act(() => api.renameSavedView(from, to.trim()));
  }

  async remove(name: string): Promise<boolean> {
    return this.#act(() => api.deleteSavedView(name));
  }

  /** One change, then the list as the catalog has it (another front may have changed it
   * too: a view already gone is "not found", and the list drops it). */
  async #act(change: () => Promise<void>): Promise<boolean> {
    try {
      await change();
      await this.load();
      return true;
    } catch (e) {
      const message = ApiError.from(e).message;
      await this.load();
      this.error = message;
      return false;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}
