import { Kysely, type CompiledQuery } from 'kysely';
import type { Dialect } from '../../config/index.js';
import type { DB } from './schema.js';
import type { Migration } from './migrations/index.js';
import { createRecordingDialect } from './dialects/compile-only.js';
import { timestampType } from './column-types.js';
import { withMigrationLock } from './migration-lock.js';

export interface MigrationState {
  name: string;
  /** The run that applied it (migrations applied together share a batch); null when pending. */
  batch: number | null;
  appliedAt: Date | null;
  /** Applied in this database but unknown to this version of the code (e.g. after a rollback deploy). */
  missingInCode: boolean;
}

export type MigratorEvent =
  | { type: 'waiting-for-lock'; holder: string | undefined }
  | { type: 'applying' | 'rolling-back'; name: string }
  | { type: 'applied' | 'rolled-back'; name: string; ms: number };

export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    readonly direction: 'up' | 'down',
    readonly lastGood: string | undefined,
    cause: unknown,
  ) {
    super(`migration ${migration} (${direction}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'MigrationFailedError';
  }
}

export class RollbackMissingMigrationError extends Error {
  constructor(readonly migration: string) {
    super(
      `cannot roll back ${migration}: this version of Inkstone does not know it (roll back with the version that added it)`,
    );
    this.name = 'RollbackMissingMigrationError';
  }
}

export interface MigratorOptions {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Database name, which scopes the server-wide lock on MySQL. */
  databaseName: string;
  migrations: readonly Migration[];
  lockTimeoutMs: number;
  onEvent?: (event: MigratorEvent) => void;
}

/**
 * Applies and rolls back the ordered migration list, one transaction per migration where the engine has
 * transactional DDL (PostgreSQL, SQLite). MySQL commits each DDL statement implicitly, so there a migration that
 * fails halfway may leave part of itself behind; each migration is kept small for that reason.
 */
export class Migrator {
  private readonly transactionalDdl: boolean;

  constructor(private readonly options: MigratorOptions) {
    this.transactionalDdl = options.dialect !== 'mysql';
  }

  async status(): Promise<MigrationState[]> {
    const applied = (await this.hasTables()) ? await this.appliedRows() : [];
    const byName = new Map(applied.map((r) => [r.name, r]));
    const known = new Set(this.options.migrations.map((m) => m.name));
    const states: MigrationState[] = this.options.migrations.map((m) => {
      const row = byName.get(m.name);
      return { name: m.name, batch: row?.batch ?? null, appliedAt: row?.applied_at ?? null, missingInCode: false };
    });
    for (const row of applied) {
      if (!known.has(row.name)) {
        states.push({ name: row.name, batch: row.batch, appliedAt: row.applied_at, missingInCode: true });
      }
    }
    return states;
  }

  async pending(): Promise<Migration[]> {
    const applied = new Set((await this.status()).filter((s) => s.batch !== null).map((s) => s.name));
    return this.options.migrations.filter((m) => !applied.has(m.name));
  }

  /** Applies every pending migration as one batch. Returns the names applied (empty when up to date). */
  async migrate(): Promise<{ applied: string[]; batch: number | null }> {
    const { db, dialect, migrations } = this.options;
    await this.ensureTables();
    return this.locked(async () => {
      // Read the state only after taking the lock: a run that waited sees what the other one applied.
      const rows = await this.appliedRows();
      const done = new Set(rows.map((r) => r.name));
      const todo = migrations.filter((m) => !done.has(m.name));
      if (todo.length === 0) return { applied: [], batch: null };
      const batch = Math.max(0, ...rows.map((r) => r.batch)) + 1;
      const applied: string[] = [];
      let lastGood = rows.at(-1)?.name;
      for (const m of todo) {
        this.emit({ type: 'applying', name: m.name });
        const started = performance.now();
        const record = (q: Kysely<DB>) =>
          q.insertInto('inkstone_migrations').values({ name: m.name, batch, applied_at: new Date() }).execute();
        try {
          if (this.transactionalDdl) {
            await db.transaction().execute(async (trx) => {
              await m.up(trx, dialect);
              await record(trx);
            });
          } else {
            await m.up(db, dialect);
            await record(db);
          }
        } catch (err) {
          throw new MigrationFailedError(m.name, 'up', lastGood, err);
        }
        applied.push(m.name);
        lastGood = m.name;
        this.emit({ type: 'applied', name: m.name, ms: performance.now() - started });
      }
      return { applied, batch };
    });
  }

  /** Rolls back the last `step` migrations, or the whole last batch when `step` is not given. */
  async rollback(step?: number): Promise<{ rolledBack: string[] }> {
    const { db, dialect, migrations } = this.options;
    if (!(await this.hasTables())) return { rolledBack: [] };
    return this.locked(async () => {
      const rows = await this.appliedRows();
      const lastBatch = rows.at(-1)?.batch;
      const targets = (step === undefined ? rows.filter((r) => r.batch === lastBatch) : rows.slice(-step)).reverse();
      const byName = new Map(migrations.map((m) => [m.name, m]));
      const missing = targets.find((t) => !byName.has(t.name));
      if (missing) throw new RollbackMissingMigrationError(missing.name);
      const rolledBack: string[] = [];
      for (const row of targets) {
        const m = byName.get(row.name)!;
        this.emit({ type: 'rolling-back', name: m.name });
        const started = performance.now();
        const forget = (q: Kysely<DB>) => q.deleteFrom('inkstone_migrations').where('name', '=', m.name).execute();
        try {
          if (this.transactionalDdl) {
            await db.transaction().execute(async (trx) => {
              await m.down(trx, dialect);
              await forget(trx);
            });
          } else {
            await m.down(db, dialect);
            await forget(db);
          }
        } catch (err) {
          throw new MigrationFailedError(m.name, 'down', rolledBack.at(-1), err);
        }
        rolledBack.push(m.name);
        this.emit({ type: 'rolled-back', name: m.name, ms: performance.now() - started });
      }
      return { rolledBack };
    });
  }

  /** The SQL each pending migration would run, without running it or changing anything. */
  async pretend(): Promise<{ name: string; statements: string[] }[]> {
    const out: { name: string; statements: string[] }[] = [];
    for (const m of await this.pending()) {
      const recorded: CompiledQuery[] = [];
      const recorder = new Kysely<DB>({ dialect: createRecordingDialect(this.options.dialect, recorded) });
      await m.up(recorder, this.options.dialect);
      await recorder.destroy();
      out.push({ name: m.name, statements: recorded.map(formatStatement) });
    }
    return out;
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const { db, dialect, databaseName, lockTimeoutMs } = this.options;
    return withMigrationLock(
      db,
      dialect,
      databaseName,
      { timeoutMs: lockTimeoutMs, onWait: (holder) => this.emit({ type: 'waiting-for-lock', holder }) },
      fn,
    );
  }

  private async appliedRows() {
    const rows = await this.options.db.selectFrom('inkstone_migrations').selectAll().execute();
    // Order by batch, then by position in the code (names sort in apply order by construction).
    return rows.sort((a, b) => a.batch - b.batch || a.name.localeCompare(b.name));
  }

  private async hasTables(): Promise<boolean> {
    const tables = await this.options.db.introspection.getTables();
    return tables.some((t) => t.name === 'inkstone_migrations');
  }

  private async ensureTables(): Promise<void> {
    const { db, dialect } = this.options;
    await db.schema
      .createTable('inkstone_migrations')
      .ifNotExists()
      .addColumn('name', 'varchar(191)', (c) => c.primaryKey())
      .addColumn('batch', 'integer', (c) => c.notNull())
      .addColumn('applied_at', timestampType(dialect), (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('inkstone_migration_lock')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('owner', 'varchar(191)', (c) => c.notNull())
      .addColumn('acquired_at', timestampType(dialect), (c) => c.notNull())
      .execute();
  }

  private emit(event: MigratorEvent): void {
    this.options.onEvent?.(event);
  }
}

function formatStatement(q: CompiledQuery): string {
  const params = q.parameters.length ? ` -- parameters: ${JSON.stringify(q.parameters)}` : '';
  return `${q.sql};${params}`;
}
