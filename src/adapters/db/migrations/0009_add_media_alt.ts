import type { Migration } from './migration.js';

/** The alternative text an uploader gives an image (shown as `alt` wherever the site or an article uses it). */
export const addMediaAlt: Migration = {
  name: '0009_add_media_alt',
  async up(db) {
    await db.schema.alterTable('media').addColumn('alt', 'varchar(500)').execute();
  },
  async down(db) {
    await db.schema.alterTable('media').dropColumn('alt').execute();
  },
};
