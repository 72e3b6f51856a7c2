import { describe, expect, it } from 'vitest';
import type { CreatorCounts } from './api';
import { findCreators, fold, foldCreators } from './fold';

const creator = (name: string): CreatorCounts => ({ name, videos: 1, favorites: 0, unseen: 0, bytes: 0 });
const names = (query: string, list: string[], limit = 10) =>
  findCreators(foldCreators(list.map(creator)), query, limit).map((c) => c.name);

describe('fold', () => {
  it('drops accents and case, whichever side has them', () => {
    expect(fold('zoë')).toBe('zoe');
    expect(fold('ZOË')).toBe('zoe');
    expect(fold('Ångström')).toBe('angstrom');
    expect(fold('angstrom')).toBe('angstrom');
    // Already decomposed input (macOS file names are NFD) folds the same.
    expect(fold('zoe\u0308')).toBe('zoe');
  });

  it('turns a dotted capital I into a plain i', () => {
    // İ decomposes to I + combining dot above; without the dot it lower-cases to i.
    expect(fold('İstanbul')).toBe('istanbul');
    expect(fold('ISTANBUL')).toBe('istanbul');
  });

  it('leaves an empty name empty', () => {
    expect(fold('')).toBe('');
  });
});

describe('finding creators', () => {
  const list = ['zoë', 'Ångström', 'İlayda', 'bob', ''];

  it('finds accented names from plain typing and the other way round', () => {
    expect(names('zoe', list)).toEqual(['zoë']);
    expect(names('ZOË', list)).toEqual(['zoë']);
    expect(names('zoë', ['zoe'])).toEqual(['zoe']);
    expect(names('angstrom', list)).toEqual(['Ångström']);
    expect(names('ilay', list)).toEqual(['İlayda']);
  });

  it('finds the bucket root by what it is shown as', () => {
    expect(names('root', list)).toEqual(['']);
    expect(names('Bucket', list)).toEqual(['']);
    expect(names('(', list)).toEqual(['']);
  });

  it('shows everyone for an empty or blank query, up to the limit', () => {
    expect(names('', list)).toEqual(list);
    expect(names('   ', list, 2)).toEqual(['zoë', 'Ångström']);
  });
});
