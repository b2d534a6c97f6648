import { sql } from 'kysely';
import type { DatabaseTarget } from '../../config/index.js';
import { openKysely } from '../db/database.js';

/**
 * Tables with their row counts, and the last migration, read on a short-lived connection of its own. `counts: false`
 * reads the last migration only (a backup that counts the rows it captured needs nothing else).
 */
export async function inspectDatabase(
  target: DatabaseTarget,
  { counts = true }: { counts?: boolean } = {},
): Promise<{ tables: Record<string, number>; lastMigration: string | null }> {
  const { db, close } = await openKysely(target, 1);
  try {
    const names = (await db.introspection.getTables())
      .filter((t) => !t.isView)
      .map((t) => t.name)
      .sort();
    const tables: Record<string, number> = {};
    for (const name of counts ? names : []) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
      tables[name] = Number(rows[0]?.n ?? 0);
    }
    let lastMigration: string | null = null;
    if (names.includes('inkstone_migrations')) {
      const { rows } = await sql<{
        name: string;
      }>`select name from inkstone_migrations order by name desc limit 1`.execute(db);
      lastMigration = rows[0]?.name ?? null;
    }
    return { tables, lastMigration };
  } finally {
    await close();
  }
}
