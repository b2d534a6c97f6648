import type { Database } from '../database.js';

export interface SettingsRepository {
  /**
   * Every stored setting, name → parsed JSON value; undefined when they could not be read (no table yet, a failing
   * read), which the caller treats as "all defaults, for now".
   */
  all(): Promise<Map<string, unknown> | undefined>;
  /** Inserts or replaces the given settings in one transaction. */
  save(values: ReadonlyMap<string, unknown>, now: Date): Promise<void>;
}

export function createSettingsRepository(db: Database): SettingsRepository {
  return {
    async all() {
      let rows: Array<{ name: string; value: string }>;
      try {
        rows = await db.reader().selectFrom('settings').select(['name', 'value']).execute();
      } catch {
        // Settings only adjust how pages look: a release started before `migrate` created the table (a deploy
        // starts the new release, then migrates), or a failing read, gets the defaults rather than failing the
        // page. Writes still fail loudly.
        return undefined;
      }
      const out = new Map<string, unknown>();
      for (const row of rows) {
        try {
          out.set(row.name, JSON.parse(row.value));
        } catch {
          // A hand-edited row that is not JSON counts as unset: the default applies, the site stays up.
        }
      }
      return out;
    },
    async save(values, now) {
      // Delete + insert rather than a dialect-specific upsert: one transaction makes it atomic on all three.
      await db.primary.transaction().execute(async (trx) => {
        const names = [...values.keys()];
        if (names.length === 0) return;
        await trx.deleteFrom('settings').where('name', 'in', names).execute();
        await trx
          .insertInto('settings')
          .values([...values].map(([name, value]) => ({ name, value: JSON.stringify(value), updated_at: now })))
          .execute();
      });
    },
  };
}
