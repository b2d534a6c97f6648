import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_TIMEOUT_MS, poll, screenshot, signIn, startLiveSite, type LiveSite } from '../support/browser.js';

// Issue 4, item 5, end to end in chromium: an admin writes and publishes an article with an uploaded cover image,
// the public site lists it and the feed carries it, a reader comments through the article page, the admin
// approves the comment in the moderation queue and the reader then sees it. It needs the media API and the public
// site (see the shared contract), so it passes once all three parts are together.

describe('publish flow in chromium: admin → site → reader → moderation', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let site: LiveSite;
  let admin: Page;
  let reader: Page;
  const title = 'A flow from the browser';
  const commentText = 'Lovely article, thanks from a reader!';
  let slug = '';

  beforeAll(async () => {
    site = await startLiveSite();
    admin = await site.browser.newPage();
    reader = await site.browser.newPage({ viewport: { width: 1024, height: 800 } });
  });
  afterAll(() => site?.close());

  it('1. the admin signs in', async () => {
    await signIn(admin, site.url, site.users.admin);
    await poll(() => admin.locator('#stats li').count()).toBeGreaterThan(0);
    await screenshot(admin, 'flow-01-dashboard');
  });

  it('2. writes a new article and uploads an image as its cover', async () => {
    await admin.goto(`${site.url}/admin/articles/new`);
    await admin.getByLabel('Title').fill(title);
    await admin.getByLabel(/^Tags/).fill('Flow');
    await admin.getByLabel('Markdown').fill('This article was **written in a browser**.\n\n- one\n- two');
    await poll(() => admin.locator('#preview').innerHTML()).toContain('<strong>written in a browser</strong>');
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c85028' } })
      .png()
      .toBuffer();
    await admin.getByLabel('Alt text').fill('An orange square');
    await admin
      .getByLabel('Upload a new image')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    const cover = admin.locator('#cover-image');
    // An upload the API refused shows its message in the alert region: report that instead of just timing out.
    const refused = admin.locator('#flash.flash-error');
    await poll(
      async () => ((await refused.isVisible()) ? `refused: ${await refused.textContent()}` : cover.getAttribute('src')),
      15_000,
    ).toMatch(/^\/media\//);
    expect(await cover.getAttribute('alt')).toBe('An orange square');
    await screenshot(admin, 'flow-02-editor-with-cover');
  });

  it('3. saves and publishes it', async () => {
    await admin.getByRole('button', { name: 'Publish now' }).click();
    await poll(() => admin.locator('#status').textContent()).toBe('published');
    const id = Number(/\/admin\/articles\/(\d+)$/.exec(admin.url())![1]);
    const article = await site.test.app.blog.articles.get(undefined, { id });
    expect(article.cover_media_id).not.toBeNull();
    slug = article.slug;
    await screenshot(admin, 'flow-03-published');
  });

  it('4. the home page lists it', async () => {
    await reader.goto(`${site.url}/`);
    const card = reader.locator('article.post-card', { hasText: title });
    await poll(() => card.locator('h2 a').textContent()).toBe(title);
    expect(await card.locator('h2 a').getAttribute('href')).toContain(`/articles/${slug}`);
    await screenshot(reader, 'flow-04-home');
  });

  it('5. the RSS feed carries it', async () => {
    const res = await reader.request.get(`${site.url}/feed.xml`);
    expect(res.status()).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`<title>${title}</title>`);
    expect(xml).toContain(`/articles/${slug}`);
  });

  it('6. a reader posts a comment through the article page; it waits for moderation', async () => {
    await reader.goto(`${site.url}/articles/${slug}`);
    expect(await reader.locator('h1').textContent()).toBe(title);
    expect(await reader.locator('img[src^="/media/"]').count()).toBeGreaterThan(0);
    const form = reader.locator('#comments form');
    await form.locator('[name="name"]').fill('Rita Reader');
    await form.locator('[name="email"]').fill('rita@example.com');
    await form.locator('[name="body"]').fill(commentText);
    await form.locator('button[type="submit"], input[type="submit"]').first().click();
    await reader.waitForURL(/\?comment=pending#comments$/);
    expect(await reader.locator('#comments').textContent()).not.toContain(commentText);
    await screenshot(reader, 'flow-05-comment-pending');
  });

  it('7. the admin approves it in the moderation queue', async () => {
    await admin.goto(`${site.url}/admin/comments`);
    const item = admin.locator('#comments > li', { hasText: commentText });
    await item.getByRole('button', { name: 'Approve' }).click();
    await poll(() => item.count()).toBe(0);
    await screenshot(admin, 'flow-06-approved');
  });

  it('8. the reader sees the approved comment on the article page', async () => {
    await reader.goto(`${site.url}/articles/${slug}`);
    await poll(() => reader.locator('#comments').textContent()).toContain(commentText);
    await screenshot(reader, 'flow-07-comment-shown');
  });
});
