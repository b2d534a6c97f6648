import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCsp } from '../../../src/http/admin/headers.js';
import { startAdmin, type AdminHarness } from './admin-server.js';

describe('admin pages (inject)', () => {
  let h: AdminHarness;
  let admin: { cookie: string; csrf: string };
  let author: { cookie: string; csrf: string };
  let editor: { cookie: string; csrf: string };
  beforeAll(async () => {
    h = await startAdmin();
    admin = await h.signIn(h.api.users.admin);
    author = await h.signIn(h.api.users.author);
    editor = await h.signIn(h.api.users.editor);
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (url: string, cookie?: string) =>
    h.server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it.each([
    ['/admin', '/admin/login?next=%2Fadmin'],
    ['/admin/', '/admin/login?next=%2Fadmin%2F'],
    ['/admin/articles?status=draft', '/admin/login?next=%2Fadmin%2Farticles%3Fstatus%3Ddraft'],
    ['/admin/articles/new', '/admin/login?next=%2Fadmin%2Farticles%2Fnew'],
    ['/admin/articles/7', '/admin/login?next=%2Fadmin%2Farticles%2F7'],
    ['/admin/comments', '/admin/login?next=%2Fadmin%2Fcomments'],
    ['/admin/media', '/admin/login?next=%2Fadmin%2Fmedia'],
    ['/admin/users', '/admin/login?next=%2Fadmin%2Fusers'],
  ])('anonymous %s redirects to the login page', async (url, location) => {
    const res = await get(url);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(location);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('a stale or forged session cookie also redirects to login', async () => {
    const res = await get('/admin', 'inkstone_session=not-a-real-session');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin');
  });

  it('the login page: no-store, a CSP allowing only our own scripts, labelled inputs', async () => {
    const res = await get('/admin/login?next=%2Fadmin%2Fmedia');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.body).toContain('<label for="email">');
    expect(res.body).toContain('<label for="password">');
    expect(res.body).toContain('data-next="/admin/media"');
    // No inline script at all: every <script> has a src under /admin/assets/.
    expect(res.body.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="/admin/assets/login.js">']);
  });

  it.each(['//evil.example/admin', 'https://evil.example/', '/elsewhere', '/admin/login', '/admin\\@evil'])(
    'the login page never sends anyone off the admin (next=%s)',
    async (next) => {
      const res = await get(`/admin/login?next=${encodeURIComponent(next)}`);
      expect(res.body).toContain('data-next="/admin"');
    },
  );

  it('a signed-in user opening the login page goes on to the admin', async () => {
    const res = await get('/admin/login?next=%2Fadmin%2Farticles', admin.cookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/articles');
  });

  it('an admin sees every section; the page holds no session secret', async () => {
    const res = await get('/admin', admin.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const href of ['/admin/articles', '/admin/comments', '/admin/media', '/admin/users']) {
      expect(res.body).toContain(`href="${href}"`);
    }
    expect(res.body).not.toContain(admin.csrf);
    expect(res.body).not.toContain(admin.cookie.split('=')[1]);
    expect(res.body).toContain('<script type="module" src="/admin/assets/dashboard.js">');
  });

  it('an author sees neither Users nor Comments, and cannot open them', async () => {
    const page = await get('/admin/articles', author.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('href="/admin/users"');
    expect(page.body).not.toContain('href="/admin/comments"');
    for (const url of ['/admin/users', '/admin/comments']) {
      const res = await get(url, author.cookie);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<h1>Not allowed</h1>');
    }
  });

  it('an editor moderates comments but does not manage users', async () => {
    expect((await get('/admin/comments', editor.cookie)).statusCode).toBe(200);
    const users = await get('/admin/users', editor.cookie);
    expect(users.statusCode).toBe(403);
    expect((await get('/admin', editor.cookie)).body).not.toContain('href="/admin/users"');
  });

  it('every page renders for an admin with its own module', async () => {
    for (const [url, script] of [
      ['/admin/articles', 'articles.js'],
      ['/admin/articles?status=scheduled', 'articles.js'],
      ['/admin/articles/new', 'editor.js'],
      ['/admin/articles/12', 'editor.js'],
      ['/admin/comments?status=spam', 'comments.js'],
      ['/admin/media', 'media.js'],
      ['/admin/users', 'users.js'],
    ] as const) {
      const res = await get(url, admin.cookie);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain(`src="/admin/assets/${script}"`);
    }
    expect((await get('/admin/articles/12', admin.cookie)).body).toContain('data-article-id="12"');
    expect((await get('/admin/articles?status=scheduled', admin.cookie)).body).toContain('data-status="scheduled"');
  });

  it.each([
    ['/admin/nope', 404],
    ['/admin/articles/abc', 404],
    ['/admin/articles/0', 404],
    ['/admin/articles/12/extra', 404],
    ['/admin/articles?status=bogus', 400],
    ['/admin/articles?status=draft&status=published', 400],
    ['/admin/comments?status=draft', 400],
  ])('%s answers %i with an HTML error page and the admin headers', async (url, status) => {
    const res = await get(url, admin.cookie);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<!doctype html>');
  });

  it('an unknown admin URL is a 404 page even when anonymous', async () => {
    const res = await get('/admin/no/such/page');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<h1>Not found</h1>');
  });

  it('serves its static files with their types, and nothing else', async () => {
    const js = await get('/admin/assets/common.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('export async function api');
    const css = await get('/admin/assets/admin.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of ['/admin/assets/nope.js', '/admin/assets/..%2Froutes.ts', '/admin/assets/%2e%2e%2fpages.ts']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });

  it('names a media origin in img-src only when media lives elsewhere', () => {
    expect(adminCsp('/media')).toContain("img-src 'self' data: blob:;");
    expect(adminCsp('https://cdn.example.com/blog-media')).toContain(
      "img-src 'self' data: blob: https://cdn.example.com;",
    );
  });
});
