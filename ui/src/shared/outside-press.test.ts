import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outsidePress, type CloseReason } from './outside-press';

/** A popover (trigger + panel) and a card beside it, as on the toolbar over the grid. */
function page() {
  document.body.innerHTML = `
    <div id="popover"><button id="trigger">creators</button><div id="panel"><input id="search"></div></div>
    <article id="card"><button id="open">open</button></article>`;
  const $ = (id: string) => document.getElementById(id)!;
  const opened: string[] = [];
  $('open').addEventListener('click', () => opened.push('card'));
  $('open').addEventListener('mousedown', () => opened.push('mousedown'));
  const closes: CloseReason[] = [];
  let active = true;
  const action = outsidePress($('popover'), {
    active,
    onClose: (reason) => {
      closes.push(reason);
      active = false;
      action.update({ active, onClose: () => closes.push('press') });
    },
  });
  return { $, opened, closes, action };
}

/** What a mouse press dispatches, in order. */
function press(target: HTMLElement) {
  const ok = target.dispatchEvent(new Event('pointerdown', { bubbles: true, cancelable: true }));
  // The browser sends no mousedown after a cancelled pointerdown; send it anyway.
  target.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
  target.dispatchEvent(new Event('pointerup', { bubbles: true, cancelable: true }));
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  return ok;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('closing a popover by a press outside', () => {
  let p: ReturnType<typeof page>;
  beforeEach(() => (p = page()));
  afterEach(() => p.action.destroy());

  it('closes it, and the card under the pointer neither opens nor sees the press', async () => {
    const pointerdownAllowed = press(p.$('open'));
    expect(p.closes).toEqual(['press']);
    expect(p.opened).toEqual([]);
    expect(pointerdownAllowed).toBe(false);
  });

  it('lets the next click through once the closing press is over', async () => {
    press(p.$('open'));
    await tick();
    press(p.$('open'));
    expect(p.opened).toEqual(['mousedown', 'card']);
  });

  it('does not swallow a keyboard click (no pointerdown) after a press that ended in no click', async () => {
    const open = p.$('open');
    open.dispatchEvent(new Event('pointerdown', { bubbles: true, cancelable: true }));
    open.dispatchEvent(new Event('pointerup', { bubbles: true }));
    await tick();
    open.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(p.opened).toEqual(['card']);
  });

  it('leaves presses inside alone', () => {
    let clicked = 0;
    p.$('search').addEventListener('click', () => clicked++);
    press(p.$('search'));
    press(p.$('trigger'));
    expect(clicked).toBe(1);
    expect(p.closes).toEqual([]);
  });

  it('closes on Escape and when focus leaves it, without swallowing anything', async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(p.closes).toEqual(['escape']);
    p.action.update({ active: true, onClose: (r) => p.closes.push(r) });
    p.$('open').focus();
    expect(p.closes).toEqual(['escape', 'focus']);
  });

  it('closes when a control outside changes without a press (a select set by automation)', () => {
    const select = document.createElement('select');
    document.body.append(select);
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(p.closes).toEqual(['focus']);
    p.action.update({ active: true, onClose: (r) => p.closes.push(r) });
    p.$('search').dispatchEvent(new Event('change', { bubbles: true }));
    expect(p.closes).toEqual(['focus']);
  });

  it('does nothing once closed', async () => {
    p.action.update({ active: false, onClose: (r) => p.closes.push(r) });
    press(p.$('open'));
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(p.closes).toEqual([]);
    expect(p.opened).toEqual(['mousedown', 'card']);
  });
});
