import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { postgresDumpRowCounter } from './row-counts.js';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../../config/index.js';
import { openKysely } from '../db/database.js';
import { startTool } from '../process/tool.js';

type ServerTarget = Exclude<DatabaseTarget, { dialect: 'sqlite' }>;

/** PostgreSQL through pg_dump and psql (Debian package postgresql-client). Full backups only. */
export function createPostgresDumper(target: ServerTarget) {
  const env = {
    PGHOST: target.socket ?? target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGPASSWORD: target.password,
    PGDATABASE: target.database,
  };

  return {
    /** The dump, and the rows per table it holds (complete once the stream has ended). */
    dump(): Promise<{ stream: Readable; done: Promise<null>; tables: () => Record<string, number> }> {
      const tool = startTool('pg_dump', ['--no-owner', '--no-privileges', '--format=plain'], {
        env,
        stdin: 'ignore',
      });
      const counter = postgresDumpRowCounter();
      const stream = tool.stdout.pipe(counter.stage);
      tool.done.catch((err: Error) => stream.destroy(err));
      return Promise.resolve({ stream, done: tool.done.then(() => null), tables: () => counter.tables() });
    },

    /**
     * Drops every table, view, sequence and function of the current schema, so a restore leaves exactly the backup.
     * The functions too: the dump creates its trigger functions (see migration 0013) with a plain CREATE FUNCTION,
     * which fails on one left behind.
     */
    async wipe(): Promise<void> {
      const { db, close } = await openKysely(target, 1);
      try {
        await sql`
          do $$ declare r record; begin
            for r in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                     where n.nspname = current_schema() and c.relkind in ('r','v','m','S','p') loop
              execute format('drop %s if exists %I cascade',
                case r.relkind when 'v' then 'view' when 'm' then 'materialized view'
                               when 'S' then 'sequence' else 'table' end, r.relname);
            end loop;
            for r in select p.proname, pg_get_function_identity_arguments(p.oid) as args from pg_proc p
                     join pg_namespace n on n.oid = p.pronamespace
                     where n.nspname = current_schema() and p.prokind = 'f' and not exists (
                       select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') loop
              execute format('drop function if exists %I(%s) cascade', r.proname, r.args);
            end loop; end $$`.execute(db);
      } finally {
        await close();
      }
    },

    async load(sqlText: Readable): Promise<void> {
      const tool = startTool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-o', '/dev/null'], {
        env,
      });
      await Promise.all([pipeline(sqlText, tool.stdin), tool.done]);
    },
  };
}

export type PostgresDumper = ReturnType<typeof createPostgresDumper>;
