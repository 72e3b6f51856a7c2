import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeKeyTable, press } from '../shared/key-table.suite';
import { keysOf } from '../shared/keys';
import { SHORTCUTS } from '../player/shortcuts';
import {
  GRID_SHORTCUTS,
  focusAfter,
  gridActionFor,
  handleGridKey,
  offsetAfterMove,
  shapeOf,
  type GridAction,
  type GridKeysHost,
  type GridMove,
  type GridShape,
} from './keyboard';
import { gridLayout, wholeRows } from './layout';

const ACTIONS: Record<GridAction, true> = {
  left: true,
  right: true,
  up: true,
  down: true,
  pageUp: true,
  pageDown: true,
  first: true,
  last: true,
  open: true,
  preview: true,
  favorite: true,
  select: true,
  help: true,
  closeHelp: true,
};

describeKeyTable('grid', GRID_SHORTCUTS, gridActionFor, ACTIONS);

describe('the grid’s key table', () => {
  it('reads as the ? list shows it, X as Select', () => {
    expect(GRID_SHORTCUTS.map((line) => [keysOf(line), line.label])).toEqual([
      ['← / → / ↑ / ↓', 'Move between videos'],
      ['Page Up / Page Down', 'A screen up / down'],
      ['Home / End', 'First / last video'],
      ['Enter', 'Play'],
      ['Space', 'Preview (again to stop)'],
      ['S', 'Favorite'],
      ['X', 'Select'],
      ['?', 'This list'],
      ['Escape', 'Close this list'],
    ]);
    expect(gridActionFor(press('x'))).toBe('select');
  });

  it('leaves Shift + a move free (for extending a selection)', () => {
    for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']) {
      expect(gridActionFor(press(key, true)), key).toBeNull();
    }
  });

  it('means the same as the player where both have a key', () => {
    // S favorites in both; the player's other letters are not the grid's.
    expect(gridActionFor(press('s'))).toBe('favorite');
    expect(SHORTCUTS.find((l) => l.bindings.some((b) => b.key === 's'))?.label).toBe('Favorite');
    for (const key of ['f', 'm', 'n', 'p', 'k', 'Delete']) expect(gridActionFor(press(key)), key).toBeNull();
  });
});

// 10 videos in 4 columns:   0 1 2 3 / 4 5 6 7 / 8 9
const shape = (over: Partial<GridShape> = {}): GridShape => ({ cols: 4, count: 10, pageRows: 2, firstOnScreen: 0, ...over });
const move = (m: GridMove, from: number | null, over: Partial<GridShape> = {}) => focusAfter(m, from, shape(over));

describe('focus movement', () => {
  it('runs Left and Right on across row ends', () => {
    expect(move('right', 3)).toBe(4);
    expect(move('left', 4)).toBe(3);
    expect(move('right', 7)).toBe(8);
    expect(move('left', 8)).toBe(7);
    expect(move('right', 1)).toBe(2);
  });

  it('goes no further than the first and the last video', () => {
    expect(move('left', 0)).toBe(0);
    expect(move('right', 9)).toBe(9);
    expect(move('up', 2)).toBe(2);
    expect(move('down', 9)).toBe(9);
    expect(move('down', 8)).toBe(8);
    expect(move('pageUp', 1)).toBe(1);
    expect(move('pageDown', 9)).toBe(9);
  });

  it('keeps the column going up and down, and lands on the last video below a short last row', () => {
    expect(move('down', 1)).toBe(5);
    expect(move('down', 5)).toBe(9);
    expect(move('up', 9)).toBe(5);
    expect(move('up', 4)).toBe(0);
    // Columns 2 and 3 have no video in the last row.
    expect(move('down', 6)).toBe(9);
    expect(move('down', 7)).toBe(9);
    expect(move('up', 8)).toBe(4);
  });

  it('goes to the first and the last video on Home and End, from anywhere', () => {
    for (const from of [null, 0, 5, 9]) {
      expect(move('first', from)).toBe(0);
      expect(move('last', from)).toBe(9);
    }
    // A million-video result: End is the last index, loaded or not.
    expect(focusAfter('last', 3, { cols: 5, count: 1_000_000, pageRows: 3, firstOnScreen: 0 })).toBe(999_999);
  });

  it('moves a page by the rows wholly on screen, in the same column', () => {
    const big = { cols: 4, count: 100, pageRows: 3, firstOnScreen: 0 };
    expect(focusAfter('pageDown', 1, big)).toBe(13);
    expect(focusAfter('pageDown', 13, big)).toBe(25);
    expect(focusAfter('pageUp', 25, big)).toBe(13);
    // Clamped at either end, in the column while it has a video.
    expect(focusAfter('pageUp', 6, big)).toBe(2);
    expect(focusAfter('pageDown', 90, big)).toBe(98);
    expect(move('pageDown', 2)).toBe(9);
    expect(move('pageDown', 1)).toBe(9);
    expect(move('pageUp', 9)).toBe(1);
    // A screen shorter than a row still moves a row.
    expect(focusAfter('pageDown', 1, { ...big, pageRows: 0 })).toBe(5);
  });

  it('starts from the first video on screen when no card has focus', () => {
    expect(move('right', null, { firstOnScreen: 4 })).toBe(5);
    expect(move('down', null, { firstOnScreen: 4 })).toBe(8);
    expect(move('left', null, { firstOnScreen: 4 })).toBe(3);
    expect(move('right', null)).toBe(1);
  });

  it('works in one column, and has nowhere to go in an empty result', () => {
    expect(move('down', 3, { cols: 1 })).toBe(4);
    expect(move('right', 3, { cols: 1 })).toBe(4);
    expect(move('pageDown', 3, { cols: 1, pageRows: 4 })).toBe(7);
    for (const m of ['left', 'right', 'up', 'down', 'pageUp', 'pageDown', 'first', 'last'] as const) {
      expect(move(m, null, { count: 0 })).toBeNull();
    }
  });
});

