import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ViewSaver, clampHoverDelay, defaultPreview, defaultView, parseView, type ViewState } from './view';

const saved: ViewState = {
  filter: {
    creators: ['alice', 'zoë', ''],
    favoritesOnly: true,
    unseenOnly: true,
    seenOnly: false,
    inProgressOnly: true,
    missingOnly: false,
    search: 'beach',
    dateFrom: null,
    dateTo: 1_700_000_000_000,
    minQuality: 40,
  },
  sort: { key: 'quality', direction: 'asc' },
  cardWidth: 320,
  scrollRow: 123_456,
  preview: { enabled: false, hoverDelayMs: 450, sound: true },
};

describe('a saved view', () => {
  it('comes back as it was saved (through JSON, as the shell stores it)', () => {
    expect(parseView(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it('falls back to the defaults when missing or not an object', () => {
    for (const raw of [null, undefined, 42, 'view', [], true]) expect(parseView(raw)).toEqual(defaultView());
  });

  it('keeps the valid fields of a damaged or older view and defaults the rest', () => {
    const view = parseView({
      filter: { creators: ['alice', 7, null, 'alice'], favoritesOnly: 'yes', unseenOnly: true, search: '   ', minQuality: NaN },
      sort: { key: 'popularity', direction: 'asc' },
      cardWidth: 10_000,
      scrollRow: -5,
      someFutureField: { x: 1 },
    });
    expect(view.filter).toEqual({ ...defaultView().filter, creators: ['alice'], unseenOnly: true });
    expect(view.sort).toEqual({ key: 'date', direction: 'asc' });
    expect(view.cardWidth).toBe(420);
    expect(view.scrollRow).toBe(0);
  });

  it('puts the card width on the slider’s steps and the row on a whole video', () => {
    expect(parseView({ cardWidth: 251, scrollRow: 10.7 })).toMatchObject({ cardWidth: 260, scrollRow: 10 });
    expect(parseView({ cardWidth: 12 }).cardWidth).toBe(160);
    expect(parseView({ sort: 'date' }).sort).toEqual(defaultView().sort);
  });
});

describe('the saved filter', () => {
  it('never keeps "seen" with "unseen", a range that ends before it starts, nor a quality out of 0-100', () => {
    const filter = parseView({ filter: { unseenOnly: true, seenOnly: true, dateFrom: 2_000, dateTo: 1_000, minQuality: 101 } }).filter;
    expect(filter).toMatchObject({ unseenOnly: true, seenOnly: false, dateFrom: null, dateTo: null, minQuality: null });
    expect(parseView({ filter: { minQuality: 2.5 } }).filter.minQuality).toBeNull();
    expect(parseView({ filter: { minQuality: 0, dateFrom: 1_000, dateTo: 1_000 } }).filter).toMatchObject({
      minQuality: 0,
      dateFrom: 1_000,
      dateTo: 1_000,
    });
  });
});

describe('the preview settings saved with the view', () => {
  it('default to previews on, after 200 ms, without sound', () => {
    expect(defaultPreview()).toEqual({ enabled: true, hoverDelayMs: 200, sound: false });
    expect(parseView({}).preview).toEqual(defaultPreview());
    expect(parseView({ preview: 'fast' }).preview).toEqual(defaultPreview());
  });

  it('keep each valid field and default the others', () => {
    expect(parseView({ preview: { sound: true } }).preview).toEqual({ ...defaultPreview(), sound: true });
    expect(parseView({ preview: { enabled: 'no', hoverDelayMs: '300', sound: 1 } }).preview).toEqual(defaultPreview());
    expect(parseView({ preview: { enabled: false, hoverDelayMs: 0 } }).preview).toEqual({ enabled: false, hoverDelayMs: 0, sound: false });
  });

  it('bring the hover delay into 0-1000 whole milliseconds', () => {
    expect(parseView({ preview: { hoverDelayMs: 5_000 } }).preview.hoverDelayMs).toBe(1_000);
    expect(parseView({ preview: { hoverDelayMs: -20 } }).preview.hoverDelayMs).toBe(0);
    expect(parseView({ preview: { hoverDelayMs: 333.6 } }).preview.hoverDelayMs).toBe(334);
    expect(clampHoverDelay(Number.NaN)).toBe(200);
    expect(clampHoverDelay(Number.POSITIVE_INFINITY)).toBe(200);
  });
});

describe('saving the view', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once, 500 ms after the last of many changes', async () => {
    const save = vi.fn(async (_: ViewState) => {});
    const saver = new ViewSaver(save);
    for (let row = 0; row < 50; row++) {
      if (row > 0) await vi.advanceTimersByTimeAsync(20);
      saver.schedule({ ...saved, scrollRow: row });
    }
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(499);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0][0].scrollRow).toBe(49);
  });

  it('saves at once on flush (the window going away), and not twice the same view', async () => {
    const save = vi.fn(async (_: ViewState) => {});
    const saver = new ViewSaver(save);
    saver.schedule(saved);
    saver.flush();
    expect(save).toHaveBeenCalledTimes(1);
    saver.schedule(saved);
    await vi.advanceTimersByTimeAsync(600);
    expect(save).toHaveBeenCalledTimes(1);
    saver.flush();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('saves a snapshot: later changes to the object passed do not leak into it', () => {
    const save = vi.fn(async (_: ViewState) => {});
    const saver = new ViewSaver(save);
    const view = structuredClone(saved);
    saver.schedule(view);
    view.filter.creators.push('mallory');
    saver.flush();
    expect(save.mock.calls[0][0].filter.creators).toEqual(saved.filter.creators);
  });

  it('tries again after a failed save', async () => {
    const save = vi.fn(async (_: ViewState) => {
      throw new Error('unknown command get_view');
    });
    const saver = new ViewSaver(save);
    saver.schedule(saved);
    saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    saver.schedule(saved);
    saver.flush();
    expect(save).toHaveBeenCalledTimes(2);
  });
});

describe('loading the view at start-up', () => {
  it('falls back to the defaults when the shell fails or does not answer in time', async () => {
    const { loadSavedView } = await import('./view');
    expect(await loadSavedView(async () => saved)).toEqual(saved);
    expect(await loadSavedView(async () => null)).toEqual(defaultView());
    expect(await loadSavedView(async () => Promise.reject({ kind: 'internal', message: 'command get_view not found' }))).toEqual(
      defaultView(),
    );
    expect(await loadSavedView(() => new Promise(() => {}), 20)).toEqual(defaultView());
  });
});
