import { html, type SafeHtml } from '../html.js';
import { truncate } from '../text.js';
import { formatIso } from '../../../domain/iso-date.js';

/** What every page knows about the site it belongs to. */
export interface SiteInfo {
  name: string;
  /** The site's description setting ('' when unset): the home page's meta description and the feeds'. */
  description: string;
  /** Absolute base URL, no trailing slash (canonical links, OpenGraph, feeds). */
  url: string;
  /** The fingerprinted stylesheet, e.g. /assets/site.3f2a9c1b.css. */
  cssHref: string;
}

export interface PageMeta {
  title: string;
  description: string;
  /** Path of the canonical URL (made absolute with SiteInfo.url). */
  path: string;
  type?: 'website' | 'article';
  image?: string;
  lang?: string;
  /** Feeds this page's content has (autodiscovery links). */
  feeds?: { title: string; rss: string; atom: string };
  publishedAt?: Date;
  /** Search results and error pages are not for search engines. */
  noindex?: boolean;
}

export function absolute(site: SiteInfo, pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${site.url}${pathOrUrl}`;
}

export function layout(site: SiteInfo, meta: PageMeta, main: SafeHtml): string {
  const title = meta.title === site.name ? site.name : `${meta.title} · ${site.name}`;
  const description = truncate(meta.description, 160);
  const canonical = absolute(site, meta.path);
  const feeds = meta.feeds ?? { title: site.name, rss: '/feed.xml', atom: '/atom.xml' };
  const image = meta.image === undefined ? undefined : absolute(site, meta.image);
  return html`<!doctype html>
    <html lang="${meta.lang ?? 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <meta name="description" content="${description}" />
        <link rel="canonical" href="${canonical}" />
        ${meta.noindex ? html`<meta name="robots" content="noindex" />` : ''}
        <meta property="og:site_name" content="${site.name}" />
        <meta property="og:type" content="${meta.type ?? 'website'}" />
        <meta property="og:title" content="${meta.title}" />
        <meta property="og:description" content="${description}" />
        <meta property="og:url" content="${canonical}" />
        ${image ? html`<meta property="og:image" content="${image}" />` : ''}
        ${meta.publishedAt ? html`<meta property="article:published_time" content="${formatIso(meta.publishedAt)}" />` : ''}
        <meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}" />
        <meta name="twitter:title" content="${meta.title}" />
        <meta name="twitter:description" content="${description}" />
        ${image ? html`<meta name="twitter:image" content="${image}" />` : ''}
        <link
          rel="alternate"
          type="application/rss+xml"
          title="${feeds.title} (RSS)"
          href="${absolute(site, feeds.rss)}"
        />
        <link
          rel="alternate"
          type="application/atom+xml"
          title="${feeds.title} (Atom)"
          href="${absolute(site, feeds.atom)}"
        />
        <link rel="stylesheet" href="${site.cssHref}" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="wrap">
            <a class="brand" href="/">${site.name}</a>
            <form class="search" role="search" action="/search" method="get">
              <label for="q" class="visually-hidden">Search articles</label>
              <input id="q" type="search" name="q" placeholder="Search" maxlength="200" />
              <button type="submit">Search</button>
            </form>
          </div>
        </header>
        <main id="main" class="wrap">${main}</main>
        <footer class="site-footer">
          <div class="wrap"><a href="/feed.xml">RSS</a> · <a href="/atom.xml">Atom</a></div>
        </footer>
      </body>
    </html> `.value;
}
