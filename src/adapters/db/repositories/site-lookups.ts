import type { Database } from '../database.js';
import { isLive } from './article-filters.js';
import { preparedSelect } from '../prepared-select.js';

export interface AuthorRecord {
  id: number;
  name: string;
  bio: string | null;
}

export interface CoverRecord {
  storage_key: string;
  variants: string | null;
  width: number | null;
  height: number | null;
}

export interface SitemapRow {
  slug: string;
  updated_at: Date;
}

/** The public site's read queries that the article repository does not already answer. */
export interface SiteLookups {
  tagBySlug(slug: string): Promise<{ id: number; name: string; slug: string } | undefined>;
  author(id: number): Promise<AuthorRecord | undefined>;
  /** Cover images by media id (missing ids are left out). */
  covers(mediaIds: number[]): Promise<Map<number, CoverRecord>>;
  /** Every live article, newest change first (sitemap). */
  liveArticles(now: Date, limit: number): Promise<SitemapRow[]>;
  /** Tags that have at least one live article (sitemap). */
  liveTagSlugs(now: Date): Promise<string[]>;
}

// A tag page and an author page look these up on every render: prepared once (see prepared-select.ts).
const tagBySlug = preparedSelect((db, slug: string) =>
  db.selectFrom('tags').select(['id', 'name', 'slug']).where('slug', '=', slug),
);
const authorById = preparedSelect((db, id: number) =>
  db.selectFrom('users').select(['id', 'name', 'bio']).where('id', '=', id),
);

export function createSiteLookups(db: Database): SiteLookups {
  return {
    async tagBySlug(slug) {
      const [r] = await tagBySlug.execute(db.reader(), slug);
      return r && { ...r, id: Number(r.id) };
    },
    async author(id) {
      const [r] = await authorById.execute(db.reader(), id);
      return r && { ...r, id: Number(r.id) };
    },
    async covers(mediaIds) {
      const map = new Map<number, CoverRecord>();
      const ids = [...new Set(mediaIds)];
      if (ids.length === 0) return map;
      const rows = await db
        .reader()
        .selectFrom('media')
        .select(['id', 'storage_key', 'variants', 'width', 'height'])
        .where('id', 'in', ids)
        .execute();
      for (const { id, ...cover } of rows) map.set(Number(id), cover);
      return map;
    },
    async liveArticles(now, limit) {
      return db
        .reader()
        .selectFrom('articles')
        .select(['slug', 'updated_at'])
        .where((eb) => isLive(eb, now))
        .orderBy('updated_at', 'desc')
        .limit(limit)
        .execute();
    },
    async liveTagSlugs(now) {
      const rows = await db
        .reader()
        .selectFrom('tags')
        .select('tags.slug')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('article_tags')
              .innerJoin('articles', 'articles.id', 'article_tags.article_id')
              .select('article_tags.article_id')
              .whereRef('article_tags.tag_id', '=', 'tags.id')
              .where((inner) => isLive(inner, now)),
          ),
        )
        .orderBy('tags.slug')
        .execute();
      return rows.map((r) => r.slug);
    },
  };
}
