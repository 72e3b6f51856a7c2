import { describe, expect, it } from 'vitest';
import { SHORTCUTS, actionFor, resumeAt, timeOfCell, type PlayerAction } from './shortcuts';

const press = (key: string, shiftKey = false) => ({ key, shiftKey, ctrlKey: false, metaKey: false, altKey: false });

// Every action the player handles. A Record, so an action added to PlayerAction fails
// the type check until it is listed here, and then the test until it has a key.
const ACTIONS: Record<PlayerAction, true> = {
  togglePlay: true,
  back5: true,
  forward5: true,
  back30: true,
  forward30: true,
  fullscreen: true,
  mute: true,
  next: true,
  previous: true,
  favorite: true,
  delete: true,
  close: true,
  help: true,
};

const bindings = SHORTCUTS.flatMap((s) => s.bindings);

describe('player keyboard', () => {
  it.each(bindings.map((b) => [b.key, b.shift, b.action] as const))(
    'key %j (shift %s) does %s',
    (key, shift, action) => {
      if (shift === undefined) {
        expect(actionFor(press(key, false))).toBe(action);
        expect(actionFor(press(key, true))).toBe(action);
      } else {
        expect(actionFor(press(key, shift))).toBe(action);
      }
      // Letters work in upper case too (Caps Lock, or Shift held).
      if (key.length === 1 && key.toUpperCase() !== key) {
        expect(actionFor(press(key.toUpperCase(), true))).toBe(action);
      }
    },
  );

  it('gives every action a key, and so a line in the help', () => {
    const bound = new Set(bindings.map((b) => b.action));
    expect([...bound].sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it('leaves other keys and modified keys alone', () => {
    expect(actionFor(press('x'))).toBeNull();
    expect(actionFor(press('Enter'))).toBeNull();
    for (const b of bindings) {
      expect(actionFor({ ...press(b.key, b.shift ?? false), ctrlKey: true })).toBeNull();
      expect(actionFor({ ...press(b.key, b.shift ?? false), altKey: true })).toBeNull();
    }
  });

  it('has no key that means two things', () => {
    const seen = new Map<string, PlayerAction>();
    for (const b of bindings) {
      for (const shift of b.shift === undefined ? [false, true] : [b.shift]) {
        const id = `${b.key}|${shift}`;
        expect(seen.get(id) ?? b.action, id).toBe(b.action);
        seen.set(id, b.action);
      }
    }
  });
});

describe('resume and timeline', () => {
  it('resumes from a saved position, not from the very start or end', () => {
    expect(resumeAt(120, 600)).toBe(120);
    expect(resumeAt(1, 600)).toBeNull();
    expect(resumeAt(598, 600)).toBeNull();
    expect(resumeAt(120, NaN)).toBeNull();
  });

  it('seeks to the start of the clicked cell', () => {
    expect(timeOfCell(0, 600)).toBe(0);
    expect(timeOfCell(50, 600)).toBe(300);
    expect(timeOfCell(150, 600)).toBe(594);
    expect(timeOfCell(10, 0)).toBe(0);
  });
});
