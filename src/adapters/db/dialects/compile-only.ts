import {
  DummyDriver,
  MysqlAdapter,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type QueryResult,
  type Kysely,
  MysqlIntrospector,
  PostgresIntrospector,
  SqliteIntrospector,
} from 'kysely';
import type { Dialect } from '../../../config/index.js';

/**
 * A dialect that compiles queries for the real engine but executes nothing: every query is recorded and answers
 * with no rows. `migrate --pretend` runs the migrations against it to print their SQL.
 */
export function createRecordingDialect(dialect: Dialect, recorded: CompiledQuery[]): KyselyDialect {
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      recorded.push(query);
      return Promise.resolve({ rows: [] });
    },
    streamQuery: () => {
      throw new Error('streaming is not available while recording migrations');
    },
  };
  class RecordingDriver extends DummyDriver {
    override acquireConnection(): Promise<DatabaseConnection> {
      return Promise.resolve(connection);
    }
  }
  const parts = {
    sqlite: [SqliteAdapter, SqliteQueryCompiler, SqliteIntrospector],
    mysql: [MysqlAdapter, MysqlQueryCompiler, MysqlIntrospector],
    postgres: [PostgresAdapter, PostgresQueryCompiler, PostgresIntrospector],
  } as const;
  const [Adapter, Compiler, Introspector] = parts[dialect];
  return {
    createAdapter: () => new Adapter(),
    createDriver: () => new RecordingDriver(),
    createQueryCompiler: () => new Compiler(),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    createIntrospector: (db: Kysely<any>) => new Introspector(db),
  };
}
