import { clearSqliteSamples } from '../maintenance.js';
import type { Migration } from './migration.js';

/**
 * A SQLite database on which `db:optimize` ran (weekly in the schedule) holds STAT4 samples, with which SQLite
 * compiles the hot list statements again on every run (see clearSqliteSamples in maintenance.ts; db:optimize now
 * clears them itself). This clears them once on the databases that have them, so the upgraded processes start
 * without. Statistics, not schema: nothing to undo, and nothing to do on the other engines.
 */
export const clearSqliteStatSamples: Migration = {
  name: '0015_clear_sqlite_stat_samples',
  async up(db, dialect) {
    if (dialect === 'sqlite') await clearSqliteSamples(db);
  },
  async down() {
    // ANALYZE (db:optimize) writes statistics again whenever it runs; there is no earlier state to restore.
  },
};
