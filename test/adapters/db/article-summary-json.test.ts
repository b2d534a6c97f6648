import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { articleRow, insertAuthors } from '../../support/blog-data.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { createDraft, publish } from '../../http/site/helpers.js';
import { createArticlesRepository, type ListQuery } from '../../../src/adapters/db/repositories/articles.js';
import { insertReturningId } from '../../../src/adapters/db/repositories/insert-id.js';
import { asPublished } from '../../../src/services/article-access.js';
import { articleDto, articleSummaryDto } from '../../../src/http/api/articles/dto.js';
import { isLiveAt } from '../../../src/services/article-access.js';
import { articleSchema, pageResponse } from '../../../src/http/api/articles/schema.js';
import { meta } from '../../../src/http/api/common-schema.js';
import { compiledSerializerCompiler } from '../../../src/http/api/compiled-serializer.js';
import { pageJsonBody } from '../../../src/http/api/articles/page-json.js';
import { strongEtag } from '../../../src/http/page-cache/etag.js';
import type { ArticleStatus } from '../../../src/domain/article-status.js';

// On SQLite the API's public list is written as JSON by the engine (src/adapters/db/repositories/
// article-summary-json.ts). It must be byte for byte what the JavaScript path writes for the same page (the rows
// through articleSummaryDto and the route's compiled serializer): on every list shape and page, for any text.
describe('a live page written as JSON by SQLite', () => {
  const suite = useSuiteDatabase('sqlite', { migrate: true });
  const now = new Date('2026-11-20T10:00:00Z');
  const serialize = compiledSerializerCompiler({
    schema: pageResponse,
    method: 'GET',
    url: '/api/articles',
    httpStatus: '200',
  });

  // Any text: quotes, backslashes, control characters, CJK, emoji and lone surrogates (stored as U+FFFD).
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\t', '\u0001', '\u007f', '\u2028', '中', '文', '…', '😀') }),
  );
  const statuses: ArticleStatus[] = ['published', 'published', 'scheduled', 'draft'];
  const article = fc.record({
    title: text,
    excerpt: text,
    status: fc.constantFrom(...statuses),
    // Hours from `now`: scheduled ones on both sides of it, so some are due and read as published.
    hours: fc.integer({ min: -500, max: 48 }),
    millis: fc.integer({ min: 0, max: 999 }),
    author: fc.integer({ min: 1, max: 3 }),
    cover: fc.boolean(),
    minutes: fc.integer({ min: 0, max: 90 }),
    tags: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
    markdown: text,
    html: text,
  });

  beforeAll(async () => {
    const db = suite.db.primary;
    await insertAuthors(db, 3, now);
    const names = fc.sample(text, { numRuns: 3, seed: 7 });
    await db.updateTable('users').set({ name: names[0]! }).where('id', '=', 2).execute();
    await db.updateTable('users').set({ name: names[1]! }).where('id', '=', 3).execute();
    // Tag names in every order of case and with a tie (two "Ops"): the directory sorts by name, then id.
    await db
      .insertInto('tags')
      .values(
        ['Ops', 'ops', 'Ops', 'ß 中文', names[2]!, 'a"b\\c'].map((name, i) => ({
          name,
          slug: `t${i}`,
          created_at: now,
        })),
      )
      .execute();
    const media = await insertReturningId(
      'sqlite',
      db.insertInto('media').values({
        user_id: 1,
        storage_key: 'k.png',
        original_name: 'k.png',
        mime: 'image/png',
        size_bytes: 1,
        width: 1,
        height: 1,
        variants: null,
        alt: null,
        created_at: now,
      }),
    );
    const tagIds = (await db.selectFrom('tags').select('id').orderBy('id').execute()).map((t) => t.id);
    const rows = fc.sample(article, { numRuns: 80, seed: 42 });
    for (const [i, a] of rows.entries()) {
      const published = new Date(now.getTime() + a.hours * 3_600_000 + a.millis);
      const id = await insertReturningId(
        'sqlite',
        db.insertInto('articles').values(
          articleRow(now, {
            author_id: a.author,
            title: a.title,
            slug: `a-${i}`,
            excerpt: a.excerpt,
            markdown: a.markdown,
            html: a.html,
            status: a.status,
            published_at: a.status === 'draft' ? null : published,
            cover_media_id: a.cover ? media : null,
            reading_minutes: a.minutes,
            created_at: new Date(published.getTime() - 60_000),
            updated_at: new Date(published.getTime() + i),
          }),
        ),
      );
      if (a.tags.length > 0) {
        await db
          .insertInto('article_tags')
          .values(a.tags.map((t) => ({ article_id: id, tag_id: tagIds[t]! })))
          .execute();
      }
    }
  });

  const queries: Array<[string, Omit<ListQuery, 'page' | 'limit'>]> = [
    ['every live article', {}],
    ['one tag', { tagSlug: 't0' }],
    ['another tag', { tagSlug: 't3' }],
    ['one author', { authorId: 2 }],
    ['one tag, one author', { tagSlug: 't1', authorId: 3 }],
    ['a tag that does not exist', { tagSlug: 'nope' }],
  ];

  it.each(queries)('%s: every page is what the serializer writes', async (_name, filter) => {
    const repo = createArticlesRepository(suite.db);
    let articles = 0;
    for (const limit of [1, 7, 15, 100]) {
      for (let page = 1; ; page++) {
        const query = { ...filter, page, limit };
        const rows = await repo.list({ kind: 'live', now }, query);
        const expected = serialize({
          data: rows.items.map(asPublished).map(articleSummaryDto),
          meta: meta(page, limit, rows.total),
        });
        const written = await repo.livePageJson!(now, query);
        expect(written.total).toBe(rows.total);
        const body = pageJsonBody(written, page, limit);
        expect(body.toString('utf8')).toBe(expected);
        expect(body.length).toBe(Buffer.byteLength(expected));
        articles += rows.items.length;
        // One page past the end too: an empty `data`.
        if (rows.items.length === 0) break;
      }
    }
    expect(articles > 0).toBe(filter.tagSlug !== 'nope');
  });

  it('the page holds what the rows hold: due scheduled articles as published, covers, tags in name order', async () => {
    const repo = createArticlesRepository(suite.db);
    const written = await repo.livePageJson!(now, { page: 1, limit: 100 });
    const data = (
      JSON.parse(written.json.toString('utf8')) as Array<{ status: string; coverMediaId: number | null; tags: [] }>
    ).slice();
    expect(data.length).toBe(written.total);
    expect(new Set(data.map((a) => a.status))).toEqual(new Set(['published']));
    expect(data.some((a) => a.coverMediaId !== null) && data.some((a) => a.coverMediaId === null)).toBe(true);
    expect(data.some((a) => a.tags.length >= 2)).toBe(true);
    const scheduled = await suite.db.primary
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('published_at', '<=', now)
      .execute();
    expect(scheduled.length).toBeGreaterThan(0);
  });

  it('one article by id and by slug: what the serializer writes when live, nothing otherwise', async () => {
    const serializeArticle = compiledSerializerCompiler({
      schema: articleSchema,
      method: 'GET',
      url: '/api/articles/:ref',
      httpStatus: '200',
    });
    const repo = createArticlesRepository(suite.db);
    const ids = await suite.db.primary.selectFrom('articles').select(['id', 'slug']).orderBy('id').execute();
    let live = 0;
    for (const { id, slug } of ids) {
      const article = (await repo.findById(id))!;
      const byId = await repo.findLiveJson!({ id }, now);
      const bySlug = await repo.findLiveJson!({ slug }, now);
      if (!isLiveAt(article, now)) {
        expect(byId, `article ${id} (${article.status})`).toBeUndefined();
        expect(bySlug).toBeUndefined();
        continue;
      }
      live++;
      const expected = serializeArticle(articleDto(asPublished(article)));
      expect(byId!.id).toBe(id);
      expect(byId!.json.toString('utf8')).toBe(expected);
      expect(byId!.json.length).toBe(Buffer.byteLength(expected));
      expect(bySlug!.json.equals(byId!.json)).toBe(true);
    }
    expect(live).toBeGreaterThan(0);
    expect(live).toBeLessThan(ids.length);
    expect(await repo.findLiveJson!({ slug: 'not-there' }, now)).toBeUndefined();
  });

  it('inside a transaction (through Kysely, not the direct path) it writes the same bytes', async () => {
    const repo = createArticlesRepository(suite.db);
    const outside = await repo.livePageJson!(now, { page: 2, limit: 7 });
    // A transaction holds the connection: the prepared select goes through Kysely's executor and waits its turn.
    let resolveInside!: () => void;
    let begun!: () => void;
    const held = new Promise<void>((resolve) => (resolveInside = resolve));
    const started = new Promise<void>((resolve) => (begun = resolve));
    const trx = suite.db.primary.transaction().execute(async () => {
      begun();
      await held;
    });
    await started;
    const inside = repo.livePageJson!(now, { page: 2, limit: 7 });
    resolveInside();
    await trx;
    expect((await inside).json.equals(outside.json)).toBe(true);
  });
});

