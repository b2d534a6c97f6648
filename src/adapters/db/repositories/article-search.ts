import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../database.js';
import type { ArticleSummary, Page, TagRef } from './articles.js';
import { isLive, SUMMARY_COLUMNS } from './articles.js';

export interface SearchQuery {
  q: string;
  page: number;
  limit: number;
  now: Date;
}

export interface ArticleSearch {
  /** Live articles matching `q` in title or body, best match first. */
  search(query: SearchQuery, tagsOf: (ids: number[]) => Promise<Map<number, TagRef[]>>): Promise<Page<ArticleSummary>>;
}

/** Words of the query, as letters and digits only: the engines' own query syntax never reaches them. */
export function searchTerms(q: string): string[] {
  return (q.normalize('NFKC').match(/[\p{L}\p{N}\p{M}]+/gu) ?? []).slice(0, 16);
}

export function createArticleSearch(db: Database): ArticleSearch {
  return {
    async search({ q, page, limit, now }, tagsOf) {
      const terms = searchTerms(q);
      if (terms.length === 0) return { items: [], total: 0 };
      let match: RawBuilder<boolean>;
      let rank: RawBuilder<number>;
      switch (db.dialect) {
        case 'sqlite': {
          // Every term must appear (implicit AND); each is quoted, so FTS5 operators in the input are plain text.
          const ftsQuery = terms.map((t) => `"${t}"`).join(' ');
          match = sql<boolean>`articles.id in (select rowid from articles_fts where articles_fts match ${ftsQuery})`;
          // bm25 is lower-is-better; title hits weigh ten times body hits.
          rank = sql<number>`-(select bm25(articles_fts, 10.0, 1.0) from articles_fts where articles_fts match ${ftsQuery} and rowid = articles.id)`;
          break;
        }
        case 'mysql': {
          const text = terms.join(' ');
          match = sql<boolean>`match(articles.title, articles.markdown) against (${text} in natural language mode)`;
          rank = sql<number>`10 * match(articles.title) against (${text} in natural language mode) + match(articles.title, articles.markdown) against (${text} in natural language mode)`;
          break;
        }
        case 'postgres': {
          const text = terms.join(' ');
          match = sql<boolean>`articles.search @@ plainto_tsquery('simple', ${text})`;
          rank = sql<number>`ts_rank(articles.search, plainto_tsquery('simple', ${text}))`;
          break;
        }
      }
      const base = db
        .reader()
        .selectFrom('articles')
        .innerJoin('users', 'users.id', 'articles.author_id')
        .where((eb) => isLive(eb, now))
        .where(match);
      const [rows, count] = await Promise.all([
        base
          .select([...SUMMARY_COLUMNS, rank.as('rank')])
          .orderBy('rank', 'desc')
          .orderBy('articles.published_at', 'desc')
          .limit(limit)
          .offset((page - 1) * limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      const tags = await tagsOf(rows.map((r) => Number(r.id)));
      return {
        items: rows.map(({ rank: _rank, ...r }) => ({ ...r, id: Number(r.id), tags: tags.get(Number(r.id)) ?? [] })),
        total: Number(count.n),
      };
    },
  };
}
