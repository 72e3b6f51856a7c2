import { beforeEach, describe, expect, it } from 'vitest';
import { FocusKeeper } from './focus';

/** A grid of recycled cells showing `keys`, as VideoGrid renders them. */
function grid(keys: string[]) {
  document.body.innerHTML = `<div id="grid" tabindex="-1">${keys
    .map((k) => `<article data-key="${k}"><button data-testid="card-open">open</button><button data-testid="card-favorite">★</button></article>`)
    .join('')}</div><input id="outside">`;
  const root = document.getElementById('grid')!;
  const cards = () => [...root.querySelectorAll<HTMLElement>('article')];
  /** What the recycled cells show now, slot by slot. */
  const show = (next: string[]) => cards().forEach((c, i) => (c.dataset.key = next[i]));
  return { root, cards, show };
}

describe('focus in a recycled grid', () => {
  let g: ReturnType<typeof grid>;
  let keeper: FocusKeeper;
  beforeEach(() => {
    g = grid(['a', 'b', 'c']);
    keeper = new FocusKeeper(g.root);
  });

  function focus(el: HTMLElement) {
    el.focus();
    keeper.focused(el);
  }

  it('leaves the card once its slot shows a video no longer on screen', () => {
    focus(g.cards()[0].querySelector('button')!);
    g.show(['x', 'y', 'z']);
    keeper.check();
    expect(document.activeElement).toBe(g.root);
  });

  it('follows the video to its new slot, on the same control', () => {
    focus(g.cards()[0].querySelector('[data-testid=card-favorite]')!);
    g.show(['c', 'b', 'a']);
    keeper.check();
    const active = document.activeElement as HTMLElement;
    expect(active.closest<HTMLElement>('article')?.dataset.key).toBe('a');
    expect(active.dataset.testid).toBe('card-favorite');
  });

  it('stays where it is when the card still shows its video', () => {
    const button = g.cards()[1].querySelector('button')!;
    focus(button);
    g.show(['q', 'b', 'r']);
    keeper.check();
    expect(document.activeElement).toBe(button);
  });

  it('does not pull focus back from outside the grid', () => {
    focus(g.cards()[0].querySelector('button')!);
    const outside = document.getElementById('outside')!;
    outside.focus();
    g.show(['x', 'y', 'z']);
    keeper.check();
    expect(document.activeElement).toBe(outside);
  });
});
