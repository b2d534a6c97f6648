import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { articleRow, insertAuthors } from '../../support/blog-data.js';
import { redisTestPrefix } from '../../support/app.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import { createTagDirectory } from '../../../src/adapters/db/repositories/tag-directory.js';
import { insertReturningId } from '../../../src/adapters/db/repositories/insert-id.js';
import { createMemoryCache } from '../../../src/adapters/cache/memory-cache.js';
import { createRedisCache } from '../../../src/adapters/cache/redis-cache.js';
import type { Cache } from '../../../src/adapters/cache/cache-port.js';
import type { DB } from '../../../src/adapters/db/schema.js';

// The articles' tag names come from a copy kept in process (tag-directory.ts). These tests change the tags table
// behind the copy's back, as another instance or a rename would, and check when reads see the change: after the
// shared version is dropped (what a rename's invalidation does), when an unknown id turns up, never a copy that may
// predate a rename. The tag order per engine is checked in article-tags.test.ts.
describe('tag directory (sqlite)', () => {
  const suite = useSuiteDatabase('sqlite', { migrate: true });
  const now = new Date('2026-11-20T10:00:00Z');
  const CONTENT = 'content';
  let article = 0;
  let tagIds: number[] = [];

  beforeAll(async () => {
    const db = suite.db.primary;
    await insertAuthors(db, 1, now);
    article = await insertReturningId(
      'sqlite',
      db.insertInto('articles').values(articleRow(now, { author_id: 1, slug: 'tagged', status: 'published' })),
    );
    tagIds = [];
    for (const name of ['beta', 'alpha']) {
      tagIds.push(
        await insertReturningId('sqlite', db.insertInto('tags').values({ name, slug: name, created_at: now })),
      );
    }
    await db
      .insertInto('article_tags')
      .values(tagIds.map((tag_id) => ({ article_id: article, tag_id })))
      .execute();
  });

  const rename = (id: number, name: string) =>
    suite.db.primary.updateTable('tags').set({ name }).where('id', '=', id).execute();
  const names = async (repo: ReturnType<typeof createArticlesRepository>) =>
    (await repo.findById(article))!.tags.map((t) => t.name);
  const liveNames = async (repo: ReturnType<typeof createArticlesRepository>) =>
    (await repo.list({ kind: 'live', now }, { page: 1, limit: 5 })).items.map((a) => a.tags.map((t) => t.name));

  it('keeps its copy until the shared version is dropped, then reads the tags again', async () => {
    const cache = createMemoryCache();
    const repo = createArticlesRepository(suite.db, createTagDirectory({ cache, invalidatedBy: CONTENT }));
    expect(await names(repo)).toEqual(['alpha', 'beta']);
    await rename(tagIds[0]!, 'gamma');
    // Nothing told the copy: the kept names (reading them again each time would cost a statement a read).
    expect(await names(repo)).toEqual(['alpha', 'beta']);
    expect(await liveNames(repo)).toEqual([['alpha', 'beta']]);
    // What a rename's content change does: drop everything tagged `content`.
    await cache.deleteByTag(CONTENT);
    expect(await names(repo)).toEqual(['alpha', 'gamma']);
    expect(await liveNames(repo)).toEqual([['alpha', 'gamma']]);
    await rename(tagIds[0]!, 'beta');
  });

  it('reads the tags again for an id it does not know (a tag made since), and leaves out tags that are gone', async () => {
    const cache = createMemoryCache();
    const repo = createArticlesRepository(suite.db, createTagDirectory({ cache, invalidatedBy: CONTENT }));
    expect(await names(repo)).toEqual(['alpha', 'beta']);
    const db = suite.db.primary;
    const made = await insertReturningId(
      'sqlite',
      db.insertInto('tags').values({ name: 'aa', slug: 'aa', created_at: now }),
    );
    await db.insertInto('article_tags').values({ article_id: article, tag_id: made }).execute();
    expect(await names(repo)).toEqual(['aa', 'alpha', 'beta']);
    await db.deleteFrom('tags').where('id', '=', made).execute();
    expect(await names(repo)).toEqual(['alpha', 'beta']);
  });

  it('does not keep a copy loaded while a rename committed and dropped the version', async () => {
    const cache = createMemoryCache();
    let renamed = false;
    // The rename commits and drops the version just after the directory's load has read the tags: the names it
    // loaded predate the rename, and must not be kept under any version the rename did not drop.
    const reader = afterTagLoad(suite.db.primary, async () => {
      if (renamed) return;
      renamed = true;
      await rename(tagIds[0]!, 'delta');
      await cache.deleteByTag(CONTENT);
    });
    const repo = createArticlesRepository(
      { ...suite.db, reader: () => reader },
      createTagDirectory({ cache, invalidatedBy: CONTENT }),
    );
    expect(await names(repo)).toEqual(['alpha', 'beta']);
    expect(renamed).toBe(true);
    expect(await names(repo)).toEqual(['alpha', 'delta']);
    await rename(tagIds[0]!, 'beta');
  });

  it('reads the tags every time without a shared version, and when the cache fails', async () => {
    const failing: Cache = Object.assign(Object.create(createMemoryCache()) as Cache, {
      get: () => Promise.reject(new Error('cache down')),
      set: () => Promise.reject(new Error('cache down')),
    });
    for (const directory of [createTagDirectory(), createTagDirectory({ cache: failing, invalidatedBy: CONTENT })]) {
      const repo = createArticlesRepository(suite.db, directory);
      expect(await names(repo)).toEqual(['alpha', 'beta']);
      await rename(tagIds[0]!, 'epsilon');
      expect(await names(repo)).toEqual(['alpha', 'epsilon']);
      await rename(tagIds[0]!, 'beta');
    }
  });

  const redis = inject('services').find((s) => s.name === 'redis');
  describe.skipIf(!redis?.available)('two instances sharing Redis', () => {
    const keys = redisTestPrefix();
    const caches: Cache[] = [];
    afterAll(async () => {
      for (const c of caches) await c.close();
      await keys.clean();
    });

    it('a rename invalidated on one instance is read by the other', async () => {
      const open = () => {
        const cache = createRedisCache({ url: keys.url, prefix: keys.prefix, logger: pino({ level: 'silent' }) });
        caches.push(cache);
        return createArticlesRepository(suite.db, createTagDirectory({ cache, invalidatedBy: CONTENT }));
      };
      const [one, two] = [open(), open()];
      expect(await names(one)).toEqual(['alpha', 'beta']);
      expect(await names(two)).toEqual(['alpha', 'beta']);
      await rename(tagIds[0]!, 'zeta');
      await caches[0]!.deleteByTag(CONTENT);
      expect(await names(two)).toEqual(['alpha', 'zeta']);
      expect(await names(one)).toEqual(['alpha', 'zeta']);
      await rename(tagIds[0]!, 'beta');
    });
  });
});

/**
 * `db`, whose reads of the tags table run `hook` once they have their rows (and the connection is free again), before
 * the caller sees them. Each builder of the chain is wrapped; Kysely's own objects do the work.
 */
function afterTagLoad(db: Kysely<DB>, hook: () => Promise<void>): Kysely<DB> {
  const wrap = <T extends object>(builder: T): T =>
    new Proxy(builder, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        if (prop === 'execute') {
          return async (...args: unknown[]) => {
            const rows: unknown = await Reflect.apply(value, target, args);
            await hook();
            return rows;
          };
        }
        return (...args: unknown[]) => {
          const next: unknown = Reflect.apply(value, target, args);
          return next !== null && typeof next === 'object' && 'execute' in next ? wrap(next) : next;
        };
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop === 'selectFrom') {
        return (table: never) => {
          const builder = (target.selectFrom as (t: never) => object)(table);
          return table === ('tags' as never) ? wrap(builder) : builder;
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
