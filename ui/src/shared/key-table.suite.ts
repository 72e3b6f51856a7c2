// The tests every keyboard table must pass (the player's, the grid's), made from the
// table itself: a binding added to a table is tested, and must show in its `?` list,
// without anyone adding it to a test by hand.

import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it } from 'vitest';
import { keyName, keysOf, type KeyPress, type Shortcut } from './keys';
import ShortcutHelp from './ShortcutHelp.svelte';

export const press = (key: string, shiftKey = false): KeyPress => ({ key, shiftKey, ctrlKey: false, metaKey: false, altKey: false });

/** `actions`: every action the view handles. A Record, so an action added to the type
 * fails the type check until it is listed there, and then the test until it has a key. */
export function describeKeyTable<A extends string>(
  name: string,
  table: readonly Shortcut<A>[],
  actionFor: (event: KeyPress) => A | null,
  actions: Record<A, true>,
): void {
  const bindings = table.flatMap((line) => line.bindings);

  describe(`${name} keyboard table`, () => {
    it.each(bindings.map((b) => [b.key, b.shift, b.action] as const))('key %j (shift %s) does %s', (key, shift, action) => {
      if (shift === undefined) {
        expect(actionFor(press(key, false))).toBe(action);
        expect(actionFor(press(key, true))).toBe(action);
      } else {
        expect(actionFor(press(key, shift))).toBe(action);
        expect(actionFor(press(key, !shift))).not.toBe(action);
      }
      // Letters work in upper case too (Caps Lock, or Shift held).
      if (key.length === 1 && key.toUpperCase() !== key) {
        expect(actionFor(press(key.toUpperCase(), true))).toBe(action);
      }
    });

    it('lists every key in the ? list, on the line of what it does', () => {
      const target = document.createElement('div');
      document.body.append(target);
      const help = mount(ShortcutHelp, { target, props: { shortcuts: table, onClose: () => {} } });
      try {
        flushSync();
        const keys = [...target.querySelectorAll('dt')].map((dt) => dt.textContent ?? '');
        const labels = [...target.querySelectorAll('dd')].map((dd) => dd.textContent ?? '');
        expect(labels).toEqual(table.map((line) => line.label));
        table.forEach((line, i) => {
          expect(keys[i]).toBe(keysOf(line));
          for (const b of line.bindings) {
            expect(keys[i], `${JSON.stringify(b.key)} on "${line.label}"`).toContain(keyName(b.key));
            if (b.shift) expect(keys[i]).toContain('Shift');
          }
        });
      } finally {
        unmount(help);
        target.remove();
      }
    });

    it('gives every action a key, and so a line in the list', () => {
      const bound = new Set(bindings.map((b) => b.action));
      expect([...bound].sort()).toEqual(Object.keys(actions).sort());
    });

    it('leaves keys with Ctrl, Alt or Cmd to the system', () => {
      for (const b of bindings) {
        const shiftKey = b.shift ?? false;
        expect(actionFor({ ...press(b.key, shiftKey), ctrlKey: true })).toBeNull();
        expect(actionFor({ ...press(b.key, shiftKey), altKey: true })).toBeNull();
        expect(actionFor({ ...press(b.key, shiftKey), metaKey: true })).toBeNull();
      }
    });

    it('has no key that means two things', () => {
      const seen = new Map<string, A>();
      for (const b of bindings) {
        for (const shift of b.shift === undefined ? [false, true] : [b.shift]) {
          const id = `${b.key}|${shift}`;
          expect(seen.get(id) ?? b.action, id).toBe(b.action);
          seen.set(id, b.action);
        }
      }
    });
  });
}
