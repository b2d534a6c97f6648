import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../config/index.js';
import type { DB } from './schema.js';

export interface IntegrityResult {
  ok: boolean;
  /** What the engine reported, one line per problem (empty when ok). */
  problems: string[];
}

/** The engine's own consistency check: PRAGMA integrity_check, CHECK TABLE, or a catalog check on PostgreSQL. */
export async function checkIntegrity(db: Kysely<DB>, dialect: Dialect): Promise<IntegrityResult> {
  switch (dialect) {
    case 'sqlite': {
      const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      const fk = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db);
      const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
      for (const r of fk.rows) problems.push(`foreign key: ${r.table} row ${r.rowid} points at a missing ${r.parent}`);
      return { ok: problems.length === 0, problems };
    }
    case 'mysql': {
      const tables = await userTables(db);
      if (tables.length === 0) return { ok: true, problems: [] };
      const list = sql.join(tables.map((t) => sql.id(t)));
      const { rows } = await sql<{ Table: string; Msg_type: string; Msg_text: string }>`check table ${list}`.execute(
        db,
      );
      const problems = rows
        .filter((r) => r.Msg_type.toLowerCase() === 'error' || (r.Msg_type === 'status' && r.Msg_text !== 'OK'))
        .map((r) => `${r.Table}: ${r.Msg_text}`);
      return { ok: problems.length === 0, problems };
    }
    case 'postgres': {
      // Every index valid and ready, and no table of ours left without its primary key.
      const invalid = await sql<{ index: string }>`
        select c.relname as index from pg_index i join pg_class c on c.oid = i.indexrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and (not i.indisvalid or not i.indisready)`.execute(db);
      const noPk = await sql<{ table: string }>`
        select t.relname as table from pg_class t join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = current_schema() and t.relkind = 'r' and t.relname <> 'article_tags'
          and not exists (select 1 from pg_constraint c where c.conrelid = t.oid and c.contype = 'p')`.execute(db);
      const problems = [
        ...invalid.rows.map((r) => `index ${r.index} is invalid (rebuild it with REINDEX)`),
        ...noPk.rows.map((r) => `table ${r.table} has no primary key`),
      ];
      return { ok: problems.length === 0, problems };
    }
  }
}

/** Reclaims space and refreshes planner statistics. Returns what was run, for the operator. */
export async function optimize(db: Kysely<DB>, dialect: Dialect): Promise<string[]> {
  switch (dialect) {
    case 'sqlite':
      await sql`vacuum`.execute(db);
      await sql`analyze`.execute(db);
      await sql`pragma optimize`.execute(db);
      await clearSqliteSamples(db);
      return ['VACUUM', 'ANALYZE', 'PRAGMA optimize', 'DELETE FROM sqlite_stat4'];
    case 'mysql': {
      const tables = await userTables(db);
      if (tables.length > 0) await sql`optimize table ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
      return [`OPTIMIZE TABLE (${tables.length} tables)`];
    }
    case 'postgres':
      await sql`vacuum analyze`.execute(db);
      return ['VACUUM ANALYZE'];
  }
}

/**
 * Empties sqlite_stat4 and keeps sqlite_stat1. better-sqlite3 builds SQLite with STAT4, and ANALYZE then stores
 * sample rows with which the planner weighs the bound values of a range on an indexed column (the live lists'
 * `published_at <= ?`): such a statement is compiled again on every run, since every run binds its values.
 * Measured after ANALYZE on the uncached API list: 17 % of its CPU went to compiling it again, 7 % of the home
 * page's. The per-index row counts in sqlite_stat1 are what the plans here are made for. Nothing to do where
 * ANALYZE never ran (the table does not exist). This connection reads the statistics again at once; others when
 * they next load the schema (a restart).
 */
export async function clearSqliteSamples(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<void> {
  const table = await sql<{ name: string }>`select name from sqlite_master where name = 'sqlite_stat4'`.execute(db);
  if (table.rows.length === 0) return;
  await sql`delete from sqlite_stat4`.execute(db);
  await sql`analyze sqlite_schema`.execute(db);
}

/** A quick round trip that proves the connection works. */
export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

async function userTables(db: Kysely<DB>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.filter((t) => !t.isView).map((t) => t.name);
}
