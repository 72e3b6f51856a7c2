// The view a user left, brought back at the next start: filter, sort, card size, the
// first video on screen, and how cards preview on hover. The shell stores it as opaque JSON per library (commands
// get_view / save_view); its shape is the UI's own, so it is defined and checked here,
// field by field: a view saved by an older version, or damaged, keeps what is still
// valid and falls back to the default for the rest, and never throws.

import type { Direction, Filter, Sort } from './api';
import { isSortKey } from './sorts';
import { withTimeout } from './time';

export interface ViewState {
  filter: Filter;
  sort: Sort;
  /** The card-size slider, px. */
  cardWidth: number;
  /** Index of the first video on screen: restored at the top of the grid. */
  scrollRow: number;
  preview: PreviewPrefs;
}

/** How a card previews its video under a resting pointer. Kept with the view because
 * the view is what the shell keeps of the UI (per library: another library starts from
 * the defaults); a preference of the app's own would need a command of its own. */
export interface PreviewPrefs {
  /** Hover previews at all (Space on a focused card still plays one: it is asked). */
  enabled: boolean;
  /** How long the pointer rests on a card before its preview starts, ms. */
  hoverDelayMs: number;
  /** Previews with their sound. */
  sound: boolean;
}

export const CARD_WIDTH = { min: 160, max: 420, step: 20, initial: 240 } as const;

/** Long enough to ignore a pointer passing over, short enough to feel at once. */
export const HOVER_DELAY = { min: 0, max: 1000, initial: 200 } as const;

export function defaultFilter(): Filter {
  return {
    creators: [],
    favoritesOnly: false,
    unseenOnly: false,
    seenOnly: false,
    inProgressOnly: false,
    missingOnly: false,
    search: null,
    dateFrom: null,
    dateTo: null,
    minQuality: null,
  };
}

export function defaultSort(): Sort {
  return { key: 'date', direction: 'desc' };
}

export function defaultPreview(): PreviewPrefs {
  return { enabled: true, hoverDelayMs: HOVER_DELAY.initial, sound: false };
}

export function defaultView(): ViewState {
  return { filter: defaultFilter(), sort: defaultSort(), cardWidth: CARD_WIDTH.initial, scrollRow: 0, preview: defaultPreview() };
}

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
const numberOrNull = (v: unknown) => (isNumber(v) ? v : null);

/** Whatever came back from the shell, as a usable view. */
export function parseView(raw: unknown): ViewState {
  const view = defaultView();
  if (!isObject(raw)) return view;
  if (isObject(raw.filter)) view.filter = parseFilter(raw.filter);
  if (isObject(raw.sort)) view.sort = parseSort(raw.sort);
  if (isNumber(raw.cardWidth)) view.cardWidth = snapCardWidth(raw.cardWidth);
  if (isNumber(raw.scrollRow) && raw.scrollRow >= 0) view.scrollRow = Math.floor(raw.scrollRow);
  if (isObject(raw.preview)) view.preview = parsePreview(raw.preview);
  return view;
}

function parsePreview(raw: Loose): PreviewPrefs {
  const preview = defaultPreview();
  preview.enabled = bool(raw.enabled, preview.enabled);
  if (isNumber(raw.hoverDelayMs)) preview.hoverDelayMs = clampHoverDelay(raw.hoverDelayMs);
  preview.sound = bool(raw.sound, preview.sound);
  return preview;
}

/** A delay the setting allows: whole milliseconds within its range. */
export function clampHoverDelay(ms: number): number {
  if (!Number.isFinite(ms)) return HOVER_DELAY.initial;
  return Math.min(HOVER_DELAY.max, Math.max(HOVER_DELAY.min, Math.round(ms)));
}

function parseFilter(raw: Loose): Filter {
  const filter = defaultFilter();
  if (Array.isArray(raw.creators)) filter.creators = [...new Set(raw.creators.filter((c): c is string => typeof c === 'string'))];
  filter.favoritesOnly = bool(raw.favoritesOnly, false);
  filter.unseenOnly = bool(raw.unseenOnly, false);
  // Both at once match nothing (core refuses it): keep "unseen", the older of the two.
  filter.seenOnly = bool(raw.seenOnly, false) && !filter.unseenOnly;
  filter.inProgressOnly = bool(raw.inProgressOnly, false);
  filter.missingOnly = bool(raw.missingOnly, false);
  filter.search = typeof raw.search === 'string' && raw.search.trim() ? raw.search.trim() : null;
  filter.dateFrom = numberOrNull(raw.dateFrom);
  filter.dateTo = numberOrNull(raw.dateTo);
  // Core refuses a range that ends before it starts: the range goes, the rest stays.
  if (filter.dateFrom !== null && filter.dateTo !== null && filter.dateTo < filter.dateFrom) {
    filter.dateFrom = null;
    filter.dateTo = null;
  }
  const quality = numberOrNull(raw.minQuality);
  filter.minQuality = quality !== null && Number.isInteger(quality) && quality >= 0 && quality <= 100 ? quality : null;
  return filter;
}

function parseSort(raw: Loose): Sort {
  const sort = defaultSort();
  if (isSortKey(raw.key)) sort.key = raw.key;
  if (raw.direction === 'asc' || raw.direction === 'desc') sort.direction = raw.direction as Direction;
  return sort;
}

/** A width the slider can show: within its range, on its step. */
export function snapCardWidth(px: number): number {
  const { min, max, step } = CARD_WIDTH;
  return Math.min(max, Math.max(min, min + Math.round((px - min) / step) * step));
}

/** Saves the view a while after the last change (a drag of the scrollbar or the size
 * slider changes it many times a second), and at once when asked to (the window goes
 * away). A view equal to the last one saved is not saved again. */
export class ViewSaver {
  #save: (view: ViewState) => Promise<void>;
  #delayMs: number;
  #pending: ViewState | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #last = '';

  constructor(save: (view: ViewState) => Promise<void>, delayMs = 500) {
    this.#save = save;
    this.#delayMs = delayMs;
  }

  schedule(view: ViewState): void {
    this.#pending = structuredClone(view);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.#delayMs);
  }

  flush(): void {
    clearTimeout(this.#timer);
    const view = this.#pending;
    this.#pending = null;
    if (!view) return;
    const json = JSON.stringify(view);
    if (json === this.#last) return;
    this.#last = json;
    // Losing a view costs a scroll, not data: a failed save (a shell without the
    // command yet, a busy disk) is not worth a message.
    this.#save(view).catch(() => (this.#last = ''));
  }
}

/** The saved view, or the default one when there is none, it is unusable, or the
 * shell cannot say (a shell without get_view yet, a busy catalog): start-up must not
 * wait long for a nicety, nor fail for it. */
export async function loadSavedView(load: () => Promise<unknown>, timeoutMs = 1500): Promise<ViewState> {
  try {
    return parseView(await withTimeout(load(), timeoutMs));
  } catch {
    return defaultView();
  }
}
