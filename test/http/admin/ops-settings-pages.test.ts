import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdmin, type AdminHarness } from './admin-server.js';

// The admin-only pages (/admin/ops, /admin/settings): who may open them, who sees them in the navigation, their
// headers, and their shells (the modules that fill them are exercised in test/browser/).
describe('ops and settings pages (inject)', () => {
  let h: AdminHarness;
  const cookies = { admin: '', editor: '', author: '' };
  beforeAll(async () => {
    h = await startAdmin();
    for (const role of ['admin', 'editor', 'author'] as const)
      cookies[role] = (await h.signIn(h.api.users[role])).cookie;
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (url: string, cookie?: string) =>
    h.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it.each([
    ['/admin/ops', '/admin/login?next=%2Fadmin%2Fops'],
    ['/admin/settings', '/admin/login?next=%2Fadmin%2Fsettings'],
  ])('anonymous %s redirects to the login page, uncached', async (url, location) => {
    const res = await get(url);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(location);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['/admin/ops', 'ops.js', 'Operations'],
    ['/admin/settings', 'settings.js', 'Site settings'],
  ])('an admin opens %s: its own module, no inline script, no-store and the CSP', async (url, script, title) => {
    const res = await get(url, cookies.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body.match(/<script[^>]*>/g)).toEqual([`<script type="module" src="/admin/assets/${script}">`]);
    // The CSP forbids inline styles; the shells carry none for the browser to refuse.
    expect(res.body).not.toMatch(/\sstyle=/);
    expect(res.body).toContain(`<a href="${url}" aria-current="page">`);
  });

  it('the ops shell has a labelled region for each part; the settings form a field and error slot each', async () => {
    const ops = (await get('/admin/ops', cookies.admin)).body;
    for (const id of ['health', 'traffic', 'queue', 'backups', 'schedule', 'recent']) {
      expect(ops).toContain(`<h2 id="${id}-h">`);
      expect(ops).toContain(`id="${id}"`);
    }
    expect(ops).toContain('<button type="button" id="backup-now">Back up now</button>');
    const settings = (await get('/admin/settings', cookies.admin)).body;
    for (const name of ['title', 'description', 'postsPerPage', 'commentsOpen']) {
      expect(settings).toContain(`<label for="s-${name}">`);
      expect(settings).toContain(`aria-describedby="s-${name}-error"`);
      expect(settings).toContain(`id="s-${name}-error"`);
    }
  });

  it.each(['editor', 'author'] as const)(
    'an %s gets the 403 page for both and sees neither in the navigation',
    async (role) => {
      for (const url of ['/admin/ops', '/admin/settings']) {
        const res = await get(url, cookies[role]);
        expect(res.statusCode, url).toBe(403);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toContain('<h1>Not allowed</h1>');
        expect(res.body).not.toContain('ops.js');
      }
      const home = await get('/admin', cookies[role]);
      expect(home.statusCode).toBe(200);
      expect(home.body).not.toContain('href="/admin/ops"');
      expect(home.body).not.toContain('href="/admin/settings"');
    },
  );

  it('an admin sees both in the navigation of every page', async () => {
    const home = await get('/admin/articles', cookies.admin);
    expect(home.body).toContain('<li><a href="/admin/settings">Settings</a></li>');
    expect(home.body).toContain('<li><a href="/admin/ops">Ops</a></li>');
  });

  it('serves the new modules, and a nested path under /admin/ops is a 404 page', async () => {
    for (const file of ['ops.js', 'ops-charts.js', 'settings.js']) {
      const res = await get(`/admin/assets/${file}`);
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
    const res = await get('/admin/ops/extra', cookies.admin);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<h1>Not found</h1>');
  });
});
