import { addId, longTextType, refType, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

export const createArticlesAndTags: Migration = {
  name: '0003_create_articles_and_tags',
  async up(db, dialect) {
    const ts = timestampType(dialect);
    await addId(createTable(db, 'articles', dialect), dialect)
      .addColumn('author_id', refType(dialect), (c) => c.notNull().references('users.id').onDelete('restrict'))
      .addColumn('title', 'varchar(300)', (c) => c.notNull())
      .addColumn('slug', 'varchar(191)', (c) => c.notNull().unique())
      .addColumn('markdown', longTextType(dialect), (c) => c.notNull())
      .addColumn('html', longTextType(dialect), (c) => c.notNull())
      .addColumn('excerpt', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('published_at', ts)
      .addColumn('cover_media_id', refType(dialect), (c) => c.references('media.id').onDelete('set null'))
      .addColumn('reading_minutes', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    // The home page and feeds list published articles newest first; authors list their own.
    await db.schema
      .createIndex('articles_status_published_at_index')
      .on('articles')
      .columns(['status', 'published_at'])
      .execute();
    await db.schema.createIndex('articles_author_id_index').on('articles').column('author_id').execute();

    await addId(createTable(db, 'tags', dialect), dialect)
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('slug', 'varchar(191)', (c) => c.notNull().unique())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    await createTable(db, 'article_tags', dialect)
      .addColumn('article_id', refType(dialect), (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('tag_id', refType(dialect), (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('article_tags_pkey', ['article_id', 'tag_id'])
      .execute();
    await db.schema.createIndex('article_tags_tag_id_index').on('article_tags').column('tag_id').execute();
  },
  async down(db) {
    await db.schema.dropTable('article_tags').execute();
    await db.schema.dropTable('tags').execute();
    await db.schema.dropTable('articles').execute();
  },
};
