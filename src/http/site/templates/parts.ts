import type { Card, Cover } from '../../../services/site/site-reader.js';
import type { TagRef } from '../../../adapters/db/repositories/articles.js';
import { html, type SafeHtml } from '../html.js';
import { cjkLang, humanDate } from '../text.js';
import { formatIso } from '../../../domain/iso-date.js';

export const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`;
export const tagPath = (slug: string) => `/tags/${encodeURIComponent(slug)}`;
export const authorPath = (id: number) => `/authors/${id}`;

export function time(date: Date | null): SafeHtml {
  return date ? html`<time datetime="${formatIso(date)}">${humanDate(date)}</time>` : html``;
}

export function tagList(tags: TagRef[]): SafeHtml {
  if (tags.length === 0) return html``;
  return html`<ul class="tags" aria-label="Tags">
    ${tags.map((t) => html`<li><a href="${tagPath(t.slug)}" rel="tag">${t.name}</a></li>`)}
  </ul>`;
}

export function coverImage(cover: Cover | undefined, alt: string, eager = false): SafeHtml {
  if (!cover) return html``;
  return html`<img
    class="cover"
    src="${cover.url}"
    alt="${alt}"
    ${cover.width ? html` width="${cover.width}"` : ''}${cover.height ? html` height="${cover.height}"` : ''}
    loading="${eager ? 'eager' : 'lazy'}"
    decoding="async"
  />`;
}

export function byline(a: {
  author_id: number;
  author_name: string;
  published_at: Date | null;
  reading_minutes: number;
}) {
  return html`<p class="byline">
    <a href="${authorPath(Number(a.author_id))}" rel="author">${a.author_name}</a> · ${time(a.published_at)} ·
    ${a.reading_minutes} min read
  </p>`;
}

export function postCard(card: Card): SafeHtml {
  return html`<article class="post-card" ${langAttr(card.title)}>
    ${coverImage(card.cover, '')}
    <h2><a href="${articlePath(card.slug)}">${card.title}</a></h2>
    ${byline(card)}
    <p class="excerpt">${card.excerpt}</p>
    ${tagList(card.tags)}
  </article>`;
}

export function langAttr(text: string): SafeHtml {
  const lang = cjkLang(text);
  return lang ? html` lang="${lang}"` : html``;
}

/** Previous/next links; `base` is the page's path, `extra` any other query (e.g. the search words). */
export function pagination(page: number, pages: number, base: string, extra: Record<string, string> = {}): SafeHtml {
  if (pages <= 1) return html``;
  const href = (n: number) => {
    const q = new URLSearchParams(extra);
    if (n > 1) q.set('page', String(n));
    const s = q.toString();
    return s === '' ? base : `${base}?${s}`;
  };
  return html`<nav class="pagination" aria-label="Pages">
    ${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">← Newer</a>` : ''}
    <span>Page ${page} of ${pages}</span>
    ${page < pages ? html`<a rel="next" href="${href(page + 1)}">Older →</a>` : ''}
  </nav>`;
}
