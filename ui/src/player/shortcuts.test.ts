import { describe, expect, it } from 'vitest';
import { describeKeyTable, press } from '../shared/key-table.suite';
import { keysOf } from '../shared/keys';
import { SHORTCUTS, actionFor, resumeAt, timeOfCell, type PlayerAction } from './shortcuts';

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

// Every binding, tested and looked for in the ? list, straight from the table.
describeKeyTable('player', SHORTCUTS, actionFor, ACTIONS);

describe('player keyboard', () => {
  // The keys the hand-written list once left out of its test (issue 11): ArrowRight
  // and P, now named in the list because the list is made from the bindings.
  it('reads its paired keys in the list', () => {
    expect(SHORTCUTS.map(keysOf)).toEqual([
      'Space / K',
      '← / →',
      'Shift + ← / →',
      'F',
      'M',
      'N / P',
      'S',
      'Delete',
      'Escape',
      '?',
    ]);
  });

  it('leaves the grid\'s own keys alone', () => {
    expect(actionFor(press('x'))).toBeNull();
    expect(actionFor(press('Enter'))).toBeNull();
    expect(actionFor(press('Home'))).toBeNull();
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
