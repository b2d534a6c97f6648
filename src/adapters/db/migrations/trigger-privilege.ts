import { sql, type Kysely } from 'kysely';

/** MySQL's error for a trigger created by a user without SUPER while binary logging is on. */
const ER_BINLOG_CREATE_ROUTINE_NEED_SUPER = 1419;

/**
 * With binary logging on (docker/mysql/my.cnf turns it on for point-in-time restores), MySQL and MariaDB let only a
 * SUPER user create triggers unless log_bin_trust_function_creators is set, and the app's database user has no
 * SUPER. MySQL's DDL does not roll back: found at the last step, what the migration changed before would stay and
 * the next `migrate` would fail on it. So a migration that creates triggers tries one first, before anything changes.
 * `migration` names it in the error (e.g. `0013`).
 */
export async function checkTriggersAllowed(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  migration: string,
): Promise<void> {
  const { rows } = await sql<{ bin: number | string; trust: number | string }>`
    select @@log_bin as bin, @@log_bin_trust_function_creators as trust`.execute(db);
  const row = rows[0]; // none when `migrate --pretend` records the SQL
  if (!row || Number(row.bin) !== 1 || Number(row.trust) === 1) return;
  try {
    await sql`create trigger article_tags_live_at_probe before insert on article_tags for each row
      set @inkstone_probe = 1`.execute(db);
  } catch (err) {
    if ((err as { errno?: unknown } | null)?.errno !== ER_BINLOG_CREATE_ROUTINE_NEED_SUPER) throw err;
    throw new Error(
      `migration ${migration} creates triggers, which MySQL/MariaDB allows only a SUPER user while binary logging ` +
        'is on: set log_bin_trust_function_creators = 1 on the server (safe with binlog_format = ROW), or run ' +
        'migrate as a user with SUPER, then migrate again (nothing was changed)',
      { cause: err },
    );
  }
  await sql`drop trigger article_tags_live_at_probe`.execute(db);
}
