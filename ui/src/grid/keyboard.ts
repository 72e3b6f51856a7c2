// The grid's keyboard: one table, read both by the handler (`handleGridKey`) and by the
// grid's `?` list (shared/keys.ts makes the list from it), and the moves as plain
// arithmetic over indexes, so the virtual grid only wires them: it says where focus is
// and what is on screen, and is told which video to focus, open, preview or favorite.

import { actionIn, isTyping, type KeyPress, type Shortcut } from '../shared/keys';
import { offsetShowing, wholeRows, type Layout } from './layout';

/** Keys that move the focus from one card to another. */
export type GridMove = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last';

export type GridAction = GridMove | 'open' | 'preview' | 'favorite' | 'select' | 'help' | 'closeHelp';

// The moves want Shift unpressed: Shift + arrow is left for extending a selection.
export const GRID_SHORTCUTS: Shortcut<GridAction>[] = [
  {
    label: 'Move between videos',
    bindings: [
      { key: 'ArrowLeft', shift: false, action: 'left' },
      { key: 'ArrowRight', shift: false, action: 'right' },
      { key: 'ArrowUp', shift: false, action: 'up' },
      { key: 'ArrowDown', shift: false, action: 'down' },
    ],
  },
  {
    label: 'A screen up / down',
    bindings: [
      { key: 'PageUp', shift: false, action: 'pageUp' },
      { key: 'PageDown', shift: false, action: 'pageDown' },
    ],
  },
  {
    label: 'First / last video',
    bindings: [
      { key: 'Home', shift: false, action: 'first' },
      { key: 'End', shift: false, action: 'last' },
    ],
  },
  { label: 'Play', bindings: [{ key: 'Enter', action: 'open' }] },
  { label: 'Preview (again to stop)', bindings: [{ key: ' ', action: 'preview' }] },
  { label: 'Favorite', bindings: [{ key: 's', action: 'favorite' }] },
  { label: 'Select', bindings: [{ key: 'x', action: 'select' }] },
  { label: 'This list', bindings: [{ key: '?', action: 'help' }] },
  { label: 'Close this list', bindings: [{ key: 'Escape', action: 'closeHelp' }] },
];

const MOVES: Record<GridMove, true> = {
  left: true,
  right: true,
  up: true,
  down: true,
  pageUp: true,
  pageDown: true,
  first: true,
  last: true,
};

export function isMove(action: GridAction): action is GridMove {
  return action in MOVES;
}

/** The grid action a key press asks for, if any. */
export function gridActionFor(event: KeyPress): GridAction | null {
  return actionIn(GRID_SHORTCUTS, event);
}

/** What a move needs to know of the grid. */
export interface GridShape {
  cols: number;
  /** Videos in the result, loaded or not. */
  count: number;
  /** Rows wholly on screen: how far a page key moves. */
  pageRows: number;
  /** The first video wholly on screen. */
  firstOnScreen: number;
}

/** The index focus goes to from `from` on `move`; null when there is no video at all.
 * Left and Right run on along the result, so they wrap from row to row; Up, Down and
 * the page keys keep the column, and land on the last video when the last row is too
 * short for it; nothing moves past the first or last video. With no card focused, the
 * first video on screen counts as focused: the first press moves from where the user
 * is looking, not from wherever the result starts. */
export function focusAfter(move: GridMove, from: number | null, shape: GridShape): number | null {
  const { count } = shape;
  if (count <= 0) return null;
  const last = count - 1;
  if (move === 'first') return 0;
  if (move === 'last') return last;
  const cols = Math.max(1, shape.cols);
  const at = Math.min(last, Math.max(0, from ?? shape.firstOnScreen));
  const row = Math.floor(at / cols);
  const lastRow = Math.floor(last / cols);
  const toRow = (r: number) => Math.min(last, Math.min(lastRow, Math.max(0, r)) * cols + (at % cols));
  const page = Math.max(1, shape.pageRows);
  switch (move) {
    case 'left':
      return Math.max(0, at - 1);
    case 'right':
      return Math.min(last, at + 1);
    case 'up':
      return toRow(row - 1);
    case 'down':
      return toRow(row + 1);
    case 'pageUp':
      return toRow(row - page);
    case 'pageDown':
      return toRow(row + page);
  }
}

/** What a move needs to know of the screen. */
export interface GridView {
  offset: number;
  height: number;
  layout: Layout;
  gap: number;
}

