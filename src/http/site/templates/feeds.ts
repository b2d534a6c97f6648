import type { Card } from '../../../services/site/site-reader.js';
import type { SitemapRow } from '../../../adapters/db/repositories/site-lookups.js';
import { escapeXml as x } from '../text.js';
import type { SiteInfo } from './layout.js';
import { articlePath, tagPath } from './parts.js';
import { formatIso } from '../../../domain/iso-date.js';

export interface FeedInfo {
  title: string;
  /** Path of the HTML page the feed follows (/ or /tags/:slug). */
  pagePath: string;
  /** Paths of the feed itself. */
  rssPath: string;
  atomPath: string;
}

const latest = (items: Card[]) =>
  items.reduce<Date>((max, a) => (a.updated_at > max ? a.updated_at : max), new Date(0));

export function rssFeed(site: SiteInfo, feed: FeedInfo, items: Card[]): string {
  const entries = items.map((a) => {
    const link = `${site.url}${articlePath(a.slug)}`;
    return `<item>
<title>${x(a.title)}</title>
<link>${x(link)}</link>
<guid isPermaLink="true">${x(link)}</guid>
<pubDate>${(a.published_at ?? a.updated_at).toUTCString()}</pubDate>
<dc:creator>${x(a.author_name)}</dc:creator>
${a.tags.map((t) => `<category>${x(t.name)}</category>`).join('\n')}
<description>${x(a.excerpt)}</description>
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${x(feed.title)}</title>
<link>${x(site.url + feed.pagePath)}</link>
<description>${x(feed.title)}</description>
<atom:link href="${x(site.url + feed.rssPath)}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${latest(items).toUTCString()}</lastBuildDate>
${entries.join('\n')}
</channel>
</rss>
`;
}

export function atomFeed(site: SiteInfo, feed: FeedInfo, items: Card[]): string {
  const entries = items.map((a) => {
    const link = `${site.url}${articlePath(a.slug)}`;
    return `<entry>
<id>${x(link)}</id>
<title>${x(a.title)}</title>
<link rel="alternate" type="text/html" href="${x(link)}"/>
<published>${formatIso(a.published_at ?? a.updated_at)}</published>
<updated>${formatIso(a.updated_at)}</updated>
<author><name>${x(a.author_name)}</name></author>
${a.tags.map((t) => `<category term="${x(t.slug)}" label="${x(t.name)}"/>`).join('\n')}
<summary>${x(a.excerpt)}</summary>
</entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${x(site.url + feed.pagePath)}</id>
<title>${x(feed.title)}</title>
<updated>${formatIso(latest(items))}</updated>
<link rel="self" type="application/atom+xml" href="${x(site.url + feed.atomPath)}"/>
<link rel="alternate" type="text/html" href="${x(site.url + feed.pagePath)}"/>
${entries.join('\n')}
</feed>
`;
}

export function sitemapXml(site: SiteInfo, articles: SitemapRow[], tags: string[]): string {
  const url = (path: string, lastmod?: Date) =>
    `<url><loc>${x(site.url + path)}</loc>${lastmod ? `<lastmod>${formatIso(lastmod)}</lastmod>` : ''}</url>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${[url('/'), ...articles.map((a) => url(articlePath(a.slug), a.updated_at)), ...tags.map((t) => url(tagPath(t)))].join('\n')}
</urlset>
`;
}

export function robotsTxt(site: SiteInfo): string {
  return `User-agent: *
Disallow: /admin
Disallow: /api/
Disallow: /search

Sitemap: ${site.url}/sitemap.xml
`;
}
