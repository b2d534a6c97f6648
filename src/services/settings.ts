import type { SettingsRepository } from '../adapters/db/repositories/settings.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { can, type Actor } from '../domain/policy.js';
import { defaultSettings, SETTING_NAMES, settingsProblems, type SiteSettings } from '../domain/settings.js';
import type { Cache } from '../adapters/cache/cache-port.js';
import { cacheTag, type ContentChanged } from './content-changes.js';

export interface SettingsService {
  /** The current settings (stored values over defaults). */
  get(): Promise<SiteSettings>;
  /** Changes some settings (admins); returns them all. */
  update(actor: Actor, patch: Partial<SiteSettings>): Promise<SiteSettings>;
}

export const SETTINGS_KEY = 'settings:site';
export const SETTINGS_TTL_MS = 60_000;

export function createSettingsService(deps: {
  settings: SettingsRepository;
  appName: string;
  now: () => Date;
  /** Told after a change: every page shows the title. */
  changed?: ContentChanged;
  /**
   * Keeps the settings between reads: every listing page reads its page size, and the settings change rarely. Tagged
   * `content`, so the change itself (services/content-changes.ts) drops the kept copy on every instance that shares
   * the cache; SETTINGS_TTL_MS bounds a copy read just before a change and stored just after its invalidation.
   */
  cache?: Cache;
}): SettingsService {
  const { cache } = deps;

  async function read(): Promise<SiteSettings> {
    const stored = await deps.settings.all();
    const result = defaultSettings(deps.appName);
    for (const name of SETTING_NAMES) {
      const value = stored?.get(name);
      // A stored value of the wrong type (an older format, a hand edit) falls back to the default.
      if (value !== undefined && typeof value === typeof result[name]) Object.assign(result, { [name]: value });
    }
    // Defaults standing in for settings that could not be read are not kept: the next read tries again.
    if (cache && stored) {
      await cache
        .set(SETTINGS_KEY, result, { ttlMs: SETTINGS_TTL_MS, tags: [cacheTag.content] })
        .catch(() => undefined);
    }
    return result;
  }

  async function get(): Promise<SiteSettings> {
    // A cache that cannot be reached costs a query, never the page.
    const kept = cache ? await cache.get<SiteSettings>(SETTINGS_KEY).catch(() => undefined) : undefined;
    return kept ?? read();
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
      // This instance's copy goes at once, whether or not anybody listens for changes.
      await cache?.delete(SETTINGS_KEY).catch(() => undefined);
      await deps.changed?.({ kind: 'settings' });
      return read();
    },
  };
}
