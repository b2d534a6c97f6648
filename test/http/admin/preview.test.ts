import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdmin, type AdminHarness } from './admin-server.js';

describe('POST /api/preview', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin();
  });
  afterAll(async () => {
    await h?.close();
  });

  const preview = (payload: unknown, headers: Record<string, string> = {}) =>
    h.server.inject({ method: 'POST', url: '/api/preview', payload: payload as object, headers });

  it('renders markdown through the same sanitizer as saving', async () => {
    const markdown =
      '# Title\n\nSome **bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>';
    const res = await preview({ markdown }, { authorization: `Bearer ${h.api.users.author.token}` });
    expect(res.statusCode, res.body).toBe(200);
    const { html } = res.json<{ html: string }>();
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toMatch(/script|javascript:|onerror/);
    // The saved article gets exactly the same HTML.
    const saved = await h.server.inject({
      method: 'POST',
      url: '/api/articles',
      headers: { authorization: `Bearer ${h.api.users.author.token}` },
      payload: { title: 'Same', markdown },
    });
    expect(saved.json<{ html: string }>().html).toBe(html);
  });

  it('with the session cookie it needs the CSRF header', async () => {
    const { cookie, csrf } = await h.signIn(h.api.users.editor);
    const refused = await preview({ markdown: 'x' }, { cookie });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('csrf_failed');
    const ok = await preview({ markdown: '*x*' }, { cookie, 'x-csrf-token': csrf });
    expect(ok.json()).toEqual({ html: '<p><em>x</em></p>\n' });
  });

  it('refuses anonymous callers and bad bodies with the error envelope', async () => {
    const anonymous = await preview({ markdown: 'x' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const auth = { authorization: `Bearer ${h.api.users.author.token}` };
    for (const body of [{}, { markdown: 5 }, { markdown: 'x', extra: 1 }, { markdown: 'a\u0000b' }]) {
      const res = await preview(body, auth);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid_request' });
    }
    const tooLong = await preview({ markdown: 'x'.repeat(500_001) }, auth);
    expect(tooLong.statusCode).toBe(400);
  });
});
