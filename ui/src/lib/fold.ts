// Matching what is typed against names whatever the accents and case, both ways: "zoe",
// "zoë" and "ZOË" all find "Zoë". Decompose (NFD), drop the combining marks, lower-case.

import type { CreatorCounts } from './api';
import { creatorLabel } from './format';

const MARKS = /\p{M}/gu;

export function fold(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLocaleLowerCase();
}

export interface FoldedCreator {
  creator: CreatorCounts;
  /** Its shown name folded: "(bucket root)" for the root, so "root" finds it. */
  folded: string;
}

/** Folded once per creators list, not once per name per keystroke. */
export function foldCreators(creators: CreatorCounts[]): FoldedCreator[] {
  return creators.map((creator) => ({ creator, folded: fold(creatorLabel(creator.name)) }));
}

/** The first `limit` creators whose shown name contains `query`, in list order. */
export function findCreators(index: FoldedCreator[], query: string, limit: number): CreatorCounts[] {
  const q = fold(query.trim());
  const out: CreatorCounts[] = [];
  for (const { creator, folded } of index) {
    if (out.length >= limit) break;
    if (!q || folded.includes(q)) out.push(creator);
  }
  return out;
}