/** The shape of the grid as a move sees it on this screen. */
export function shapeOf(view: GridView, count: number): GridShape {
  const rows = wholeRows(view.offset, view.height, view.layout, view.gap);
  return {
    cols: view.layout.cols,
    count,
    pageRows: rows.last - rows.first + 1,
    firstOnScreen: Math.min(Math.max(0, count - 1), rows.first * view.layout.cols),
  };
}

/** Where the rows go once focus moved from `from` to `to`. A page key carries the
 * screen along by the rows it moved, so the focused card keeps its place on screen;
 * any other move scrolls just enough to show the card whole (not at all when it is). */
export function offsetAfterMove(move: GridMove, from: number, to: number, view: GridView): number {
  const { layout } = view;
  const toRow = Math.floor(to / layout.cols);
  let at = view.offset;
  if (move === 'pageUp' || move === 'pageDown') {
    at += (toRow - Math.floor(from / layout.cols)) * layout.rowHeight;
  }
  return offsetShowing(toRow, at, view.height, layout, view.gap);
}

/** What the grid does for its keys. Indexes are positions in the result. */
export interface GridKeysHost {
  /** The grid's element, its `?` list included. */
  root: HTMLElement | undefined;
  /** Another view covers the grid (the player, Settings). */
  covered: boolean;
  /** The grid's `?` list is open. */
  helpOpen: boolean;
  /** The card the keys act on: the focused one, or the one focus is on its way to. */
  focused(): number | null;
  shape(): GridShape;
  /** `from`: the focused card, or the first on screen when none is. */
  moveFocus(to: number, from: number, move: GridMove): void;
  open(index: number): void;
  preview(index: number): void;
  favorite(index: number): void;
  select(index: number): void;
  toggleHelp(): void;
}

/** Whether a key pressed on `target` is for the grid: pressed in the grid or on the page
 * itself (nothing focused), not typed into a field. A key pressed on another control
 * (the filter bar's) is that control's. */
export function keyIsForGrid(target: EventTarget | null, root: HTMLElement | undefined): boolean {
  if (isTyping(target)) return false;
  if (target === document.body || target === document.documentElement) return true;
  return root !== undefined && target instanceof Node && root.contains(target);
}

/** A dialog or a popover is open outside the grid: its keys are not the grid's. */
export function layerIsOpen(root: HTMLElement | undefined): boolean {
  const layers = document.querySelectorAll('dialog[open], [role="dialog"], [aria-haspopup][aria-expanded="true"]');
  return [...layers].some((layer) => !root?.contains(layer));
}

/** Enter and Space press the button they are on, as anywhere else: on the card's star
 * they are the star's. Only on the card's poster (which opens it) or with no button
 * focused are they the grid's. */
function pressesItsOwnButton(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const button = target.closest<HTMLElement>('button, a[href], [role="button"]');
  return button !== null && button.dataset.testid !== 'card-open';
}

/** Acts on a key press, if it is one of the grid's; true when it did (and then the
 * browser's own handling of the key, such as scrolling, is cancelled). */
export function handleGridKey(event: KeyboardEvent, host: GridKeysHost): boolean {
  // Handled already: the player's keys, a popover's Escape.
  if (event.defaultPrevented || host.covered) return false;
  if (!keyIsForGrid(event.target, host.root) || layerIsOpen(host.root)) return false;
  const action = gridActionFor(event);
  if (action === null) return false;
  const done = () => {
    event.preventDefault();
    return true;
  };

  // The `?` list is a dialog: while it is open, the grid's keys only close it.
  if (host.helpOpen) {
    if (action !== 'help' && action !== 'closeHelp') return false;
    host.toggleHelp();
    return done();
  }
  if (action === 'closeHelp') return false;
  if (action === 'help') {
    host.toggleHelp();
    return done();
  }

  const from = host.focused();
  if (isMove(action)) {
    const shape = host.shape();
    const to = focusAfter(action, from, shape);
    if (to === null) return false;
    host.moveFocus(to, from ?? shape.firstOnScreen, action);
    return done();
  }

  // The rest act on the focused card, and there must be one: never on a card the user
  // cannot see is meant.
  if (from === null) return false;
  if ((action === 'open' || action === 'preview') && pressesItsOwnButton(event.target)) return false;
  switch (action) {
    case 'open':
      host.open(from);
      break;
    case 'preview':
      host.preview(from);
      break;
    case 'favorite':
      host.favorite(from);
      break;
    case 'select':
      host.select(from);
      break;
    default: {
      const unhandled: never = action;
      throw new Error(`grid key without a handler: ${String(unhandled)}`);
    }
  }
  return done();
}
