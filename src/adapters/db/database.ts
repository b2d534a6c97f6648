import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type Dialect as KyselyDialect,
} from 'kysely';
import type { Config, DatabaseTarget, Dialect } from '../../config/index.js';
import type { DB } from './schema.js';
import { createSqliteDialect, type DirectSelect } from './dialects/sqlite.js';
import { registerDirectSelect } from './prepared-select.js';
import { createMysqlDialect } from './dialects/mysql.js';
import { createPostgresDialect } from './dialects/postgres.js';

/**
 * The database handles a process works with. Writes (and everything inside a transaction) go to `primary`;
 * `reader()` answers with the read replica when one is configured, except in a scope (an HTTP request) that has
 * already written: that scope reads its own writes from the primary, since the replica may lag.
 */
export interface Database {
  readonly dialect: Dialect;
  readonly primary: Kysely<DB>;
  /**
   * The primary without the per-statement budget, for work that may rightly run long (migrations, integrity
   * checks, optimize). A pool of its own on the servers, opened only when first used; the same handle when there is
   * no budget, and on SQLite (one file, whose budget is only a lock wait).
   */
  readonly unbudgeted: Kysely<DB>;
  readonly hasReplica: boolean;
  reader(): Kysely<DB>;
  /** Runs `fn` in a read-after-write scope (one per request). */
  runInScope<T>(fn: () => T): T;
  destroy(): Promise<void>;
}

interface Scope {
  wrote: boolean;
}

/** Called after every query with its kind (select, insert, …) and duration: feeds the DB query metric. */
export type QueryObserver = (kind: string, ms: number) => void;

export interface OpenOptions {
  plugins?: KyselyPlugin[];
  onQuery?: QueryObserver;
  /** Each statement's budget in ms (0, the default: none). Past it the query fails with DatabaseTimeoutError. */
  queryTimeoutMs?: number;
}

/** `SelectQueryNode` -> `select`, worked out once per node kind (this runs after every query). */
const queryKinds = new Map<string, string>();
function queryKind(node: string): string {
  let kind = queryKinds.get(node);
  if (kind === undefined) {
    kind = node.replace(/QueryNode$|Node$/, '').toLowerCase();
    queryKinds.set(node, kind);
  }
  return kind;
}

export async function openKysely(
  target: DatabaseTarget,
  poolMax: number,
  { plugins = [], onQuery, queryTimeoutMs = 0 }: OpenOptions = {},
): Promise<{ db: Kysely<DB>; close: () => Promise<void> }> {
  let made: { dialect: KyselyDialect; close: () => void | Promise<void>; directSelect?: DirectSelect };
  switch (target.dialect) {
    case 'sqlite':
      made = await createSqliteDialect(target.file, queryTimeoutMs);
      break;
    case 'mysql':
      made = await createMysqlDialect(target, poolMax, queryTimeoutMs);
      break;
    case 'postgres':
      made = await createPostgresDialect(target, poolMax, queryTimeoutMs);
      break;
  }
  const db = new Kysely<DB>({
    dialect: made.dialect,
    plugins,
    log: onQuery ? (event) => onQuery(queryKind(event.query.query.kind), event.queryDurationMillis) : undefined,
  });
  // SQLite runs in this process: prepared SELECTs may skip Kysely's executor (see prepared-select.ts). Only for
  // handles whose plugins leave results alone (MarkWritesPlugin looks at queries only), since none sees them there.
  const direct = made.directSelect;
  if (direct && plugins.every((p) => p instanceof MarkWritesPlugin)) {
    registerDirectSelect(
      db,
      onQuery
        ? (sql, parameters) => {
            const start = performance.now();
            const rows = direct(sql, parameters);
            if (rows !== undefined) onQuery('select', performance.now() - start);
            return rows;
          }
        : direct,
    );
  }
  return {
    db,
    // Kysely's destroy ends the pool through the dialect's driver; close() covers a dialect never used.
    close: async () => {
      await db.destroy();
      await made.close();
    },
  };
}

export interface DatabaseOptions {
  onQuery?: QueryObserver;
  /**
   * Budget of each statement on `primary` and `reader()`; default: the config's (DATABASE_QUERY_TIMEOUT_MS).
   * Migrations, backups and one-shot commands pass 0: their work may rightly outlast a request's budget.
   */
  queryTimeoutMs?: number;
}

export async function createDatabase(
  config: Pick<Config, 'database'>,
  options: DatabaseOptions = {},
): Promise<Database> {
  const { primary: primaryTarget, replica: replicaTarget, poolMax } = config.database;
  const { onQuery, queryTimeoutMs = config.database.queryTimeoutMs } = options;
  const scopes = new AsyncLocalStorage<Scope>();
  const primary = await openKysely(primaryTarget, poolMax, {
    plugins: [new MarkWritesPlugin(scopes)],
    onQuery,
    queryTimeoutMs,
  });
  const replica = replicaTarget ? await openKysely(replicaTarget, poolMax, { onQuery, queryTimeoutMs }) : undefined;
  // Server pools connect on first use, so this costs nothing in a process that never migrates.
  const unbudgeted =
    queryTimeoutMs > 0 && primaryTarget.dialect !== 'sqlite'
      ? await openKysely(primaryTarget, poolMax, { onQuery })
      : undefined;
  return {
    dialect: primaryTarget.dialect,
    primary: primary.db,
    unbudgeted: unbudgeted?.db ?? primary.db,
    hasReplica: replica !== undefined,
    reader: () => (replica && !scopes.getStore()?.wrote ? replica.db : primary.db),
    runInScope: (fn) => scopes.run({ wrote: false }, fn),
    destroy: async () => {
      await Promise.all([primary.close(), replica?.close(), unbudgeted?.close()]);
    },
  };
}

/** Notes in the current scope that it wrote, so its later reads go to the primary. */
class MarkWritesPlugin implements KyselyPlugin {
  constructor(private readonly scopes: AsyncLocalStorage<Scope>) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind !== 'SelectQueryNode') {
      const scope = this.scopes.getStore();
      if (scope) scope.wrote = true;
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
