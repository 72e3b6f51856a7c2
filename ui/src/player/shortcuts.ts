// The player's keyboard: one table, read both by the handler (`actionFor`) and by the
// help overlay, so a key cannot work without being listed or be listed without working.

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

/** A key (as `KeyboardEvent.key`, letters in lower case) and what it does. `shift`
 * unset: with or without Shift. */
export interface Binding {
  key: string;
  shift?: boolean;
  action: PlayerAction;
}

/** One line of the help: how it reads, and the keys behind it. */
export interface Shortcut {
  keys: string;
  label: string;
  bindings: Binding[];
}

export const SHORTCUTS: Shortcut[] = [
  {
    keys: 'Space / K',
    label: 'Play / pause',
    bindings: [
      { key: ' ', action: 'togglePlay' },
      { key: 'k', action: 'togglePlay' },
    ],
  },
  {
    keys: '← / →',
    label: 'Back / forward 5 s',
    bindings: [
      { key: 'ArrowLeft', shift: false, action: 'back5' },
      { key: 'ArrowRight', shift: false, action: 'forward5' },
    ],
  },
  {
    keys: 'Shift + ← / →',
    label: 'Back / forward 30 s',
    bindings: [
      { key: 'ArrowLeft', shift: true, action: 'back30' },
      { key: 'ArrowRight', shift: true, action: 'forward30' },
    ],
  },
  { keys: 'F', label: 'Fullscreen', bindings: [{ key: 'f', action: 'fullscreen' }] },
  { keys: 'M', label: 'Mute', bindings: [{ key: 'm', action: 'mute' }] },
  {
    keys: 'N / P',
    label: 'Next / previous video',
    bindings: [
      { key: 'n', action: 'next' },
      { key: 'p', action: 'previous' },
    ],
  },
  { keys: 'S', label: 'Favorite', bindings: [{ key: 's', action: 'favorite' }] },
  { keys: 'Delete', label: 'Delete (asks first)', bindings: [{ key: 'Delete', action: 'delete' }] },
  { keys: 'Escape', label: 'Back to the grid', bindings: [{ key: 'Escape', action: 'close' }] },
  { keys: '?', label: 'This list', bindings: [{ key: '?', action: 'help' }] },
];

const BINDINGS = SHORTCUTS.flatMap((s) => s.bindings);

/** The action a key press asks for, if any. Letters match in either case (Caps Lock,
 * Shift); a key with a modifier other than Shift is the system's or the webview's. */
export function actionFor(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>): PlayerAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const hit = BINDINGS.find((b) => b.key === key && (b.shift === undefined || b.shift === event.shiftKey));
  return hit?.action ?? null;
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
