// Keyboard tables, for any view that has keys: a view lists its keys once, as lines of
// the `?` help each holding the bindings behind it, and both its handler (`actionIn`)
// and its help (`keysOf`) read that list. The help's key names are made from the
// bindings rather than written beside them, so a key cannot work without being listed.

/** A key (as `KeyboardEvent.key`, letters in lower case) and what it does. `shift`
 * unset: with or without Shift. */
export interface Binding<A extends string> {
  key: string;
  shift?: boolean;
  action: A;
}

/** One line of the help: what it does, and the keys behind it. */
export interface Shortcut<A extends string> {
  label: string;
  bindings: Binding<A>[];
}

export type KeyPress = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>;

/** The action a key press asks for in `table`, if any. Letters match in either case
 * (Caps Lock, Shift); a key with a modifier other than Shift is the system's or the
 * webview's. */
export function actionIn<A extends string>(table: readonly Shortcut<A>[], event: KeyPress): A | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  for (const line of table) {
    const hit = line.bindings.find((b) => b.key === key && (b.shift === undefined || b.shift === event.shiftKey));
    if (hit) return hit.action;
  }
  return null;
}

const NAMES: Record<string, string> = {
  ' ': 'Space',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
};

/** How a key reads on a keycap: `→`, `Space`, `S`. */
export function keyName(key: string): string {
  return NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key);
}

/** The keys of a help line as they read: `Shift + ← / →`, `N / P`. */
export function keysOf(line: Shortcut<string>): string {
  const named = line.bindings.map((b) => ({ name: keyName(b.key), shift: b.shift === true }));
  if (named.length > 0 && named.every((b) => b.shift)) return `Shift + ${named.map((b) => b.name).join(' / ')}`;
  return named.map((b) => (b.shift ? `Shift + ${b.name}` : b.name)).join(' / ');
}

/** Whether a key press goes into a field being typed in, where keys are text. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
