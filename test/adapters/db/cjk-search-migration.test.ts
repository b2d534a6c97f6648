import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { seedBlog } from '../../support/blog-data.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import { createArticleSearch } from '../../../src/adapters/db/repositories/article-search.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import type { Dialect } from '../../../src/config/index.js';

const BEFORE = migrations.findIndex((m) => m.name === '0011_add_cjk_article_search');

describeEachDialect('0011_add_cjk_article_search', (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect);

  it('makes articles written before it searchable inside CJK text, and rolls back and forth cleanly', async () => {
    const db = suite.db;
    expect(BEFORE).toBeGreaterThan(0);
    await suite.migrator(migrations.slice(0, BEFORE)).migrate();
    // 250 articles: more than one backfill batch. Article 7 holds Chinese in its body, written before 0011.
    await seedBlog(db.primary, 250);
    await db.primary
      .updateTable('articles')
      .set({ markdown: '我们的数据库备份很快。' })
      .where('slug', '=', 'article-7')
      .execute();

    // Up to 0011 only: the rollback below steps back over it alone, whatever migrations come after it.
    const through = migrations.slice(0, BEFORE + 1);
    await suite.migrator(through).migrate();
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
    expect((await suite.migrator(through).rollback(1)).rolledBack).toEqual(['0011_add_cjk_article_search']);
    expect((await suite.migrator(through).migrate()).applied).toEqual(['0011_add_cjk_article_search']);
    expect(await find('据库备')).toEqual(['article-7']);
  });
});
