import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, poll, screenshot, startLiveSite, type LiveSite } from '../support/browser.js';

// The site settings form in a real chromium: a change reaches the API; the API's 422 field
// errors appear next to their fields and nothing is saved.

describe('site settings in chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let site: LiveSite;

  beforeAll(async () => {
    site = await startLiveSite();
  });
  afterAll(() => site?.close());

  const stored = () => site.test.app.blog.settings.get();

  it('changes the title; shows the 422 for 0 articles per page next to its field and saves nothing', async () => {
    const before = await stored();
    const page = await site.browser.freshPage({ as: site.users.admin });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${site.url}/admin/settings`);
    const title = page.getByLabel('Site title');
    await poll(() => title.inputValue()).toBe(before.title);
    expect(await page.getByLabel('Articles per page').inputValue()).toBe(String(before.postsPerPage));
    expect(await page.getByLabel('Readers may post comments').isChecked()).toBe(before.commentsOpen);

    await title.fill('Notes from the browser');
    await page.getByLabel('Description').fill('Written through the settings form.');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe('Settings saved.');
    expect(await stored()).toMatchObject({
      title: 'Notes from the browser',
      description: 'Written through the settings form.',
      postsPerPage: before.postsPerPage,
    });
    // Everybody reads the new title from the API (the public pages do not use the settings yet).
    expect(await (await fetch(`${site.url}/api/settings`)).json()).toMatchObject({ title: 'Notes from the browser' });

    const perPage = page.getByLabel('Articles per page');
    await perPage.fill('0');
    await title.fill('Not saved either');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const fieldError = page.locator('#s-postsPerPage-error');
    await poll(() => fieldError.isVisible()).toBe(true);
    expect(await fieldError.textContent()).toBe('a whole number from 1 to 50');
    expect(await perPage.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#s-title-error').isVisible()).toBe(false);
    expect(await page.getByRole('alert').textContent()).toBe('the settings are not valid: see the marked fields.');
    await screenshot(page, 'settings-422');
    // One bad field refuses the whole patch.
    expect((await stored()).title).toBe('Notes from the browser');

    // Fixing the field clears its error on the next save.
    await perPage.fill('7');
    await page.getByLabel('Readers may post comments').setChecked(!before.commentsOpen);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe('Settings saved.');
    expect(await fieldError.isVisible()).toBe(false);
    expect(await perPage.getAttribute('aria-invalid')).toBeNull();
    expect(await stored()).toMatchObject({
      title: 'Not saved either',
      postsPerPage: 7,
      commentsOpen: !before.commentsOpen,
    });
    expect(site.browser.pageErrors).toEqual([]);
  });

  it('a title of spaces only is refused next to the title field', async () => {
    const page = await site.browser.freshPage({ as: site.users.admin });
    await page.goto(`${site.url}/admin/settings`);
    const title = page.getByLabel('Site title');
    await poll(() => title.inputValue()).not.toBe('');
    await title.fill('   ');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await poll(() => page.locator('#s-title-error').textContent()).toBe('1 to 120 characters');
    expect(await page.locator('#s-postsPerPage-error').isVisible()).toBe(false);
  });

  it('an author gets the 403 page and no Settings link', async () => {
    const page = await site.browser.freshPage({ as: site.users.author });
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    const res = await page.goto(`${site.url}/admin/settings`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Not allowed');
  });
});
