// The sorts the grid offers, one label per key. A Record, so a sort added to the Rust
// `SortKey` fails the type check here until it has a label.

import type { SortKey } from './api';

export const SORT_LABELS: Record<SortKey, string> = {
  date: 'Date',
  quality: 'Quality',
  size: 'Size',
  name: 'Name',
  seen: 'Last watched',
  shuffle: 'Shuffle',
};

export const SORT_KEYS = Object.keys(SORT_LABELS) as SortKey[];

export function isSortKey(value: unknown): value is SortKey {
  return typeof value === 'string' && Object.hasOwn(SORT_LABELS, value);
}
