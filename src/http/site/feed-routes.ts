import type { FastifyInstance } from 'fastify';
import type { PageCache } from '../page-cache/page-cache.js';
import type { SiteReader } from '../../services/site/site-reader.js';
import { cacheTag } from '../../services/content-changes.js';
import type { SiteInfo } from './templates/layout.js';
import { atomFeed, robotsTxt, rssFeed, sitemapXml, type FeedInfo } from './templates/feeds.js';
import { tagPath } from './templates/parts.js';

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';

/** RSS 2.0 and Atom (site-wide and per tag), the sitemap and robots.txt. */
export function registerFeedRoutes(
  app: FastifyInstance,
  deps: { reader: SiteReader; site: SiteInfo; pageCache: PageCache },
) {
  const { reader, site } = deps;
  const hooks = deps.pageCache.route({ tags: [cacheTag.lists] });
  const cached = { onRequest: hooks.onRequest, onSend: hooks.onSend };
  const siteFeed: FeedInfo = { title: site.name, pagePath: '/', rssPath: '/feed.xml', atomPath: '/atom.xml' };
  const tagFeed = (tag: { name: string; slug: string }): FeedInfo => ({
    title: `${site.name}: ${tag.name}`,
    pagePath: tagPath(tag.slug),
    rssPath: `${tagPath(tag.slug)}/feed.xml`,
    atomPath: `${tagPath(tag.slug)}/atom.xml`,
  });

  app.get('/feed.xml', cached, async (_request, reply) =>
    reply.type(RSS).send(rssFeed(site, siteFeed, (await reader.feed()).items)),
  );
  app.get('/atom.xml', cached, async (_request, reply) =>
    reply.type(ATOM).send(atomFeed(site, siteFeed, (await reader.feed()).items)),
  );
  app.get<{ Params: { slug: string } }>('/tags/:slug/feed.xml', cached, async (request, reply) => {
    const { items, tag } = await reader.feed(request.params.slug);
    return reply.type(RSS).send(rssFeed(site, tagFeed(tag!), items));
  });
  app.get<{ Params: { slug: string } }>('/tags/:slug/atom.xml', cached, async (request, reply) => {
    const { items, tag } = await reader.feed(request.params.slug);
    return reply.type(ATOM).send(atomFeed(site, tagFeed(tag!), items));
  });
  app.get('/sitemap.xml', cached, async (_request, reply) => {
    const { articles, tags } = await reader.sitemap();
    return reply.type('application/xml; charset=utf-8').send(sitemapXml(site, articles, tags));
  });
  // Depends on configuration only: no cache entry needed, a CDN or browser may keep it for an hour.
  const robots = robotsTxt(site);
  app.get('/robots.txt', (_request, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(robots),
  );
}
