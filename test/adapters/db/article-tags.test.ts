import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { articleRow } from '../../support/blog-data.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import { createTagDirectory } from '../../../src/adapters/db/repositories/tag-directory.js';
import { createMemoryCache } from '../../../src/adapters/cache/memory-cache.js';
import { insertReturningId } from '../../../src/adapters/db/repositories/insert-id.js';
import type { Dialect } from '../../../src/config/index.js';

// An article's tags come in the article's own statement as a list of ids, each engine's own aggregate, named from the
// tag directory: they must read as the separate query read them (sorted as the engine sorts names, numeric ids, text
// intact) and as [] when there are none. A shared directory (as the app's) must give the same as a fresh one.
describeEachDialect('article tags read with the article', (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect, { migrate: true });
  const now = new Date('2026-11-20T10:00:00Z');
  // Inserted out of name order, in mixed case and with an accent: binary and case-blind collations order them apart.
  const names = ['beta', 'Émile', 'C "quoted" 中文', 'alpha2', 'Alpha', 'zeta', 'back\\slash'];
  let tagged = 0;
  let untagged = 0;

  beforeAll(async () => {
    const db = suite.db.primary;
    const author = await insertReturningId(
      dialect,
      db.insertInto('users').values({
        email: 'a@example.com',
        name: 'Author',
        role: 'author',
        password_hash: 'x',
        bio: null,
        created_at: now,
        updated_at: now,
      }),
    );
    const article = (slug: string) =>
      insertReturningId(dialect, db.insertInto('articles').values(articleRow(now, { author_id: author, slug })));
    tagged = await article('tagged');
    untagged = await article('untagged');
    const tagIds: number[] = [];
    for (const [i, name] of names.entries()) {
      tagIds.push(
        await insertReturningId(dialect, db.insertInto('tags').values({ name, slug: `t${i}`, created_at: now })),
      );
    }
    // Linked in reverse, so neither insertion nor id order is the name order by accident.
    await db
      .insertInto('article_tags')
      .values(tagIds.reverse().map((tag_id) => ({ article_id: tagged, tag_id })))
      .execute();
  });

  /** The tags as the engine orders them by name: what the article's tags must equal. */
  const byName = async () =>
    (await suite.db.primary.selectFrom('tags').select(['id', 'name', 'slug']).orderBy('name').execute()).map((t) => ({
      id: Number(t.id),
      name: t.name,
      slug: t.slug,
    }));

  /** A repository with its own directory, and one sharing a directory kept in a cache (as the app's). */
  const repos = () => [createArticlesRepository(suite.db), createArticlesRepository(suite.db, shared)];
  const shared = createTagDirectory({ cache: createMemoryCache(), invalidatedBy: 'content' });

  it('by slug and by id: sorted by name, numeric ids, names intact', async () => {
    for (const repo of repos()) {
      const expected = await byName();
      expect(expected.map((t) => t.name).sort()).toEqual([...names].sort());
      expect(expected.map((t) => t.id)).not.toEqual([...expected.map((t) => t.id)].sort((a, b) => a - b));
      for (const article of [await repo.findBySlug('tagged'), await repo.findById(tagged)]) {
        expect(article?.id).toBe(tagged);
        expect(article?.tags).toEqual(expected);
        for (const t of article!.tags) expect(typeof t.id).toBe('number');
      }
    }
  });

  it('an article without tags has []', async () => {
    for (const repo of repos()) {
      expect((await repo.findBySlug('untagged'))?.tags).toEqual([]);
      expect((await repo.findById(untagged))?.tags).toEqual([]);
    }
  });

  it.each([
    ['manage', { kind: 'manage' }, {}],
    ['live', { kind: 'live', now }, {}],
    ['live, by tag', { kind: 'live', now }, { tagSlug: 't0' }],
  ] as const)('a %s list page gives each article its tags the same way', async (_, visibility, filter) => {
    for (const repo of repos()) {
      const page = await repo.list(visibility, { page: 1, limit: 10, ...filter });
      const tags = new Map(page.items.map((a) => [a.id, a.tags]));
      expect(tags.get(tagged)).toEqual(await byName());
      expect(tags.get(untagged)).toEqual('tagSlug' in filter ? undefined : []);
    }
  });

  it('search results’ tags (tagsOf) come the same way, [] for an article without tags', async () => {
    for (const repo of repos()) {
      const tags = await repo.tagsOf([tagged, untagged]);
      expect(tags.get(tagged)).toEqual(await byName());
      expect(tags.get(untagged)).toEqual([]);
      expect(await repo.tagsOf([])).toEqual(new Map());
    }
  });
});
