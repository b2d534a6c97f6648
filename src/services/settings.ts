import type { SettingsRepository } from '../adapters/db/repositories/settings.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { can, type Actor } from '../domain/policy.js';
import { defaultSettings, SETTING_NAMES, settingsProblems, type SiteSettings } from '../domain/settings.js';
import type { ContentChanged } from './content-changes.js';

export interface SettingsService {
  /** The current settings (stored values over defaults). */
  get(): Promise<SiteSettings>;
  /** Changes some settings (admins); returns them all. */
  update(actor: Actor, patch: Partial<SiteSettings>): Promise<SiteSettings>;
}

export function createSettingsService(deps: {
  settings: SettingsRepository;
  appName: string;
  now: () => Date;
  /** Told after a change: every page shows the title. */
  changed?: ContentChanged;
}): SettingsService {
  async function get(): Promise<SiteSettings> {
    const stored = await deps.settings.all();
    const result = defaultSettings(deps.appName);
    for (const name of SETTING_NAMES) {
      const value = stored.get(name);
      // A stored value of the wrong type (an older format, a hand edit) falls back to the default.
      if (value !== undefined && typeof value === typeof result[name]) Object.assign(result, { [name]: value });
    }
    return result;
  }
  return {
    get,
    async update(actor, patch) {
      if (!can(actor, 'settings:manage')) throw new ForbiddenError('only admins change the settings');
      const problems = settingsProblems(patch);
      if (problems.length > 0) throw new ValidationError('the settings are not valid', problems);
      const values = new Map<string, unknown>();
      for (const name of SETTING_NAMES) {
        const value = patch[name];
        if (value !== undefined) values.set(name, typeof value === 'string' ? value.trim() : value);
      }
      await deps.settings.save(values, deps.now());
      await deps.changed?.({ kind: 'settings' });
      return get();
    },
  };
}
