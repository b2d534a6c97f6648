import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApi, type ApiHarness } from '../../support/api.js';
import { publish, type Published } from './helpers.js';
import { launchChromium } from '../../support/browser.js';

// A real browser reads what the site serves: its strict XML parser checks the feeds and sitemap, its layout
// engine checks the pages on a phone-sized screen.
const HOSTILE = `Tom & Jerry <b>"quoted"</b> 'it''s' ]]> </title>`;
const CJK = '数据库备份：一篇很长很长的中文标题，用来检查换行是否正确，不会把页面撑宽到屏幕以外的地方';

interface XmlReport {
  error: string | null;
  root: string;
  channelTitle: string | undefined;
  titles: string[];
  categories: string[];
  locs: string[];
}

interface PageReport {
  overflow: number;
  lang: string;
  h1: number;
  unlabelled: string[];
  imagesWithoutAlt: number;
  css: string;
}

// No skip when chromium is missing: launchChromium fails with what to install (scripts/ci/tools.sh).
describe('public site in chromium', () => {
  let h: ApiHarness;
  let base: string;
  let browser: Browser;
  let page: Page;
  let cjk: Published;

  beforeAll(async () => {
    h = await startApi('sqlite', { APP_NAME: 'Inkstone & Co <test>' }, { web: true });
    base = await h.server.listen({ host: '127.0.0.1', port: 0 });
    await publish(h, h.users.author, { title: HOSTILE, markdown: 'x', tags: ['数据库', 'a&b'] });
    cjk = await publish(h, h.users.author, {
      title: CJK,
      markdown: `${'中文段落'.repeat(200)}\n\n\`\`\`\n${'wide_code_line_'.repeat(40)}\n\`\`\`\n\n| a | b |\n|---|---|\n| ${'长'.repeat(300)} | y |`,
      tags: ['数据库'],
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${base}/robots.txt`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function parseXml(path: string) {
    const r = await h.call({ method: 'GET', url: path });
    expect(r.statusCode, path).toBe(200);
    // Browser-side code as text: the project's types are Node's, not the DOM's.
    return page.evaluate<XmlReport>(
      `((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const text = (selector) => [...doc.querySelectorAll(selector)].map((n) => n.textContent ?? '');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        channelTitle: text('channel > title, feed > title')[0],
        titles: text('item > title, entry > title'),
        categories: text('item > category').concat(
          [...doc.querySelectorAll('entry > category')].map((n) => n.getAttribute('label') ?? ''),
        ),
        locs: text('url > loc'),
      };
    })(${JSON.stringify(r.body)})`,
    );
  }

  it('RSS and Atom feeds (site-wide and per tag) are well-formed and read back the exact titles', async () => {
    for (const [path, root] of [
      ['/feed.xml', 'rss'],
      ['/atom.xml', 'feed'],
      [`/tags/${encodeURIComponent('数据库')}/feed.xml`, 'rss'],
      [`/tags/${encodeURIComponent('数据库')}/atom.xml`, 'feed'],
    ] as const) {
      const feed = await parseXml(path);
      expect(feed.error, path).toBeNull();
      expect(feed.root).toBe(root);
      expect(feed.titles, path).toEqual([CJK, HOSTILE]);
      expect(feed.channelTitle).toContain('Inkstone & Co <test>');
      expect(feed.categories).toContain('a&b');
    }
    const unknown = await h.call({ method: 'GET', url: '/tags/nope/feed.xml' });
    expect(unknown.statusCode).toBe(404);
  });

  it('the sitemap is well-formed and lists the home page, every live article and tag', async () => {
    const map = await parseXml('/sitemap.xml');
    expect(map.error).toBeNull();
    expect(map.root).toBe('urlset');
    expect(map.locs).toContain(`${h.app.config.appUrl}/`);
    expect(map.locs).toContain(`${h.app.config.appUrl}/articles/${encodeURIComponent(cjk.slug)}`);
    expect(map.locs).toContain(`${h.app.config.appUrl}/tags/${encodeURIComponent('数据库')}`);
    expect(map.locs).toHaveLength(1 + 2 + 2);
    const robots = await h.call({ method: 'GET', url: '/robots.txt' });
    expect(robots.body).toContain(`Sitemap: ${h.app.config.appUrl}/sitemap.xml`);
  });

  it('on a phone-sized screen nothing is wider than the screen, and the page is labelled for assistive tech', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/', `/articles/${encodeURIComponent(cjk.slug)}`, '/search?q=x', '/no-such-page']) {
      await page.goto(`${base}${path}`);
      const report = await page.evaluate<PageReport>(`(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        lang: document.documentElement.lang,
        h1: document.querySelectorAll('h1').length,
        unlabelled: [...document.querySelectorAll('input:not([type=hidden]), textarea')]
          .filter((el) => !(el.id && document.querySelector('label[for="' + el.id + '"]')))
          .map((el) => el.outerHTML),
        imagesWithoutAlt: document.querySelectorAll('img:not([alt])').length,
        css: getComputedStyle(document.body).fontFamily,
      }))()`);
      expect(report.overflow, path).toBeLessThanOrEqual(0);
      expect(report.h1, path).toBe(1);
      expect(report.unlabelled, path).toEqual([]);
      expect(report.imagesWithoutAlt, path).toBe(0);
      // The fingerprinted stylesheet loaded (system fonts with CJK fallbacks).
      expect(report.css, path).toContain('PingFang SC');
      expect(report.lang, path).not.toBe('');
    }
    await page.goto(`${base}/articles/${encodeURIComponent(cjk.slug)}`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh');
    expect(await page.title()).toBe(`${CJK} · Inkstone & Co <test>`);
  });

  it('a reader can post a comment with the form alone (no script needed)', async () => {
    await page.goto(`${base}/articles/${encodeURIComponent(cjk.slug)}`);
    await page.fill('#c-name', '读者');
    await page.fill('#c-email', 'reader@example.com');
    await page.fill('#c-body', '写得好！');
    await Promise.all([page.waitForURL(/comment=pending/), page.click('.comment-form button[type=submit]')]);
    expect(await page.textContent('#comments [role=status]')).toContain('waits for moderation');
  });
});