describe('GET /api/articles on SQLite', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi('sqlite', { HTTP_CACHE: 'false' }, { web: true });
    await publish(h, h.users.author, {
      title: 'Writing "JSON" in SQL \\ 中文',
      markdown: 'Hello',
      tags: ['ops', 'db'],
    });
    await publish(h, h.users.author, { title: 'Second', markdown: 'More' });
  });
  afterAll(() => h?.close());

  it('answers JSON with its ETag, and 304 for that ETag', async () => {
    const r = await h.call({ method: 'GET', url: '/api/articles?limit=15' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers.etag).toBe(strongEtag(r.rawPayload));
    expect(r.headers['content-length']).toBe(String(r.rawPayload.length));
    const page = pageResponse.parse(r.json());
    const one = await h.call({ method: 'GET', url: `/api/articles/${encodeURIComponent(page.data[1]!.slug)}` });
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(one.headers.etag).toBe(strongEtag(one.rawPayload));
    expect(articleSchema.parse(one.json())).toMatchObject({ title: page.data[1]!.title, html: '<p>Hello</p>\n' });
    expect((await h.call({ method: 'GET', url: `/api/articles/${page.data[1]!.id}` })).body).toBe(one.body);
    expect(page.data.map((a) => a.title)).toEqual(['Second', 'Writing "JSON" in SQL \\ 中文']);
    expect(page.data[1]!.tags.map((t) => t.name)).toEqual(['db', 'ops']);
    expect(page.meta).toEqual({ page: 1, limit: 15, total: 2, pages: 1 });
    const again = await h.call({
      method: 'GET',
      url: '/api/articles?limit=15',
      headers: { 'if-none-match': r.headers.etag! },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('a draft is still 404 for the public and seen by its author', async () => {
    const { id, slug } = await createDraft(h, h.users.author, { title: 'Not yet', markdown: 'Draft' });
    const anonymous = await h.call({ method: 'GET', url: `/api/articles/${slug}` });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json()).toMatchObject({ error: { code: 'not_found' } });
    const author = await h.call({ method: 'GET', url: `/api/articles/${id}`, as: h.users.author });
    expect(author.statusCode).toBe(200);
    expect(author.json()).toMatchObject({ status: 'draft', title: 'Not yet' });
  });

  it('bad input is still a 400 with the error envelope', async () => {
    const r = await h.call({ method: 'GET', url: '/api/articles?limit=0' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});
