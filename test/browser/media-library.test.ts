import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_TIMEOUT_MS, poll, screenshot, startLiveSite, type LiveSite } from '../support/browser.js';

// The media library page against the media API of the shared contract (POST/GET/DELETE /api/media).

describe('media library in chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let site: LiveSite;
  let page: Page;

  beforeAll(async () => {
    site = await startLiveSite();
    page = await site.browser.newPage({ as: site.users.author });
    await page.goto(`${site.url}/admin/media`);
  });
  afterAll(() => site?.close());

  it('uploads an image with alt text and lists it', async () => {
    await poll(() => page.locator('#media-empty').isVisible()).toBe(true);
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a7' } })
      .jpeg()
      .toBuffer();
    await page.getByLabel('Image').setInputFiles({ name: 'green.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByLabel('Alt text').fill('A green field');
    await page.getByRole('button', { name: 'Upload' }).click();
    await poll(() => page.locator('#flash').textContent()).toBe('Uploaded.');
    const card = page.locator('#media > li', { hasText: 'green.jpg' });
    await poll(() => card.count()).toBe(1);
    expect(await card.locator('img').getAttribute('alt')).toBe('A green field');
    expect(await card.textContent()).toContain('640×480');
    await screenshot(page, 'media-01-library');
  });

  it('shows the API refusal of a file that is not an image', async () => {
    await page.getByLabel('Image').setInputFiles({
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('plain text pretending to be a PNG'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await poll(() => page.locator('#flash.flash-error').isVisible()).toBe(true);
    expect(await page.locator('#media > li').count()).toBe(1);
    await screenshot(page, 'media-02-refused');
  });

  it('the editor picks it from the library as an article cover', async () => {
    await page.goto(`${site.url}/admin/articles/new`);
    await page.getByLabel('Title').fill('With a cover from the library');
    await page.getByRole('button', { name: 'Choose from library' }).click();
    await page.getByRole('button', { name: 'Use green.jpg as cover' }).click();
    await poll(() => page.locator('#cover-image').getAttribute('alt')).toBe('A green field');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    const id = Number(/(\d+)$/.exec(page.url())![1]);
    const media = await (await page.request.get(`${site.url}/api/media?limit=5`)).json();
    const article = await site.test.app.blog.articles.get({ id: site.users.author.id, role: 'author' }, { id });
    expect(article.cover_media_id).toBe(media.data[0].id);
    await screenshot(page, 'media-03-cover-picked');
    // Removing the cover and saving clears it.
    await page.getByRole('button', { name: 'Remove cover' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.locator('#flash').textContent()).toBe('Saved.');
    const after = await site.test.app.blog.articles.get({ id: site.users.author.id, role: 'author' }, { id });
    expect(after.cover_media_id).toBeNull();
    await page.goto(`${site.url}/admin/media`);
  });

  it('deletes the image', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete green.jpg' }).click();
    await poll(() => page.locator('#media > li').count()).toBe(0);
    const res = await page.request.get(`${site.url}/api/media?limit=5`);
    expect((await res.json()).meta.total).toBe(0);
  });
});
