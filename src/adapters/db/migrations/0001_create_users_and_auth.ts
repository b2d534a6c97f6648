import { addId, refType, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

export const createUsersAndAuth: Migration = {
  name: '0001_create_users_and_auth',
  async up(db, dialect) {
    const ts = timestampType(dialect);
    await addId(createTable(db, 'users', dialect), dialect)
      .addColumn('email', 'varchar(191)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(120)', (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('bio', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();

    await createTable(db, 'sessions', dialect)
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', refType(dialect), (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('ip', 'varchar(45)')
      .addColumn('user_agent', 'varchar(255)')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('last_seen_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_id_index').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires_at_index').on('sessions').column('expires_at').execute();

    await addId(createTable(db, 'api_tokens', dialect), dialect)
      .addColumn('user_id', refType(dialect), (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'varchar(120)', (c) => c.notNull())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('token_prefix', 'varchar(16)', (c) => c.notNull())
      .addColumn('last_used_at', ts)
      .addColumn('expires_at', ts)
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('api_tokens_user_id_index').on('api_tokens').column('user_id').execute();
  },
  async down(db) {
    await db.schema.dropTable('api_tokens').execute();
    await db.schema.dropTable('sessions').execute();
    await db.schema.dropTable('users').execute();
  },
};
