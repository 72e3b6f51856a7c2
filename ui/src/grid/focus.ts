// Keyboard focus in a grid whose cells are recycled by slot. The DOM keeps focus on an
// element, not on a video: after a re-sort, a filter change, a refresh or a scroll that
// reused the slot, the focus ring would sit on whatever video now fills it. So focus is
// remembered by video key, and when the focused cell shows another video, focus follows
// the video to its new cell when it is still on screen, and goes to the grid itself
// when it is not (never onto a stranger, never lost to <body>).

export class FocusKeeper {
  #grid: HTMLElement;
  #key: string | null = null;
  /** Which control of the card had focus (its data-testid), to focus the same one. */
  #control: string | null = null;

  constructor(grid: HTMLElement) {
    this.#grid = grid;
  }

  /** On focusin inside the grid. */
  focused(target: EventTarget | null): void {
    const card = target instanceof Element ? target.closest<HTMLElement>('[data-key]') : null;
    this.#key = card?.dataset.key ?? null;
    this.#control = target instanceof HTMLElement ? (target.dataset.testid ?? null) : null;
  }

  /** After the cells changed what they show. */
  check(): void {
    const active = document.activeElement;
    if (this.#key === null || !(active instanceof HTMLElement) || !this.#grid.contains(active) || active === this.#grid) return;
    const card = active.closest<HTMLElement>('[data-key]');
    if (card?.dataset.key === this.#key) return;
    const moved = cardOf(this.#grid, this.#key);
    const control = moved && this.#control ? moved.querySelector<HTMLElement>(`[data-testid="${this.#control}"]`) : null;
    if (control) {
      control.focus({ preventScroll: true });
      return;
    }
    this.#key = null;
    this.#control = null;
    this.#grid.focus({ preventScroll: true });
  }
}

/** The card (`[data-key]`) holding focus in `grid`, if one does. */
export function focusedCard(grid: HTMLElement): HTMLElement | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !grid.contains(active)) return null;
  return active.closest<HTMLElement>('[data-key]');
}

/** The card in `grid` showing the video `key`, if it is on screen. */
export function cardOf(grid: HTMLElement, key: string): HTMLElement | null {
  return [...grid.querySelectorAll<HTMLElement>('[data-key]')].find((c) => c.dataset.key === key) ?? null;
}
