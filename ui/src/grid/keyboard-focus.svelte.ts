// The keyboard's state in the grid: which video has focus, where the keys sent it, the
// preview Space started and the `?` list. Focus itself is the DOM's, on a card's poster
// (so Enter, screen readers and the FocusKeeper all see one focus); this only follows it
// and moves it. Cells are recycled, so a card moved to may not be on screen yet: focus
// goes there once it is (`settle`).

import { cardOf, focusedCard } from './focus';

export class KeyboardFocus {
  #key = $state<string | null>(null);
  #keyboardInUse = $state(false);
  #previewKey = $state<string | null>(null);
  #helpOpen = $state(false);
  /** A card the keys moved to that is not focused yet: its row was scrolled to and its
   * page may still be loading (End in a long result). By video when it was loaded at
   * the key press, so a refresh meanwhile cannot hand focus to another video. */
  #pending = $state<{ index: number; key: string | undefined } | null>(null);
  #grid: () => HTMLElement | undefined;

  constructor(grid: () => HTMLElement | undefined) {
    this.#grid = grid;
  }

  /** The video whose card holds focus. */
  get key(): string | null {
    return this.#key;
  }

  /** The last input was a key, not a pointer: the focused card shows its ring. */
  get keyboardInUse(): boolean {
    return this.#keyboardInUse;
  }

  /** The video Space plays the preview of, until Space again or focus leaves it. */
  get previewKey(): string | null {
    return this.#previewKey;
  }

  /** The grid's `?` list is open. */
  get helpOpen(): boolean {
    return this.#helpOpen;
  }

  /** Whether the card of video `key` shows the keyboard's ring. */
  ringsCard(key: string): boolean {
    return this.keyboardInUse && key === this.key;
  }

  /** After focus moved within the grid, or the cards changed under it. */
  noteFocus(): void {
    const grid = this.#grid();
    const key = (grid && focusedCard(grid)?.dataset.key) ?? null;
    this.#key = key;
    if (this.previewKey !== null && this.previewKey !== key) this.#previewKey = null;
  }

  /** On focusout: focus leaving the grid takes the preview with it. */
  noteFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget;
    if (next instanceof Node && this.#grid()?.contains(next)) return;
    this.#key = null;
    this.#previewKey = null;
  }

  /** The index of the card the keys act on: the one focus is on its way to, else the
   * focused one (its cell's `data-index`). */
  index(): number | null {
    if (this.#pending) return this.#pending.index;
    const grid = this.#grid();
    const cell = grid ? focusedCard(grid)?.closest<HTMLElement>('[data-index]') : null;
    return cell ? Number(cell.dataset.index) : null;
  }

  /** Sends focus to the card at `index` (showing `key` when its video is loaded). */
  moveTo(index: number, key: string | undefined): void {
    this.#pending = { index, key };
  }

  /** Focuses the card moved to once it is on screen with its video; run whenever the
   * cells change (reads the pending move, so a new one runs it too). */
  settle(count: number): void {
    const want = this.#pending;
    const grid = this.#grid();
    if (!want || !grid) return;
    if (want.index >= count) {
      this.#pending = null;
      return;
    }
    const card = want.key !== undefined ? cardOf(grid, want.key) : grid.querySelector(`[data-index="${want.index}"] [data-key]`);
    const poster = card?.querySelector<HTMLElement>('[data-testid="card-open"]');
    // A known video not on screen is not waited for: its place went to another.
    if (want.key !== undefined || poster) this.#pending = null;
    poster?.focus({ preventScroll: true });
  }

  /** A new result: a move into the old one is void. */
  forgetMove(): void {
    this.#pending = null;
  }

  togglePreview(key: string | undefined): void {
    this.#previewKey = key === undefined || this.previewKey === key ? null : key;
  }

  stopPreview(): void {
    this.#previewKey = null;
  }

  toggleHelp(): void {
    this.#helpOpen = !this.#helpOpen;
  }

  closeHelp(): void {
    this.#helpOpen = false;
  }

  pressedKey(): void {
    this.#keyboardInUse = true;
  }

  pressedPointer(): void {
    this.#keyboardInUse = false;
  }
}
