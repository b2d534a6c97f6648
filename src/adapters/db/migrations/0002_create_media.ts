import { addId, refType, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

export const createMedia: Migration = {
  name: '0002_create_media',
  async up(db, dialect) {
    await addId(createTable(db, 'media', dialect), dialect)
      .addColumn('user_id', refType(dialect), (c) => c.references('users.id').onDelete('set null'))
      .addColumn('storage_key', 'varchar(512)', (c) => c.notNull())
      .addColumn('original_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('mime', 'varchar(64)', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('width', 'integer')
      .addColumn('height', 'integer')
      .addColumn('variants', 'text')
      .addColumn('created_at', timestampType(dialect), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('media_created_at_index').on('media').column('created_at').execute();
  },
  async down(db) {
    await db.schema.dropTable('media').execute();
  },
};
