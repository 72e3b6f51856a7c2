// The player's keyboard: one table, so the help overlay and the handler cannot disagree.

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

export const SHORTCUTS: { keys: string; action: PlayerAction; label: string }[] = [
  { keys: 'Space', action: 'togglePlay', label: 'Play / pause' },
  { keys: '← / →', action: 'back5', label: 'Back / forward 5 s' },
  { keys: 'Shift + ← / →', action: 'back30', label: 'Back / forward 30 s' },
  { keys: 'F', action: 'fullscreen', label: 'Fullscreen' },
  { keys: 'M', action: 'mute', label: 'Mute' },
  { keys: 'N / P', action: 'next', label: 'Next / previous video' },
  { keys: 'S', action: 'favorite', label: 'Favorite' },
  { keys: 'Delete', action: 'delete', label: 'Delete (asks first)' },
  { keys: 'Escape', action: 'close', label: 'Back to the grid' },
  { keys: '?', action: 'help', label: 'This list' },
];

/** The action a key press asks for, if any. */
export function actionFor(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>): PlayerAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case ' ':
    case 'k':
      return 'togglePlay';
    case 'ArrowLeft':
      return event.shiftKey ? 'back30' : 'back5';
    case 'ArrowRight':
      return event.shiftKey ? 'forward30' : 'forward5';
    case 'f':
    case 'F':
      return 'fullscreen';
    case 'm':
    case 'M':
      return 'mute';
    case 'n':
    case 'N':
      return 'next';
    case 'p':
    case 'P':
      return 'previous';
    case 's':
    case 'S':
      return 'favorite';
    case 'Delete':
      return 'delete';
    case 'Escape':
      return 'close';
    case '?':
      return 'help';
    default:
      return null;
  }
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
