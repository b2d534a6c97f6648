import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BROWSER_TEST_TIMEOUT_MS, poll, screenshot, startLiveSite, type LiveSite } from '../support/browser.js';

// The admin UI in a real chromium against a real server on SQLite: every step goes through the pages' own
// JavaScript and the JSON API, exactly as a person would use it.

describe('admin UI in chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let site: LiveSite;
  let page: Page;

  beforeAll(async () => {
    site = await startLiveSite();
  });
  afterAll(() => site?.close());

  it('a wrong password shows the error and stays on the login page', async () => {
    page = await site.browser.freshPage();
    await page.goto(`${site.url}/admin`);
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin$/);
    await page.getByLabel('Email').fill(site.users.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await poll(() => alert.textContent()).toBe('email or password is wrong');
    expect(page.url()).toContain('/admin/login');
    await screenshot(page, 'admin-01-login-wrong-password');
  });

  it('signs in with the keyboard alone and lands where it was going', async () => {
    page = await site.browser.freshPage();
    await page.goto(`${site.url}/admin/articles?status=draft`);
    await page.waitForURL(/\/admin\/login/);
    // The email field has focus on arrival (autofocus, which a loaded machine may apply a moment after the load
    // event: typing before it would go nowhere); then type, Tab, type, Enter.
    await poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('email');
    await page.keyboard.type(site.users.admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(site.users.admin.password);
    await page.keyboard.press('Enter');
    // Signing in checks an argon2 hash: on two cores busy with the rest of the suite that alone can take seconds.
    await page.waitForURL(`${site.url}/admin/articles?status=draft`, { timeout: 30_000 });
    await poll(() => page.locator('h1').textContent()).toBe('Articles');
    // Focus is visible: the focused link gets an outline.
    await page.keyboard.press('Tab');
    // (Browser-side code as strings: the test program is typed for Node, not the DOM.)
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
  });

  it('writes an article with live preview, saves, publishes, schedules and unpublishes', async () => {
    page = await site.browser.freshPage({ as: site.users.admin });
    await page.getByRole('link', { name: 'Write a new article' }).click();
    await page.waitForURL(`${site.url}/admin/articles/new`);
    await page.getByLabel('Title').fill('Browser-written article');
    await page.getByLabel(/^Tags/).fill('Testing, Browsers');
    await page.getByLabel('Markdown').fill('## Hello\n\nA **bold** claim.<script>window.pwned = 1</script>');
    const preview = page.locator('#preview');
    await poll(() => preview.innerHTML()).toContain('<h2>Hello</h2>');
    expect(await preview.innerHTML()).toContain('<strong>bold</strong>');
    expect(await preview.innerHTML()).not.toContain('script');
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await screenshot(page, 'admin-02-editor-preview');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    await poll(() => page.locator('#status').textContent()).toBe('draft');
    expect(await page.locator('h1').textContent()).toBe('Edit article');
    expect(await page.getByRole('button', { name: 'Unpublish' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Remove cover' }).isVisible()).toBe(false);
    const id = Number(/(\d+)$/.exec(page.url())![1]);
    const saved = await site.test.app.blog.articles.get({ id: site.users.admin.id, role: 'admin' }, { id });
    expect(saved).toMatchObject({ title: 'Browser-written article', status: 'draft' });
    expect(saved.tags.map((t) => t.name).sort()).toEqual(['Browsers', 'Testing']);

    await page.getByRole('button', { name: 'Publish now' }).click();
    await poll(() => page.locator('#status').textContent()).toBe('published');
    await poll(() => page.getByRole('link', { name: 'View on site' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Publish now' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Schedule' }).isVisible()).toBe(false);
    await screenshot(page, 'admin-03-editor-published');

    await page.getByRole('button', { name: 'Unpublish' }).click();
    await poll(() => page.locator('#status').textContent()).toBe('draft');

    const later = new Date(Date.now() + 3 * 86_400_000);
    const local = new Date(later.getTime() - later.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Publish at').fill(local);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await poll(() => page.locator('#status').textContent()).toBe('scheduled');

    // The list's status filter finds it under Scheduled and not under Drafts.
    await page.goto(`${site.url}/admin/articles`);
    await page.getByRole('link', { name: 'Scheduled' }).click();
    await poll(() => page.locator('#articles tbody tr').count()).toBe(1);
    expect(await page.locator('#articles tbody').textContent()).toContain('Browser-written article');
    await page.getByRole('link', { name: 'Drafts' }).click();
    await poll(() => page.locator('#articles-empty').isVisible()).toBe(true);
    await screenshot(page, 'admin-04-articles-filter');
  });

  it("a failed save shows the API's own error message", async () => {
    page = await site.browser.freshPage({ as: site.users.editor });
    await page.goto(`${site.url}/admin/articles/new`);
    await page.getByLabel('Markdown').fill('A body but no title.');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.locator('#flash');
    await poll(() => alert.textContent()).toMatch(/^the request is not valid \(\/title: /);
    expect(page.url()).toBe(`${site.url}/admin/articles/new`);
    await screenshot(page, 'admin-05-failed-save');
  });

  it('an author sees no Users or Comments section, and the page refuses them', async () => {
    page = await site.browser.freshPage({ as: site.users.author });
    const nav = page.getByRole('navigation', { name: 'Admin sections' });
    await poll(() => nav.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Articles', 'Media']);
    const res = await page.goto(`${site.url}/admin/users`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Not allowed');
    await screenshot(page, 'admin-06-author-no-users');
  });

  it('moderates the comment queue: approve, spam, delete', async () => {
    const admin = { id: site.users.admin.id, role: 'admin' as const };
    const blog = site.test.app.blog;
    const article = await blog.articles.create(admin, { title: 'Open for comments', markdown: 'Say hi.' });
    await blog.articles.publish(admin, article.id);
    for (const [i, name] of ['Alice', 'Bob', 'Carol'].entries()) {
      await blog.comments.post(
        article.id,
        { name, email: `${name.toLowerCase()}@example.com`, body: `Comment ${i} from ${name}` },
        { ip: `10.0.0.${i + 1}`, userAgent: 'test' },
      );
    }
    page = await site.browser.freshPage({ as: site.users.editor });
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Comments' }).click();
    await poll(() => page.locator('#comments > li').count()).toBe(3);
    await screenshot(page, 'admin-07-moderation-queue');
    const item = (name: string) => page.locator('#comments > li', { hasText: name });
    await item('Alice').getByRole('button', { name: 'Approve' }).click();
    await item('Bob').getByRole('button', { name: 'Spam' }).click();
    page.once('dialog', (d) => void d.accept());
    await item('Carol').getByRole('button', { name: 'Delete' }).click();
    await poll(() => page.locator('#comments > li').count()).toBe(0);
    const approved = (await blog.comments.listApproved(article.id, 1, 50)).items;
    expect(approved.map((c) => c.author_name)).toEqual(['Alice']);
    await page.getByRole('link', { name: 'Spam' }).click();
    await expect
      .poll(() => page.locator('#comments > li').allTextContents())
      .toEqual([expect.stringContaining('Comment 1 from Bob')]);
  });

  it('an admin adds a user and changes a role; a bad one shows the API error', async () => {
    page = await site.browser.freshPage({ as: site.users.admin });
    await page.getByRole('link', { name: 'Users' }).click();
    await poll(() => page.locator('#users tbody tr').count()).toBe(3);
    await page.getByLabel('Email').fill('newcomer@example.com');
    await page.getByLabel('Name').fill('Newcomer');
    await page.getByLabel('Role', { exact: true }).selectOption('author');
    await page.getByLabel(/^Password/).fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await poll(() => page.locator('#flash').textContent()).toContain('the request is not valid');
    await page.getByLabel(/^Password/).fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await poll(() => page.locator('#users tbody tr').count()).toBe(4);
    await page.getByLabel('Role of newcomer@example.com').selectOption('editor');
    await poll(() => page.locator('#flash').textContent()).toBe('newcomer@example.com is now editor.');
    const users = await site.test.app.blog.users.list({ id: site.users.admin.id, role: 'admin' });
    expect(users.find((u) => u.email === 'newcomer@example.com')?.role).toBe('editor');
    await screenshot(page, 'admin-08-users');
  });

  it('fits a phone screen: the editor stacks its panes', async () => {
    page = await site.browser.freshPage({ viewport: { width: 390, height: 844 }, as: site.users.author });
    await page.goto(`${site.url}/admin/articles/new`);
    const markdown = await page.getByLabel('Markdown').boundingBox();
    const preview = await page.locator('#preview').boundingBox();
    expect(preview!.y).toBeGreaterThan(markdown!.y + markdown!.height - 1);
    const wide = await page.evaluate(`[...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .map((e) => e.tagName + '#' + e.id + '.' + e.className)`);
    expect(wide).toEqual([]);
    await screenshot(page, 'admin-09-phone-editor');
  });

  it('no page threw or broke its CSP along the way', () => {
    expect(site.browser.pageErrors).toEqual([]);
  });
});
