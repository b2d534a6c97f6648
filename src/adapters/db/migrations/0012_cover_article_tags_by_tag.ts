import type { Dialect } from '../../../config/index.js';
import type { Migration } from './migration.js';

/**
 * A tag's articles (tag pages, tagged API lists and their counts) come from article_tags by tag_id. With the
 * index on tag_id alone, SQLite and PostgreSQL then read each matching article_tags row for its article_id; an
 * index on (tag_id, article_id) answers from the index alone (SQLite, 1,000 articles in a tag: the page query
 * 596 -> 409 µs, its count 347 -> 242 µs). It replaces the tag_id index, which it also serves for (the foreign key
 * on MySQL): writes keep one index, not two.
 */
export const coverArticleTagsByTag: Migration = {
  name: '0012_cover_article_tags_by_tag',
  async up(db, dialect) {
    await db.schema
      .createIndex('article_tags_tag_article_index')
      .on('article_tags')
      .columns(['tag_id', 'article_id'])
      .execute();
    await dropIndex(db, dialect, 'article_tags_tag_id_index');
  },
  async down(db, dialect) {
    await db.schema.createIndex('article_tags_tag_id_index').on('article_tags').column('tag_id').execute();
    await dropIndex(db, dialect, 'article_tags_tag_article_index');
  },
};

async function dropIndex(db: Parameters<Migration['up']>[0], dialect: Dialect, name: string): Promise<void> {
  const drop = db.schema.dropIndex(name);
  // MySQL names the table of an index to drop; the others reject that.
  await (dialect === 'mysql' ? drop.on('article_tags') : drop).execute();
}
