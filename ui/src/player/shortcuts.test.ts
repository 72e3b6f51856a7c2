import { describe, expect, it } from 'vitest';
import { SHORTCUTS, actionFor, resumeAt, timeOfCell } from './shortcuts';

const key = (k: string, shiftKey = false) => ({ key: k, shiftKey, ctrlKey: false, metaKey: false, altKey: false });

describe('player keyboard', () => {
  it('maps the documented keys', () => {
    expect(actionFor(key(' '))).toBe('togglePlay');
    expect(actionFor(key('ArrowLeft'))).toBe('back5');
    expect(actionFor(key('ArrowRight', true))).toBe('forward30');
    expect(actionFor(key('f'))).toBe('fullscreen');
    expect(actionFor(key('n'))).toBe('next');
    expect(actionFor(key('p'))).toBe('previous');
    expect(actionFor(key('s'))).toBe('favorite');
    expect(actionFor(key('Escape'))).toBe('close');
    expect(actionFor(key('?'))).toBe('help');
    expect(actionFor(key('x'))).toBeNull();
    expect(actionFor({ ...key('s'), ctrlKey: true })).toBeNull();
  });

  it('lists every action it handles in the help', () => {
    const listed = new Set(SHORTCUTS.map((s) => s.action));
    for (const k of [' ', 'ArrowLeft', 'f', 'm', 'n', 's', 'Delete', 'Escape', '?']) {
      const action = actionFor(key(k));
      expect(action).not.toBeNull();
      expect(listed.has(action!)).toBe(true);
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
