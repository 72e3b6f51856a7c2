// The geometry of the virtual grid: fixed-height rows of equal cards, and a scrollbar
// that can span a million-video result. Browsers cap an element's height (WebKit near
// 2^25 px), and 1,000,000 videos at 5 per row are 50,000,000 px of rows: past a
// threshold the scrollable height is scaled down and scroll offsets are mapped between
// the scrollbar and the rows. Written by hand because the maintained virtualizers
// (TanStack Virtual included) lay items out at their real offsets and so stop at that cap.

/** Past this, the scrollable height is scaled (well under every engine's cap). */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface Layout {
  cols: number;
  cardWidth: number;
  rowHeight: number;
  rows: number;
  /** Height of all rows. */
  contentHeight: number;
  /** Height the scroller is given: the content's, or the cap. */
  scrollHeight: number;
}

export function gridLayout(
  width: number,
  count: number,
  options: { minCardWidth: number; gap: number; metaHeight: number },
): Layout {
  const { minCardWidth, gap, metaHeight } = options;
  const inner = Math.max(0, width - 2 * gap);
  const cols = Math.max(1, Math.floor((inner + gap) / (minCardWidth + gap)));
  const cardWidth = Math.max(1, (inner - (cols - 1) * gap) / cols);
  const rowHeight = Math.round((cardWidth * 9) / 16 + metaHeight + gap);
  const rows = Math.ceil(count / cols);
  const contentHeight = rows * rowHeight + gap;
  return {
    cols,
    cardWidth,
    rowHeight,
    rows,
    contentHeight,
    scrollHeight: Math.min(contentHeight, MAX_SCROLL_HEIGHT),
  };
}

/** How much further the rows move than the scrollbar (1 when nothing is scaled). */
export function scale(layout: Layout, viewHeight: number): number {
  const scrollable = layout.scrollHeight - viewHeight;
  const content = layout.contentHeight - viewHeight;
  return scrollable > 0 && content > scrollable ? content / scrollable : 1;
}

/** The offset into the rows shown when the scroller is at `scrollTop`. */
export function contentOffset(scrollTop: number, layout: Layout, viewHeight: number): number {
  const max = Math.max(0, layout.contentHeight - viewHeight);
  return Math.min(max, Math.max(0, scrollTop * scale(layout, viewHeight)));
}

/** The scroller position that shows the rows at `offset`. */
export function scrollTopFor(offset: number, layout: Layout, viewHeight: number): number {
  return offset / scale(layout, viewHeight);
}

/** Rows on screen at `offset`, with `overscan` more on each side. */
export function visibleRows(
  offset: number,
  viewHeight: number,
  layout: Layout,
  overscan: number,
): { first: number; last: number } {
  if (layout.rows === 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(offset / layout.rowHeight) - overscan);
  const last = Math.min(layout.rows - 1, Math.ceil((offset + viewHeight) / layout.rowHeight) + overscan);
  return { first, last };
}

/** Rows with any part on screen at `offset`: what is seen, without the rows rendered
 * beyond it. */
export function rowsOnScreen(offset: number, viewHeight: number, layout: Layout): { first: number; last: number } {
  if (layout.rows === 0) return { first: 0, last: -1 };
  const first = Math.min(layout.rows - 1, Math.floor(offset / layout.rowHeight));
  const last = Math.min(layout.rows - 1, Math.ceil((offset + viewHeight) / layout.rowHeight) - 1);
  return { first, last: Math.max(first, last) };
}

/** Rows whose cards are wholly on screen at `offset` (cards start `gap` below their
 * row's top). A screen shorter than a card counts the row at its top. */
export function wholeRows(offset: number, viewHeight: number, layout: Layout, gap: number): { first: number; last: number } {
  if (layout.rows === 0) return { first: 0, last: -1 };
  const first = Math.min(layout.rows - 1, Math.max(0, Math.ceil((offset - gap) / layout.rowHeight)));
  const last = Math.min(layout.rows - 1, Math.floor((offset + viewHeight) / layout.rowHeight) - 1);
  return { first, last: Math.max(first, last) };
}

/** The offset that shows the cards of `row` whole, with the gap around them, moving the
 * rows as little as it can: `offset` itself when they are on screen already. */
export function offsetShowing(row: number, offset: number, viewHeight: number, layout: Layout, gap: number): number {
  const top = row * layout.rowHeight;
  const bottom = (row + 1) * layout.rowHeight + gap;
  let at = offset;
  if (bottom > at + viewHeight) at = bottom - viewHeight;
  // A screen shorter than a card shows its top.
  if (top < at) at = top;
  return Math.min(Math.max(0, layout.contentHeight - viewHeight), Math.max(0, at));
}
