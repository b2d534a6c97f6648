import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../../../config/index.js';

/**
 * One schema change. `up` and `down` receive the dialect so a migration can pick engine-specific types; they must
 * use only the Kysely instance they are given (pretend mode hands them a recording one).
 */
export interface Migration {
  readonly name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
  down(db: Kysely<any>, dialect: Dialect): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** `create table` with MySQL's engine and character set spelled out (a server default may be latin1/MyISAM). */
export function createTable(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  name: string,
  dialect: Dialect,
): CreateTableBuilder<string, never> {
  const builder = db.schema.createTable(name);
  return dialect === 'mysql'
    ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`)
    : builder;
}
