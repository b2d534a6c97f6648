import { longTextType, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

/** Site settings an admin changes at run time (title, description, …): one row per setting, JSON values. */
export const createSettings: Migration = {
  name: '0010_create_settings',
  async up(db, dialect) {
    await createTable(db, 'settings', dialect)
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', longTextType(dialect), (c) => c.notNull())
      .addColumn('updated_at', timestampType(dialect), (c) => c.notNull())
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('settings').execute();
  },
};
