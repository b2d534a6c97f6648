import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { articleRow, insertAuthors } from '../../support/blog-data.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import { insertReturningId } from '../../../src/adapters/db/repositories/insert-id.js';
import type { ArticleStatus } from '../../../src/domain/article-status.js';
import type { Dialect } from '../../../src/config/index.js';

// The list queries are prepared per filter shape, and a tag's page sorts ids before reading rows: every shape's
// pages must still come out as the plain rule says (newest first, id breaking ties, live or by status).
describeEachDialect('article list pages', (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect, { migrate: true });
  const now = new Date('2026-11-20T10:00:00Z');
  interface Row {
    id: number;
    author: number;
    status: ArticleStatus;
    published: Date | null;
    updated: Date;
    tags: string[];
  }
  const rows: Row[] = [];

  beforeAll(async () => {
    const db = suite.db;
    await insertAuthors(db.primary, 2, now);
    await db.primary
      .insertInto('tags')
      .values([
        { name: 'Ops', slug: 'ops', created_at: now },
        { name: 'DB', slug: 'db', created_at: now },
      ])
      .execute();
    const statuses: ArticleStatus[] = ['published', 'published', 'draft', 'scheduled', 'published'];
    for (let i = 1; i <= 36; i++) {
      const status = statuses[i % statuses.length]!;
      // Hours apart, every fourth one sharing its neighbour's time (ties go by id); scheduled ones half in the future.
      const hours = status === 'scheduled' ? (i % 2 === 0 ? 30 : -30) - i : -Math.floor(i / 4) * 4 - i;
      const published = status === 'draft' ? null : new Date(now.getTime() + hours * 3_600_000);
      const updated = new Date(now.getTime() - ((i * 7) % 36) * 60_000);
      const id = await insertReturningId(
        dialect,
        db.primary.insertInto('articles').values(
          articleRow(now, {
            author_id: (i % 2) + 1,
            title: `Article ${i}`,
            slug: `article-${i}`,
            status,
            published_at: published,
            updated_at: updated,
          }),
        ),
      );
      const tags = [...(i % 3 !== 0 ? ['ops'] : []), ...(i % 4 < 2 ? ['db'] : [])];
      rows.push({ id, author: (i % 2) + 1, status, published, updated, tags });
    }
    const tagIds = new Map(
      (await db.primary.selectFrom('tags').select(['id', 'slug']).execute()).map((t) => [t.slug, t.id]),
    );
    await db.primary
      .insertInto('article_tags')
      .values(rows.flatMap((r) => r.tags.map((t) => ({ article_id: r.id, tag_id: Number(tagIds.get(t)) }))))
      .execute();
  });

  const newestFirst = (key: (r: Row) => number) => (a: Row, b: Row) => key(b) - key(a) || b.id - a.id;
  const isLive = (r: Row) => r.status !== 'draft' && r.published !== null && r.published <= now;

  it.each([
    ['live', {}],
    ['live, tagged', { tagSlug: 'ops' }],
    ['live, tagged, by one author', { tagSlug: 'ops', authorId: 2 }],
    ['live, tagged (another tag)', { tagSlug: 'db' }],
    ['live, tagged (another tag), by one author', { tagSlug: 'db', authorId: 2 }],
    ['manage, tagged', { tagSlug: 'ops' }],
    ['manage, published, tagged', { tagSlug: 'ops' }],
  ] as const)('%s: every page in order, and the total', async (name, filter) => {
    const repo = createArticlesRepository(suite.db);
    const live = name.startsWith('live');
    const status = name.startsWith('manage, published') ? ('published' as const) : undefined;
    const expected = rows
      .filter((r) => (live ? isLive(r) : status === undefined || r.status === status))
      .filter((r) => !('tagSlug' in filter) || r.tags.includes(filter.tagSlug))
      .filter((r) => !('authorId' in filter) || r.author === filter.authorId)
      .sort(newestFirst(live ? (r) => r.published!.getTime() : (r) => r.updated.getTime()))
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(5);
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(expected.length / 5) + 1; page++) {
      const got = await repo.list(live ? { kind: 'live', now } : { kind: 'manage', status }, {
        page,
        limit: 5,
        ...filter,
      });
      expect(got.total).toBe(expected.length);
      seen.push(...got.items.map((a) => a.id));
      if ('tagSlug' in filter) {
        expect(got.items.every((a) => a.tags.some((t) => t.slug === filter.tagSlug))).toBe(true);
      }
    }
    expect(seen).toEqual(expected);
  });
});
