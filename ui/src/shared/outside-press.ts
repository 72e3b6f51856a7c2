// Closing a popover by pressing outside it, without that press doing anything else. The
// press is taken at the window in the capture phase, before any element sees it: its
// pointerdown and mousedown are cancelled (no focus move, no <select> opening, no text
// selection) and the click that follows is swallowed. Without this, closing the creator
// picker by clicking the grid also opened the card under the pointer.
//
// Not an invisible backdrop: a backdrop hides the page from hit-testing, so hover
// effects under it freeze while the popover is open and a WebDriver click on a control
// under it fails as "intercepted".

export type CloseReason = 'press' | 'escape' | 'focus';

export interface OutsidePressOptions {
  /** Whether the popover is open. */
  active: boolean;
  /** `escape`: give focus back to the trigger; `press`: a press outside; `focus`: the
   * user acted elsewhere without a press (Tab, or a control outside changed). */
  onClose: (reason: CloseReason) => void;
}

/** A Svelte action for the element holding both the trigger and the panel: anything
 * inside it is "inside". */
export function outsidePress(node: HTMLElement, options: OutsidePressOptions) {
  let current = options;
  let listening = false;
  /** Set by a closing press, until its click has gone by. */
  let swallowing = false;
  let reset: ReturnType<typeof setTimeout> | undefined;

  const inside = (target: EventTarget | null) => target instanceof Node && node.contains(target);

  function cancel(event: Event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  /** The closing press is over: later clicks go through, and a closed popover stops
   * listening. */
  function finish() {
    swallowing = false;
    clearTimeout(reset);
    if (!current.active) listen(false);
  }

  function onPointerDown(event: Event) {
    if (!current.active) return finish();
    if (inside(event.target)) return;
    cancel(event);
    swallowing = true;
    current.onClose('press');
  }

  function onMouseDown(event: Event) {
    if (swallowing) cancel(event);
  }

  function onClick(event: Event) {
    if (!swallowing) return;
    cancel(event);
    finish();
  }

  // When the press ends in a click, the click is dispatched in the same task as the
  // pointerup, so a timer set now runs after it. A press that ends in none (a drag, a
  // right button, a cancelled pointer) must not leave the next click swallowed, nor a
  // keyboard "click", which has no pointerdown.
  function onPointerUp() {
    if (!swallowing) return;
    clearTimeout(reset);
    reset = setTimeout(finish, 0);
  }

  // Acting elsewhere without a press closes it too, and swallows nothing: focus moving
  // out (Tab), or a control outside changing (a <select> set by automation, as the
  // end-to-end tests do, fires change with neither a press nor a focus move).
  function onElsewhere(event: Event) {
    if (current.active && !inside(event.target)) current.onClose('focus');
  }

  function onKeyDown(event: KeyboardEvent) {
    if (!current.active || event.key !== 'Escape') return;
    cancel(event);
    current.onClose('escape');
  }

  const listeners: [string, EventListener][] = [
    ['pointerdown', onPointerDown],
    ['mousedown', onMouseDown],
    ['click', onClick],
    ['pointerup', onPointerUp],
    ['pointercancel', onPointerUp],
    ['focusin', onElsewhere],
    ['change', onElsewhere],
    ['keydown', onKeyDown as EventListener],
  ];

  function listen(on: boolean) {
    if (on === listening) return;
    listening = on;
    for (const [type, handler] of listeners) {
      if (on) window.addEventListener(type, handler, true);
      else window.removeEventListener(type, handler, true);
    }
  }

  // The popover closes on the pointerdown and its click comes after: a closed popover
  // keeps listening until that click has gone by (see finish).
  function update(next: OutsidePressOptions) {
    current = next;
    if (next.active) listen(true);
    else if (!swallowing) listen(false);
  }

  update(options);
  return {
    update,
    destroy() {
      clearTimeout(reset);
      swallowing = false;
      listen(false);
    },
  };
}
