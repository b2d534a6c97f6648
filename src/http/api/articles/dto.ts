import type { ArticleFull, ArticleSummary } from '../../../adapters/db/repositories/articles.js';
import { iso, isoOrNull } from '../common-schema.js';

export function articleSummaryDto(a: ArticleSummary) {
  return {
    id: a.id,
    title: a.title,
    slug: a.slug,
    excerpt: a.excerpt,
    status: a.status,
    publishedAt: isoOrNull(a.published_at),
    readingMinutes: a.reading_minutes,
    coverMediaId: a.cover_media_id === null ? null : Number(a.cover_media_id),
    author: { id: Number(a.author_id), name: a.author_name },
    tags: a.tags,
    createdAt: iso(a.created_at),
    updatedAt: iso(a.updated_at),
  };
}

export function articleDto(a: ArticleFull) {
  return { ...articleSummaryDto(a), markdown: a.markdown, html: a.html };
}
