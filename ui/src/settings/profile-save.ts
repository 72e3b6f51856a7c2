// Saving a bucket library's settings: the connection is tested first, and a failing
// test is shown and asked about before anything is saved (an unreachable endpoint or a
// wrong secret is rarely what the user meant, but a bucket that is down right now can
// still be saved on purpose). And what the secret field and the result say about where
// the secret lives: never that it is stored when it is not.

import type { Settings } from '../lib/api';

export type SaveOutcome =
  | { saved: Settings; note: string | null }
  | { saved: null; declined: true; reason: string }
  | { saved: null; error: string };

export interface SaveSteps {
  check: () => Promise<string>;
  save: () => Promise<Settings>;
  /** Asked when the test failed: whether to save anyway. */
  confirm: (reason: string) => Promise<boolean>;
}

export async function saveWithCheck(steps: SaveSteps, typedSecret: boolean): Promise<SaveOutcome> {
  try {
    await steps.check();
  } catch (e) {
    const reason = messageOf(e);
    if (!(await steps.confirm(reason))) return { saved: null, declined: true, reason };
  }
  try {
    const saved = await steps.save();
    return { saved, note: secretNote(saved, typedSecret) };
  } catch (e) {
    return { saved: null, error: messageOf(e) };
  }
}

/** What to tell the user about the secret once the settings are saved. */
export function secretNote(saved: Settings, typedSecret: boolean): string | null {
  if (saved.secretSource === 'environment') {
    return typedSecret
      ? 'This system has no keychain to keep the secret, so the one in AWS_SECRET_ACCESS_KEY is used; the one typed was not stored.'
      : 'The secret comes from AWS_SECRET_ACCESS_KEY.';
  }
  if (saved.secretSource === 'keychain') return typedSecret ? 'The secret is stored in the system keychain.' : null;
  return null;
}

/** The secret field's placeholder: where the secret it would keep comes from, only when
 * there is one, and only for the same access key. */
export function secretPlaceholder(settings: Settings | null, sameKey: boolean): string {
  if (!sameKey) return '';
  switch (settings?.secretSource) {
    case 'keychain':
      return 'stored in the keychain; leave empty to keep it';
    case 'environment':
      return 'from AWS_SECRET_ACCESS_KEY; leave empty to use it';
    default:
      return '';
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
