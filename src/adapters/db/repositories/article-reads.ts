import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { DB } from '../schema.js';
import type { ArticleFull, ArticlesRepository, TagRef } from './articles.js';

// The reading half of the articles repository: single articles, pages of summaries, their tags.

/** The columns of an article summary (lists, search results): everything but the body. */
export const SUMMARY_COLUMNS = [
  'articles.id',
  'articles.author_id',
  'articles.title',
  'articles.slug',
  'articles.excerpt',
  'articles.status',
  'articles.published_at',
  'articles.cover_media_id',
  'articles.reading_minutes',
  'articles.created_at',
  'articles.updated_at',
  'users.name as author_name',
] as const;

/** Live = published, or scheduled and due: until the queue flips it, a due scheduled article reads as live. */
export function isLive(eb: ExpressionBuilder<DB, 'articles'>, now: Date) {
  return eb.and([eb('articles.status', 'in', ['published', 'scheduled']), eb('articles.published_at', '<=', now)]);
}

/**
 * The same condition spelled so no engine can use the (status, published_at) index for it: a newest-first page
 * then walks articles_published_at_index backwards and stops after `limit` rows, instead of sorting every live
 * article (measured on SQLite with 10,000 articles: 45 ms -> 0.3 ms). The count keeps `isLive`, which the
 * (status, published_at) index covers.
 */
export function isLiveForOrderedPage(eb: ExpressionBuilder<DB, 'articles'>, now: Date) {
  return eb.and([eb('articles.status', '<>', 'draft'), eb('articles.published_at', '<=', now)]);
}

export async function tagsOf(reader: Kysely<DB>, articleIds: number[]): Promise<Map<number, TagRef[]>> {
  const map = new Map<number, TagRef[]>();
  if (articleIds.length === 0) return map;
  const rows = await reader
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.id', 'tags.name', 'tags.slug'])
    .where('article_tags.article_id', 'in', articleIds)
    .orderBy('tags.name')
    .execute();
  for (const r of rows) {
    const list = map.get(Number(r.article_id)) ?? [];
    list.push({ id: Number(r.id), name: r.name, slug: r.slug });
    map.set(Number(r.article_id), list);
  }
  return map;
}

export type ArticleReads = Pick<
  ArticlesRepository,
  'findById' | 'findBySlug' | 'list' | 'nextScheduledAfter' | 'tagsOf'
>;

export function createArticleReads(db: Database): ArticleReads {
  async function findOne(where: { id: number } | { slug: string }): Promise<ArticleFull | undefined> {
    const reader = db.reader();
    let q = reader
      .selectFrom('articles')
      .innerJoin('users', 'users.id', 'articles.author_id')
      // Named columns, not articles.*: the search columns are as large as the body and never needed here.
      .select([...SUMMARY_COLUMNS, 'articles.markdown', 'articles.html']);
    q = 'id' in where ? q.where('articles.id', '=', where.id) : q.where('articles.slug', '=', where.slug);
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    const tags = await tagsOf(reader, [row.id]);
    return { ...row, id: Number(row.id), tags: tags.get(Number(row.id)) ?? [] };
  }

  return {
    findById: (id) => findOne({ id }),
    findBySlug: (slug) => findOne({ slug }),
    async list(visibility, query, options = {}) {
      const reader = db.reader();
      // The filters need only the articles table; the count runs on them alone (author_id is a NOT NULL key).
      let base = reader.selectFrom('articles');
      if (visibility.kind === 'manage' && visibility.status)
        base = base.where('articles.status', '=', visibility.status);
      if (query.authorId !== undefined) base = base.where('articles.author_id', '=', query.authorId);
      if (query.tagSlug !== undefined) {
        const tagSlug = query.tagSlug;
        // The tag's article ids through article_tags' tag_id index, rather than a correlated EXISTS per article:
        // the total count would otherwise probe every live article.
        base = base.where('articles.id', 'in', (eb) =>
          eb
            .selectFrom('article_tags')
            .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
            .select('article_tags.article_id')
            .where('tags.slug', '=', tagSlug),
        );
      }
      const live = visibility.kind === 'live' ? visibility.now : undefined;
      const counted = live ? base.where((eb) => isLive(eb, live)) : base;
      const paged = live ? base.where((eb) => isLiveForOrderedPage(eb, live)) : base;
      const [rows, count] = await Promise.all([
        paged
          .innerJoin('users', 'users.id', 'articles.author_id')
          .select(SUMMARY_COLUMNS)
          .orderBy(visibility.kind === 'live' ? 'articles.published_at' : 'articles.updated_at', 'desc')
          .orderBy('articles.id', 'desc')
          .limit(query.limit)
          .offset((query.page - 1) * query.limit)
          .execute(),
        options.knownTotal !== undefined
          ? { n: options.knownTotal }
          : counted.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      const tags = await tagsOf(
        reader,
        rows.map((r) => Number(r.id)),
      );
      return {
        items: rows.map((r) => ({ ...r, id: Number(r.id), tags: tags.get(Number(r.id)) ?? [] })),
        total: Number(count.n),
      };
    },
    tagsOf: (ids) => tagsOf(db.reader(), ids),
    async nextScheduledAfter(now) {
      const row = await db
        .reader()
        .selectFrom('articles')
        .select((eb) => eb.fn.min('published_at').as('due'))
        .where('status', '=', 'scheduled')
        .where('published_at', '>', now)
        .executeTakeFirst();
      return row?.due ? new Date(row.due) : undefined;
    },
  };
}
