import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, contentOffset, gridLayout, rowsOnScreen, scale, scrollTopFor, visibleRows } from './layout';

const OPTIONS = { minCardWidth: 240, gap: 14, metaHeight: 74 };

describe('grid layout', () => {
  it('fits as many columns as the width allows, at least one', () => {
    expect(gridLayout(1280, 100, OPTIONS).cols).toBe(4);
    expect(gridLayout(1920, 100, OPTIONS).cols).toBe(7);
    expect(gridLayout(100, 100, OPTIONS).cols).toBe(1);
    const l = gridLayout(1280, 10, OPTIONS);
    expect(l.rows).toBe(3);
    expect(l.cols * l.cardWidth + (l.cols + 1) * 14).toBeCloseTo(1280, 5);
  });

  it('renders only the rows on screen, with overscan', () => {
    const l = gridLayout(1280, 1_000_000, OPTIONS);
    const { first, last } = visibleRows(10 * l.rowHeight, 800, l, 2);
    expect(first).toBe(8);
    expect(last - first).toBeLessThan(12);
    expect(visibleRows(0, 800, gridLayout(1280, 0, OPTIONS), 2)).toEqual({ first: 0, last: -1 });
  });

  it('counts a row on screen from its first pixel shown to its last, without overscan', () => {
    const l = gridLayout(1280, 1000, OPTIONS);
    const row = l.rowHeight;
    expect(rowsOnScreen(10 * row, 2 * row, l)).toEqual({ first: 10, last: 11 });
    expect(rowsOnScreen(10 * row + 1, 2 * row, l)).toEqual({ first: 10, last: 12 });
    expect(rowsOnScreen(l.contentHeight - 100, 800, l)).toEqual({ first: l.rows - 1, last: l.rows - 1 });
    expect(rowsOnScreen(0, 0, l)).toEqual({ first: 0, last: 0 });
    expect(rowsOnScreen(0, 800, gridLayout(1280, 0, OPTIONS))).toEqual({ first: 0, last: -1 });
  });

  it('scales the scrollbar of a million videos and maps both ways', () => {
    const l = gridLayout(1280, 1_000_000, OPTIONS);
    expect(l.contentHeight).toBeGreaterThan(MAX_SCROLL_HEIGHT);
    expect(l.scrollHeight).toBe(MAX_SCROLL_HEIGHT);
    const view = 800;
    expect(scale(l, view)).toBeGreaterThan(1);
    // The bottom of the scrollbar is the last row.
    const bottom = contentOffset(l.scrollHeight - view, l, view);
    expect(bottom).toBeCloseTo(l.contentHeight - view, 3);
    const { last } = visibleRows(bottom, view, l, 0);
    expect(last).toBe(l.rows - 1);
    // Round trip.
    const offset = 123_456_7;
    expect(contentOffset(scrollTopFor(offset, l, view), l, view)).toBeCloseTo(offset, 3);
  });

  it('does not scale a result that fits', () => {
    const l = gridLayout(1280, 1000, OPTIONS);
    expect(scale(l, 800)).toBe(1);
    expect(contentOffset(500, l, 800)).toBe(500);
  });
});
