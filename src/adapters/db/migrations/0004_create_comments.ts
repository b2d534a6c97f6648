import { addId, refType, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

export const createComments: Migration = {
  name: '0004_create_comments',
  async up(db, dialect) {
    await addId(createTable(db, 'comments', dialect), dialect)
      .addColumn('article_id', refType(dialect), (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('author_name', 'varchar(120)', (c) => c.notNull())
      .addColumn('author_email', 'varchar(191)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('ip', 'varchar(45)')
      .addColumn('user_agent', 'varchar(255)')
      .addColumn('created_at', timestampType(dialect), (c) => c.notNull())
      .execute();
    // Approved comments under an article, oldest first; the moderation queue lists pending ones.
    await db.schema
      .createIndex('comments_article_status_created_index')
      .on('comments')
      .columns(['article_id', 'status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('comments_status_created_index')
      .on('comments')
      .columns(['status', 'created_at'])
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('comments').execute();
  },
};
