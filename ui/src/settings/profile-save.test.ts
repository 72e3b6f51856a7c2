import { describe, expect, it, vi } from 'vitest';
import type { Settings } from '../lib/api';
import { saveWithCheck, secretNote, secretPlaceholder } from './profile-save';

const settings = (secretSource: Settings['secretSource']): Settings =>
  ({ secretSource, libraries: [], library: null, source: null }) as unknown as Settings;

describe('saving bucket settings', () => {
  it('saves at once when the connection test passes, without asking', async () => {
    const confirm = vi.fn();
    const save = vi.fn().mockResolvedValue(settings('keychain'));
    const outcome = await saveWithCheck({ check: async () => 'Connected', save, confirm }, true);
    expect(confirm).not.toHaveBeenCalled();
    expect(save).toHaveBeenCalledOnce();
    expect(outcome).toEqual({ saved: settings('keychain'), note: 'The secret is stored in the system keychain.' });
  });

  it('shows why the test failed and saves nothing unless the user says so', async () => {
    const save = vi.fn().mockResolvedValue(settings('keychain'));
    const reason = 'cannot reach http://nowhere (check the endpoint URL and the network)';
    const check = () => Promise.reject(new Error(reason));
    const declined = await saveWithCheck({ check, save, confirm: async () => false }, true);
    expect(declined).toEqual({ saved: null, declined: true, reason });
    expect(save).not.toHaveBeenCalled();
    const asked = vi.fn().mockResolvedValue(true);
    const anyway = await saveWithCheck({ check, save, confirm: asked }, true);
    expect(asked).toHaveBeenCalledWith(reason);
    expect(anyway.saved).not.toBeNull();
  });

  it('reports a save that fails (no keychain, no environment secret) as an error', async () => {
    const outcome = await saveWithCheck(
      {
        check: async () => 'ok',
        save: () => Promise.reject(new Error("this system's keychain cannot keep the secret")),
        confirm: async () => true,
      },
      true,
    );
    expect(outcome).toEqual({ saved: null, error: "this system's keychain cannot keep the secret" });
  });
});

describe('where the secret is, as said', () => {
  it('says the environment secret is used when a typed one could not be stored', () => {
    expect(secretNote(settings('environment'), true)).toMatch(/no keychain.*AWS_SECRET_ACCESS_KEY.*not stored/);
    expect(secretNote(settings('environment'), false)).toBe('The secret comes from AWS_SECRET_ACCESS_KEY.');
    expect(secretNote(settings(null), true)).toBeNull();
  });

  it('never claims a stored secret that is not stored', () => {
    expect(secretPlaceholder(settings('keychain'), true)).toMatch(/stored in the keychain/);
    expect(secretPlaceholder(settings('environment'), true)).not.toMatch(/stored/);
    expect(secretPlaceholder(settings(null), true)).toBe('');
    expect(secretPlaceholder(settings('keychain'), false)).toBe('');
    expect(secretPlaceholder(null, true)).toBe('');
  });
});
