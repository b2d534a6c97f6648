import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { testConfig } from '../../support/config.js';
import { seedBlog } from '../../support/blog-data.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { Migrator } from '../../../src/adapters/db/migrator.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import type { Migration } from '../../../src/adapters/db/migrations/migration.js';
import { createArticleSearch } from '../../../src/adapters/db/repositories/article-search.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import type { Dialect } from '../../../src/config/index.js';

const BEFORE = migrations.findIndex((m) => m.name === '0011_add_cjk_article_search');

describeEachDialect('0011_add_cjk_article_search', (dialect: Dialect) => {
  let testDb: TestDatabase;
  let db: Database;
  const migrator = (list: readonly Migration[]) =>
    new Migrator({ db: db.primary, dialect, databaseName: testDb.name, migrations: list, lockTimeoutMs: 5000 });

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = await createDatabase(testConfig({ DATABASE_URL: testDb.url }));
  });
  afterAll(async () => {
    await db?.destroy();
    await testDb?.drop();
  });

  it('makes articles written before it searchable inside CJK text, and rolls back and forth cleanly', async () => {
    expect(BEFORE).toBeGreaterThan(0);
    await migrator(migrations.slice(0, BEFORE)).migrate();
    // 250 articles: more than one backfill batch. Article 7 holds Chinese in its body, written before 0011.
    await seedBlog(db.primary, 250);
    await db.primary
      .updateTable('articles')
      .set({ markdown: '我们的数据库备份很快。' })
      .where('slug', '=', 'article-7')
      .execute();

    // Up to 0011 only: the rollback below steps back over it alone, whatever migrations come after it.
    const through = migrations.slice(0, BEFORE + 1);
    await migrator(through).migrate();
    const search = createArticleSearch(db);
    const repo = createArticlesRepository(db);
    const find = async (q: string) =>
      (await search.search({ q, page: 1, limit: 50, now: new Date() }, (ids) => repo.tagsOf(ids))).items.map(
        (a) => a.slug,
      );
    expect(await find('数据库')).toEqual(['article-7']);
    expect(await find('Article 249')).toEqual(['article-249']);
    // The last row of the last batch was filled too.
    expect(await find('Article 250')).toEqual(['article-250']);

    // Down restores 0006's indexes, up again rebuilds the derived columns.
    expect((await migrator(through).rollback(1)).rolledBack).toEqual(['0011_add_cjk_article_search']);
    expect((await migrator(through).migrate()).applied).toEqual(['0011_add_cjk_article_search']);
    expect(await find('据库备')).toEqual(['article-7']);
  });
});
