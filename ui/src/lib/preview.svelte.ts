// How cards preview on hover, as the app runs: set in Settings, read by every card,
// saved with the view (see view.ts for the persisted shape and its defaults). Given to
// the cards through Svelte's context, not their props: the grid between them has no use
// for it.

import { getContext, setContext } from 'svelte';
import { clampHoverDelay, defaultPreview, type PreviewPrefs } from './view';

export class PreviewSettings {
  enabled = $state(true);
  hoverDelayMs = $state(defaultPreview().hoverDelayMs);
  sound = $state(false);

  constructor(prefs: PreviewPrefs = defaultPreview()) {
    this.set(prefs);
  }

  /** Changes some of them; a delay out of range is brought into it. */
  set(patch: Partial<PreviewPrefs>): void {
    if (patch.enabled !== undefined) this.enabled = patch.enabled;
    if (patch.hoverDelayMs !== undefined) this.hoverDelayMs = clampHoverDelay(patch.hoverDelayMs);
    if (patch.sound !== undefined) this.sound = patch.sound;
  }

  /** As saved with the view. */
  prefs(): PreviewPrefs {
    return { enabled: this.enabled, hoverDelayMs: this.hoverDelayMs, sound: this.sound };
  }
}

const KEY = Symbol('preview settings');

/** Makes `settings` the ones the components under this one read. */
export function providePreviewSettings(settings: PreviewSettings): PreviewSettings {
  return setContext(KEY, settings);
}

/** A context holding `settings`, for mounting a component on its own (tests). */
export function previewContext(settings: PreviewSettings): Map<symbol, PreviewSettings> {
  return new Map([[KEY, settings]]);
}

/** The settings the app provided, or the defaults where none were (a card mounted on its
 * own, as in tests). Call while the component initialises. */
export function usePreviewSettings(): PreviewSettings {
  return getContext<PreviewSettings | undefined>(KEY) ?? new PreviewSettings();
}
