import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect } from '../../support/databases.js';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { seedBlog } from '../../support/blog-data.js';
import type { Database } from '../../../src/adapters/db/database.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import type { Dialect } from '../../../src/config/index.js';

const NAME = '0012_cover_article_tags_by_tag';
const AT = migrations.findIndex((m) => m.name === NAME);

/** The names of article_tags' secondary indexes (not its primary key), as the engine lists them. */
async function articleTagIndexes(db: Database, dialect: Dialect): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'article_tags'
          and sql is not null`
      : dialect === 'postgres'
        ? sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'article_tags'
            and indexname <> 'article_tags_pkey'`
        : sql<{ name: string }>`select distinct index_name as name from information_schema.statistics
            where table_schema = database() and table_name = 'article_tags' and index_name <> 'PRIMARY'`;
  return (await query.execute(db.primary)).rows.map((r) => r.name).sort();
}

describeEachDialect(NAME, (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect);

  it('replaces the tag_id index with (tag_id, article_id), keeps tagged lists right, and rolls back', async () => {
    const db = suite.db;
    expect(AT).toBeGreaterThan(0);
    const through = migrations.slice(0, AT + 1);
    await suite.migrator(migrations.slice(0, AT)).migrate();
    await seedBlog(db.primary, 40);
    expect(await articleTagIndexes(db, dialect)).toContain('article_tags_tag_id_index');

    expect((await suite.migrator(through).migrate()).applied).toEqual([NAME]);
    const indexes = await articleTagIndexes(db, dialect);
    expect(indexes).toContain('article_tags_tag_article_index');
    expect(indexes).not.toContain('article_tags_tag_id_index');
    if (dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan
        select article_id from article_tags where tag_id = ${1}`.execute(db.primary);
      expect(plan.rows.map((r) => r.detail).join(' ')).toContain('COVERING INDEX article_tags_tag_article_index');
    }
    const tag = await db.primary.selectFrom('tags').select('slug').orderBy('id').executeTakeFirstOrThrow();
    const tagged = await createArticlesRepository(db).list(
      { kind: 'manage' },
      { page: 1, limit: 100, tagSlug: tag.slug },
    );
    const expected = await db.primary
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tags.slug', '=', tag.slug)
      .executeTakeFirstOrThrow();
    expect(tagged.total).toBe(Number(expected.n));
    expect(tagged.total).toBeGreaterThan(0);
    expect(tagged.items.every((a) => a.tags.some((t) => t.slug === tag.slug))).toBe(true);

    expect((await suite.migrator(through).rollback(1)).rolledBack).toEqual([NAME]);
    const restored = await articleTagIndexes(db, dialect);
    expect(restored).toContain('article_tags_tag_id_index');
    expect(restored).not.toContain('article_tags_tag_article_index');
    expect((await suite.migrator(through).migrate()).applied).toEqual([NAME]);
  });
});
