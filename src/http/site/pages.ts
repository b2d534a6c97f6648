import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PageCache } from '../page-cache/page-cache.js';
import { parsePage, type SiteReader } from '../../services/site/site-reader.js';
import { cacheTag } from '../../services/content-changes.js';
import { NotFoundError } from '../../domain/errors.js';
import { html } from './html.js';
import { sendPage } from './render.js';
import { cjkLang, truncate } from './text.js';
import type { SiteInfo } from './templates/layout.js';
import { listingBody } from './templates/listing.js';
import { articleBody } from './templates/article.js';
import { articlePath, authorPath, tagPath } from './templates/parts.js';

type Query = Record<string, string | string[] | undefined>;

/** One value of a query parameter (the first, when a client repeats it). */
export function queryValue(request: FastifyRequest, name: string): string | undefined {
  const v = (request.query as Query)[name];
  return Array.isArray(v) ? v[0] : v;
}

export function registerPages(
  app: FastifyInstance,
  deps: { reader: SiteReader; site: SiteInfo; pageCache: PageCache },
) {
  const { reader, site, pageCache } = deps;
  const list = pageCache.route({ tags: [cacheTag.lists] });
  const single = pageCache.route({ tags: [] });
  const cached = (hooks: typeof list) => ({ onRequest: hooks.onRequest, onSend: hooks.onSend });

  app.get('/', cached(list), async (request, reply) => {
    const page = parsePage(queryValue(request, 'page'));
    const listing = await reader.home(page);
    return sendPage(
      reply,
      site,
      {
        title: page > 1 ? `${site.name} (page ${page})` : site.name,
        description: site.description || `The latest articles from ${site.name}.`,
        path: page > 1 ? `/?page=${page}` : '/',
      },
      listingBody({ heading: site.name, listing, path: '/', empty: 'Nothing published yet.' }),
    );
  });

  app.get<{ Params: { slug: string } }>('/articles/:slug', cached(single), async (request, reply) => {
    // ?page= walks the comments (the article itself is the same on every page).
    const view = await reader.article(request.params.slug, parsePage(queryValue(request, 'page')));
    const { article } = view;
    pageCache.tag(request, cacheTag.article(article.id));
    return sendPage(
      reply,
      site,
      {
        title: article.title,
        description: article.excerpt,
        path: articlePath(article.slug),
        type: 'article',
        image: view.cover?.url,
        lang: cjkLang(article.title),
        publishedAt: article.published_at ?? undefined,
      },
      articleBody(view, {
        values: { name: '', email: '', body: '' },
        errors: {},
        pending: queryValue(request, 'comment') === 'pending',
      }),
    );
  });

  app.get<{ Params: { slug: string } }>('/tags/:slug', cached(list), async (request, reply) => {
    const page = parsePage(queryValue(request, 'page'));
    const found = await reader.tag(request.params.slug, page);
    const path = tagPath(found.tag.slug);
    return sendPage(
      reply,
      site,
      {
        title: page > 1 ? `${found.tag.name} (page ${page})` : found.tag.name,
        description: `Articles tagged ${found.tag.name} on ${site.name}.`,
        path: page > 1 ? `${path}?page=${page}` : path,
        lang: cjkLang(found.tag.name),
        feeds: { title: `${site.name}: ${found.tag.name}`, rss: `${path}/feed.xml`, atom: `${path}/atom.xml` },
      },
      listingBody({
        heading: `Tagged “${found.tag.name}”`,
        listing: found,
        path,
        empty: 'No published articles have this tag yet.',
      }),
    );
  });

  app.get<{ Params: { id: string } }>('/authors/:id', cached(list), async (request, reply) => {
    if (!/^\d{1,15}$/.test(request.params.id)) throw new NotFoundError('author');
    const id = Number(request.params.id);
    const page = parsePage(queryValue(request, 'page'));
    const found = await reader.author(id, page);
    const path = authorPath(id);
    return sendPage(
      reply,
      site,
      {
        title: found.author.name,
        description: found.author.bio ?? `Articles by ${found.author.name} on ${site.name}.`,
        path: page > 1 ? `${path}?page=${page}` : path,
      },
      listingBody({
        heading: found.author.name,
        intro: found.author.bio ? html`<p class="bio">${found.author.bio}</p>` : undefined,
        listing: found,
        path,
        empty: 'No published articles yet.',
      }),
    );
  });

  app.get('/search', cached(list), async (request, reply) => {
    // Long queries are cut rather than refused: the search only looks at the first words anyway.
    const q = truncate(queryValue(request, 'q') ?? '', 200);
    const page = parsePage(queryValue(request, 'page'));
    const listing = await reader.search(q, page);
    const heading = q === '' ? 'Search' : `Results for “${q}”`;
    return sendPage(
      reply,
      site,
      { title: heading, description: heading, path: '/search', noindex: true, lang: cjkLang(q) },
      listingBody({
        heading,
        intro: html`<p class="count">${q === '' ? 'Type words to look for.' : `${listing.total} found`}</p>`,
        listing,
        path: '/search',
        query: { q },
        empty: q === '' ? '' : 'Nothing matched. Try other words.',
      }),
    );
  });
}
