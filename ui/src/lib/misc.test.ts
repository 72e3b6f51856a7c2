import { describe, expect, it } from 'vitest';
import { ApiError } from './api/error';
import { segmentAt } from './urls';

describe('hover scrub', () => {
  it('picks the segment under the pointer', () => {
    expect(segmentAt(0, 4)).toBe(0);
    expect(segmentAt(0.26, 4)).toBe(1);
    expect(segmentAt(0.999, 4)).toBe(3);
    expect(segmentAt(1.2, 4)).toBe(3);
    expect(segmentAt(-0.1, 4)).toBe(0);
    expect(segmentAt(0.5, 0)).toBe(0);
  });
});

describe('errors from the shell', () => {
  it('keeps the kind and message of a typed error, and calls anything else internal', () => {
    const e = ApiError.from({ kind: 'busy', message: 'catalog is busy' });
    expect(e.kind).toBe('busy');
    expect(e.transient).toBe(true);
    expect(e.message).toBe('catalog is busy');
    expect(ApiError.from('unknown command').kind).toBe('internal');
    expect(ApiError.from(new Error('x')).kind).toBe('internal');
  });
});
