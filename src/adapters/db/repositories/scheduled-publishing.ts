import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

export interface PublishedArticle {
  id: number;
  slug: string;
}

/**
 * Flips every scheduled article whose time has come to published. Only rows still `scheduled` change, so two
 * callers at once (or an editor unscheduling meanwhile) never publish an article twice or against its author.
 * Owned by the jobs work; the blog core's article repository may absorb it (see the integration note).
 */
export async function publishDueArticles(db: Kysely<DB>, now: Date): Promise<PublishedArticle[]> {
  const due = await db
    .selectFrom('articles')
    .select(['id', 'slug'])
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now)
    .orderBy('published_at')
    .execute();
  const published: PublishedArticle[] = [];
  for (const article of due) {
    const result = await db
      .updateTable('articles')
      .set({ status: 'published', updated_at: now })
      .where('id', '=', article.id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) published.push({ id: Number(article.id), slug: article.slug });
  }
  return published;
}
