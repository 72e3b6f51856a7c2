// The player's keyboard: one table, read both by the handler (`actionFor`) and by the
// help overlay (see shared/keys.ts), so a key cannot work without being listed or be
// listed without working.

import { actionIn, type KeyPress, type Shortcut } from '../shared/keys';

export type PlayerAction =
  | 'togglePlay'
  | 'back5'
  | 'forward5'
  | 'back30'
  | 'forward30'
  | 'fullscreen'
  | 'mute'
  | 'next'
  | 'previous'
  | 'favorite'
  | 'delete'
  | 'close'
  | 'help';

export const SHORTCUTS: Shortcut<PlayerAction>[] = [
  {
    label: 'Play / pause',
    bindings: [
      { key: ' ', action: 'togglePlay' },
      { key: 'k', action: 'togglePlay' },
    ],
  },
  {
    label: 'Back / forward 5 s',
    bindings: [
      { key: 'ArrowLeft', shift: false, action: 'back5' },
      { key: 'ArrowRight', shift: false, action: 'forward5' },
    ],
  },
  {
    label: 'Back / forward 30 s',
    bindings: [
      { key: 'ArrowLeft', shift: true, action: 'back30' },
      { key: 'ArrowRight', shift: true, action: 'forward30' },
    ],
  },
  { label: 'Fullscreen', bindings: [{ key: 'f', action: 'fullscreen' }] },
  { label: 'Mute', bindings: [{ key: 'm', action: 'mute' }] },
  {
    label: 'Next / previous video',
    bindings: [
      { key: 'n', action: 'next' },
      { key: 'p', action: 'previous' },
    ],
  },
  { label: 'Favorite', bindings: [{ key: 's', action: 'favorite' }] },
  { label: 'Delete (asks first)', bindings: [{ key: 'Delete', action: 'delete' }] },
  { label: 'Back to the grid', bindings: [{ key: 'Escape', action: 'close' }] },
  { label: 'This list', bindings: [{ key: '?', action: 'help' }] },
];

/** The player action a key press asks for, if any. */
export function actionFor(event: KeyPress): PlayerAction | null {
  return actionIn(SHORTCUTS, event);
}

/** Where to resume: the saved position, unless it is at the very start or end. */
export function resumeAt(position: number, duration: number): number | null {
  if (!(position > 2) || !Number.isFinite(duration) || duration <= 0) return null;
  if (position > duration - 5) return null;
  return position;
}

/** The time a click on cell `cell` of the 100-cell prediction timeline seeks to. */
export function timeOfCell(cell: number, duration: number): number {
  if (!Number.isFinite(duration) || duration <= 0) return 0;
  return (Math.min(99, Math.max(0, cell)) / 100) * duration;
}