// 1000 px wide, 240 px cards: 3 columns of rows 265 px high (cards 251 px, 14 px gaps).
const GAP = 14;
const layoutOf = (count: number) => gridLayout(1000, count, { minCardWidth: 240, gap: GAP, metaHeight: 74 });

describe('the screen under a moving focus', () => {
  const layout = layoutOf(300);
  const view = (offset: number, height = 600) => ({ offset, height, layout, gap: GAP });

  it('counts the rows wholly on screen', () => {
    expect(layout.cols).toBe(3);
    expect(layout.rowHeight).toBe(265);
    expect(wholeRows(0, 600, layout, GAP)).toEqual({ first: 0, last: 1 });
    // Scrolled into row 0 (the screen spans 250..850): its card is cut, rows 1 and 2
    // (279..530, 544..795) are whole.
    expect(wholeRows(250, 600, layout, GAP)).toEqual({ first: 1, last: 2 });
    expect(shapeOf(view(250), 300)).toEqual({ cols: 3, count: 300, pageRows: 2, firstOnScreen: 3 });
    // At 100 (100..700) only row 1 is.
    expect(shapeOf(view(100), 300).pageRows).toBe(1);
    // A screen shorter than a card.
    expect(shapeOf(view(0, 100), 300).pageRows).toBe(1);
  });

  it('does not scroll to a card already whole on screen', () => {
    expect(offsetAfterMove('right', 0, 1, view(0))).toBe(0);
    expect(offsetAfterMove('down', 0, 3, view(0))).toBe(0);
  });

  it('scrolls just enough to show a card below or above', () => {
    // Row 2 ends at 3 * 265 + 14 = 809: the screen ends there.
    expect(offsetAfterMove('down', 3, 6, view(0))).toBe(209);
    // Row 1 starts at 265: the screen starts there (its gap above included).
    expect(offsetAfterMove('up', 9, 3, view(400))).toBe(265);
  });

  it('carries the screen along a page, the focused card keeping its place', () => {
    expect(offsetAfterMove('pageDown', 0, 6, view(0))).toBe(530);
    expect(offsetAfterMove('pageUp', 6, 0, view(530))).toBe(0);
  });

  it('goes to the very end on End, and to the top on Home', () => {
    const max = layout.contentHeight - 600;
    expect(offsetAfterMove('last', 4, 299, view(0))).toBe(max);
    expect(offsetAfterMove('first', 299, 0, view(max))).toBe(0);
  });
});

