import type { Migration } from './migration.js';

/**
 * Newest-first lists read `published_at` backwards and stop after a page. An index on `published_at` alone
 * (the id rides along as the tie-breaker) lets every engine do that instead of sorting all live articles.
 */
export const addArticleListingIndex: Migration = {
  name: '0008_add_article_listing_index',
  async up(db) {
    await db.schema.createIndex('articles_published_at_index').on('articles').columns(['published_at', 'id']).execute();
  },
  async down(db, dialect) {
    const drop = db.schema.dropIndex('articles_published_at_index');
    // MySQL names the table of an index to drop; the others reject that.
    await (dialect === 'mysql' ? drop.on('articles') : drop).execute();
  },
};
