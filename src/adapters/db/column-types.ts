import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Expression } from 'kysely';
import type { Dialect } from '../../config/index.js';

// Column types that differ between the three engines, so migrations read the same on all of them.

/** An auto-increment integer primary key. */
export function addId<T extends string>(table: CreateTableBuilder<T>, dialect: Dialect): CreateTableBuilder<T> {
  switch (dialect) {
    case 'postgres':
      return table.addColumn('id', 'bigserial', (c) => c.primaryKey());
    case 'mysql':
      return table.addColumn('id', sql`bigint unsigned`, (c) => c.primaryKey().autoIncrement());
    case 'sqlite':
      return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  }
}

/** The type of a column that references an `addId` key (MySQL needs the same unsignedness). */
export function refType(dialect: Dialect): Expression<unknown> {
  return dialect === 'mysql' ? sql`bigint unsigned` : sql`bigint`;
}

/** A point in time, UTC, millisecond precision. SQLite stores ISO-8601 text (see dialects/sqlite.ts). */
export function timestampType(dialect: Dialect): Expression<unknown> {
  switch (dialect) {
    case 'postgres':
      return sql`timestamptz(3)`;
    case 'mysql':
      return sql`datetime(3)`;
    case 'sqlite':
      return sql`text`;
  }
}

/** Text that may exceed 64 KB (MySQL's TEXT limit): article bodies, job payloads, stack traces. */
export function longTextType(dialect: Dialect): Expression<unknown> {
  return dialect === 'mysql' ? sql`longtext` : sql`text`;
}

export type ColumnBuilder = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