describe('the grid’s key handler', () => {
  let root: HTMLElement;
  let host: GridKeysHost & { calls: string[]; focusedAt: number | null };

  beforeEach(() => {
    document.body.innerHTML = `
      <header><button id="sort">sort</button><input id="search"><div id="popover"><button id="trigger" aria-haspopup="true" aria-expanded="false">creators</button></div></header>
      <div id="grid"><div data-index="0"><article data-key="a"><button data-testid="card-open">a</button><button data-testid="card-favorite">★</button></article></div></div>`;
    root = document.getElementById('grid')!;
    const calls: string[] = [];
    host = {
      calls,
      focusedAt: 0,
      root,
      covered: false,
      helpOpen: false,
      focused: () => host.focusedAt,
      shape: () => shape(),
      moveFocus: (to, from, m) => calls.push(`move ${m} ${from} -> ${to}`),
      open: (i) => calls.push(`open ${i}`),
      preview: (i) => calls.push(`preview ${i}`),
      favorite: (i) => calls.push(`favorite ${i}`),
      select: (i) => calls.push(`select ${i}`),
      toggleHelp: () => calls.push('help'),
    };
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  const $ = (selector: string) => document.querySelector<HTMLElement>(selector)!;
  /** A key pressed with focus on `on`, as the browser dispatches it. */
  function key(on: Element, k: string, init: KeyboardEventInit = {}) {
    const event = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init });
    let handled = false;
    const listener = (e: Event) => (handled = handleGridKey(e as KeyboardEvent, host));
    window.addEventListener('keydown', listener);
    on.dispatchEvent(event);
    window.removeEventListener('keydown', listener);
    return { handled, prevented: event.defaultPrevented };
  }

  it('acts on the focused card, and cancels what the browser would do with the key', () => {
    const poster = $('[data-testid=card-open]');
    expect(key(poster, 'ArrowRight')).toEqual({ handled: true, prevented: true });
    expect(key(poster, 'Enter')).toEqual({ handled: true, prevented: true });
    key(poster, ' ');
    key(poster, 'S');
    key(poster, 'x');
    key(poster, 'End');
    expect(host.calls).toEqual(['move right 0 -> 1', 'open 0', 'preview 0', 'favorite 0', 'select 0', 'move last 0 -> 9']);
  });

  it('takes keys pressed on the page itself (nothing focused)', () => {
    host.focusedAt = null;
    expect(key(document.body, 'ArrowDown').handled).toBe(true);
    expect(host.calls).toEqual(['move down 0 -> 4']);
  });

  it('does nothing to a card the user has not focused', () => {
    host.focusedAt = null;
    for (const k of ['Enter', ' ', 's', 'x']) expect(key(document.body, k)).toEqual({ handled: false, prevented: false });
    expect(host.calls).toEqual([]);
  });

  it('leaves Enter and Space to the card’s star, but S and X still act on its card', () => {
    const star = $('[data-testid=card-favorite]');
    expect(key(star, 'Enter')).toEqual({ handled: false, prevented: false });
    expect(key(star, ' ')).toEqual({ handled: false, prevented: false });
    expect(key(star, 's').handled).toBe(true);
    expect(host.calls).toEqual(['favorite 0']);
  });

  it('does not fire while typing, nor on another control', () => {
    for (const el of [$('#search'), $('#sort')]) {
      for (const k of ['ArrowRight', 'Enter', ' ', 's', 'x', '?', 'Home']) expect(key(el, k).handled, `${el.id} ${k}`).toBe(false);
    }
    const select = document.createElement('select');
    const textarea = document.createElement('textarea');
    root.append(select, textarea);
    expect(key(select, 'ArrowDown').handled).toBe(false);
    expect(key(textarea, 's').handled).toBe(false);
    expect(host.calls).toEqual([]);
  });

  it('does not fire while the player (or Settings) covers the grid', () => {
    host.covered = true;
    expect(key($('[data-testid=card-open]'), 'ArrowRight').handled).toBe(false);
    expect(key(document.body, 'Enter').handled).toBe(false);
    expect(host.calls).toEqual([]);
  });

  it('does not fire while a popover or a dialog is open', () => {
    const poster = $('[data-testid=card-open]');
    $('#trigger').setAttribute('aria-expanded', 'true');
    expect(key(poster, 'ArrowRight').handled).toBe(false);
    $('#trigger').setAttribute('aria-expanded', 'false');
    const dialog = document.createElement('dialog');
    dialog.setAttribute('open', '');
    document.body.append(dialog);
    expect(key(poster, 'ArrowRight').handled).toBe(false);
    dialog.remove();
    expect(key(poster, 'ArrowRight').handled).toBe(true);
  });

  it('leaves a key someone handled first (the player’s, a popover’s Escape)', () => {
    const poster = $('[data-testid=card-open]');
    const first = (e: Event) => e.preventDefault();
    poster.addEventListener('keydown', first);
    expect(key(poster, 'ArrowRight').handled).toBe(false);
    expect(host.calls).toEqual([]);
  });

  it('opens the ? list, and while it is open only closes it', () => {
    const poster = $('[data-testid=card-open]');
    // Escape with no list open is not the grid's.
    expect(key(poster, 'Escape')).toEqual({ handled: false, prevented: false });
    expect(key(poster, '?', { shiftKey: true }).handled).toBe(true);
    host.helpOpen = true;
    // The grid's own list is a dialog too, but not one that stops its keys.
    const list = document.createElement('div');
    list.setAttribute('role', 'dialog');
    root.append(list);
    expect(key(poster, 'ArrowRight').handled).toBe(false);
    expect(key(poster, 'Enter').handled).toBe(false);
    expect(key(poster, 'Escape').handled).toBe(true);
    expect(key(poster, '?').handled).toBe(true);
    expect(host.calls).toEqual(['help', 'help', 'help']);
  });

  it('ignores keys with a modifier, and keys it does not know', () => {
    const poster = $('[data-testid=card-open]');
    expect(key(poster, 'ArrowRight', { ctrlKey: true }).handled).toBe(false);
    expect(key(poster, 's', { metaKey: true }).handled).toBe(false);
    expect(key(poster, 'q').handled).toBe(false);
    expect(key(poster, 'Tab').handled).toBe(false);
    expect(host.calls).toEqual([]);
  });

  it('does something for every binding of the table', () => {
    const poster = $('[data-testid=card-open]');
    const bindings = GRID_SHORTCUTS.flatMap((l) => l.bindings);
    for (const b of bindings) {
      // Escape only closes an open list.
      host.helpOpen = b.action === 'closeHelp';
      expect(key(poster, b.key, { shiftKey: b.shift ?? false }).handled, b.key).toBe(true);
    }
    expect(host.calls).toHaveLength(bindings.length);
  });
});
