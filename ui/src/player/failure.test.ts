import { describe, expect, it } from 'vitest';
import type { MediaCheck } from '../lib/api';
import { decideFailure, type FailureFacts } from './failure';

const facts = (f: Partial<FailureFacts>): FailureFacts => ({
  cause: 'error',
  code: 4,
  expired: false,
  renewed: false,
  check: { state: 'available' },
  ...f,
});

const text = (f: Partial<FailureFacts>) => {
  const d = decideFailure(facts(f));
  if (d.kind !== 'explain') throw new Error(`expected an explanation, got ${d.kind}`);
  return d;
};

describe('why a video does not play', () => {
  it('the video is gone from the bucket: says so, and that the next sync removes it; no retry', () => {
    for (const renewed of [false, true]) {
      const d = text({ check: { state: 'gone' }, expired: true, renewed });
      expect(d.text).toMatch(/no longer in the bucket/);
      expect(d.text).toMatch(/next sync/);
      expect(d.action).toBeNull();
    }
  });

  it('the server refuses: the secret or permissions, with its message, and a way to Settings', () => {
    const d = text({ check: { state: 'refused', message: 'AccessDenied: wrong signature' } });
    expect(d.text).toContain('AccessDenied: wrong signature');
    expect(d.text).toMatch(/secret or its permissions/);
    expect(d.action).toBe('settings');
  });

  it('the server cannot be reached, or does not answer: says which, with Retry', () => {
    const unreachable = text({ check: { state: 'unreachable', message: 'connection refused' }, cause: 'timeout', code: null });
    expect(unreachable.text).toMatch(/^Cannot reach the server: connection refused/);
    expect(unreachable.action).toBe('retry');
    const silent = text({ check: { state: 'noAnswer', message: 'no answer in 5 s' }, cause: 'stall', code: null });
    expect(silent.text).toMatch(/^The server does not answer in time: no answer in 5 s/);
    expect(silent.action).toBe('retry');
  });

  it('an expired link is renewed once without a word, whatever check_media said or not', () => {
    const checks: (MediaCheck | null)[] = [{ state: 'available' }, null];
    for (const check of checks) {
      for (const cause of ['error', 'timeout', 'stall'] as const) {
        expect(decideFailure(facts({ expired: true, check, cause }))).toEqual({ kind: 'renew' });
      }
    }
  });

  it('a link expired again right after renewing: points at the clock, with Retry', () => {
    const d = text({ expired: true, renewed: true });
    expect(d.text).toMatch(/clock/);
    expect(d.action).toBe('retry');
  });

  it('"not supported" with a live link: renews once (a refused link reads the same), then blames the format', () => {
    expect(decideFailure(facts({ code: 4 }))).toEqual({ kind: 'renew' });
    const d = text({ code: 4, renewed: true });
    expect(d.text).toMatch(/format cannot be played here/);
    expect(d.action).toBeNull();
  });

  it('a decode error is the format, at once', () => {
    const d = text({ code: 3 });
    expect(d.text).toMatch(/format cannot be played here/);
    expect(d.action).toBeNull();
  });

  it('a network error with the video there: the connection broke, Retry', () => {
    expect(text({ code: 2 })).toEqual({ kind: 'explain', text: expect.stringMatching(/connection broke/), action: 'retry' });
    expect(text({ code: 1 }).action).toBe('retry');
    expect(text({ code: null }).action).toBe('retry');
  });

  it('too slow with the video there: a time-out or a stall, Retry', () => {
    expect(text({ cause: 'timeout', code: null }).text).toMatch(/did not start within 15 seconds, though the bucket has it/);
    expect(text({ cause: 'stall', code: null }).text).toMatch(/stopped loading for 15 seconds/);
    expect(text({ cause: 'stall', code: null }).action).toBe('retry');
  });

  it('check_media failed or hung: a generic sentence with Retry', () => {
    const error = text({ check: null, code: 4 });
    expect(error.text).toMatch(/^The video could not be loaded, and asking the server why did not get an answer/);
    expect(error.action).toBe('retry');
    expect(text({ check: null, cause: 'timeout', code: null }).text).toMatch(/^The video did not load within 15 seconds/);
  });

  it('never says "not supported or the link has expired"', () => {
    const all: Partial<FailureFacts>[] = [{ code: 4, renewed: true }, { check: null }, { code: 2 }, { cause: 'timeout', code: null }];
    for (const f of all) expect(text(f).text).not.toMatch(/or the link has expired/);
  });
});

describe('a folder library', () => {
  it('names the folder, not a bucket', () => {
    const d = decideFailure({ cause: 'error', code: 4, expired: false, renewed: false, check: { state: 'gone' }, place: 'folder' });
    expect(d).toEqual({ kind: 'explain', text: expect.stringMatching(/no longer in the folder/), action: null });
  });
});
