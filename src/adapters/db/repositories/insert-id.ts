import type { InsertQueryBuilder, InsertResult } from 'kysely';
import type { Dialect } from '../../../config/index.js';

/**
 * Runs an insert of one row and returns its generated id: PostgreSQL reports it only through RETURNING, MySQL and
 * SQLite through the driver's insert id.
 */
export async function insertReturningId(
  dialect: Dialect,
  query: InsertQueryBuilder<any, any, InsertResult>, // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<number> {
  if (dialect === 'postgres') {
    const row = await query.returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }
  const result = await query.executeTakeFirstOrThrow();
  return Number(result.insertId);
}
