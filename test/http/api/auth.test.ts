import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { describeEachDialect, dialectAvailability } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { serviceUrls } from '../../support/services.js';
import { inject } from 'vitest';

function sessionCookie(res: { headers: Record<string, unknown> }): { value: string; raw: string } {
  const raw = ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('inkstone_session='))!;
  return { raw, value: raw.split(';')[0]!.split('=')[1]! };
}

describeEachDialect('sign-in, sessions, CSRF and API tokens', (dialect) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(dialect, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '50' });
  });
  afterAll(async () => {
    await api?.close();
  });

  const login = (email: string, password: string, ip = '10.0.0.1') =>
    api.call({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });

  it('signs in with email + password: httpOnly SameSite=Lax cookie, stored hashed, CSRF token returned', async () => {
    const res = await login('EDITOR@example.com', api.users.editor.password);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ user: { email: string; role: string }; csrfToken: string }>();
    expect(body.user).toMatchObject({ email: 'editor@example.com', role: 'editor' });
    const cookie = sessionCookie(res);
    expect(cookie.raw).toMatch(/HttpOnly/);
    expect(cookie.raw).toMatch(/SameSite=Lax/);
    expect(cookie.raw).not.toMatch(/Secure/); // APP_ENV=test; production sets Secure (config test below)
    const rows = await api.app.db.primary.selectFrom('sessions').select(['id']).execute();
    expect(rows.map((r) => r.id)).not.toContain(cookie.value);
    expect(rows.some((r) => r.id.length === 64)).toBe(true);

    const me = await api.call({ method: 'GET', url: '/api/auth/session', cookies: { inkstone_session: cookie.value } });
    expect(me.json()).toMatchObject({ user: { role: 'editor' }, via: 'session', csrfToken: body.csrfToken });
  });

  it('wrong password and unknown email are the same 401', async () => {
    const a = await login('editor@example.com', 'wrong-password-1');
    const b = await login('nobody@example.com', 'wrong-password-1');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
  });

  it('a cookie-authenticated write needs the X-CSRF-Token header; a token-authenticated one does not', async () => {
    const res = await login('author@example.com', api.users.author.password);
    const cookies = { inkstone_session: sessionCookie(res).value };
    const { csrfToken } = res.json<{ csrfToken: string }>();
    const payload = { title: 'Via cookie', markdown: 'x' };
    const without = await api.call({ method: 'POST', url: '/api/articles', cookies, payload });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    const wrong = await api.call({
      method: 'POST',
      url: '/api/articles',
      cookies,
      payload,
      headers: { 'x-csrf-token': 'nope' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await api.call({
      method: 'POST',
      url: '/api/articles',
      cookies,
      payload,
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const viaToken = await api.call({ method: 'POST', url: '/api/articles', as: api.users.author, payload });
    expect(viaToken.statusCode).toBe(201);
  });

  it('logout ends the session', async () => {
    const res = await login('author@example.com', api.users.author.password);
    const cookies = { inkstone_session: sessionCookie(res).value };
    const { csrfToken } = res.json<{ csrfToken: string }>();
    const out = await api.call({
      method: 'POST',
      url: '/api/auth/logout',
      cookies,
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await api.call({ method: 'GET', url: '/api/auth/session', cookies })).statusCode).toBe(401);
  });

  it('API tokens: created (shown once), listed without the secret, used as Bearer, revoked', async () => {
    const made = await api.call({ method: 'POST', url: '/api/tokens', as: api.users.editor, payload: { name: 'ci' } });
    expect(made.statusCode, made.body).toBe(201);
    const { token, info } = made.json<{ token: string; info: { id: number; prefix: string } }>();
    expect(token).toMatch(/^ink_/);
    const list = await api.call({ method: 'GET', url: '/api/tokens', as: api.users.editor });
    expect(list.body).not.toContain(token);
    expect(list.json<{ data: Array<{ id: number; prefix: string }> }>().data.map((t) => t.id)).toContain(info.id);
    const stored = await api.app.db.primary.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    const me = await api.call({
      method: 'GET',
      url: '/api/auth/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ user: { role: 'editor' }, via: 'token', csrfToken: null });
    const other = await api.call({ method: 'DELETE', url: `/api/tokens/${info.id}`, as: api.users.author });
    expect(other.statusCode).toBe(404);
    expect((await api.call({ method: 'DELETE', url: `/api/tokens/${info.id}`, as: api.users.editor })).statusCode).toBe(
      204,
    );
    const after = await api.call({
      method: 'GET',
      url: '/api/auth/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('failed sign-ins are limited per account: 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++)
      expect((await login('admin@example.com', 'wrong-password!', `10.1.0.${i}`)).statusCode).toBe(401);
    const limited = await login('admin@example.com', api.users.admin.password, '10.1.0.9');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });
});

describe('login rate limit per IP', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('sqlite', { LOGIN_MAX_ATTEMPTS_PER_IP: '4' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('the 5th attempt from one address within the window is 429; another address still gets in', async () => {
    const from = (ip: string, email: string) =>
      api.call({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'bad-password' },
        remoteAddress: ip,
      });
    for (let i = 0; i < 4; i++) expect((await from('192.0.2.7', `u${i}@example.com`)).statusCode).toBe(401);
    const limited = await from('192.0.2.7', 'u9@example.com');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect((await from('192.0.2.8', 'u9@example.com')).statusCode).toBe(401);
  });
});

const redisUp = () => inject('services').find((p) => p.name === 'redis')?.available === true;

describe.skipIf(!redisUp() || !dialectAvailability('sqlite').available)(
  'with REDIS_URL: sessions and limits in Redis',
  () => {
    const prefix = `inkstone_t_${randomBytes(4).toString('hex')}:`;
    let a: ApiHarness;
    let b: ApiHarness;
    let redis: Redis;
    beforeAll(async () => {
      const env = { REDIS_URL: serviceUrls.redis, REDIS_PREFIX: prefix, LOGIN_MAX_ATTEMPTS_PER_IP: '3' };
      [a, b] = await Promise.all([startApi('sqlite', env), startApi('sqlite', env)]);
      redis = new Redis(serviceUrls.redis);
    });
    afterAll(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await a?.close();
      await b?.close();
    });

    it('stores the session in Redis (hashed key, with a TTL), not in the sessions table', async () => {
      expect(a.app.blog.stores).toEqual({ sessions: 'redis', rateLimits: 'redis' });
      const res = await a.call({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'editor@example.com', password: a.users.editor.password },
        remoteAddress: '10.9.0.1',
      });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = sessionCookie(res).value;
      const keys = await redis.keys(`${prefix}session:*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(cookie);
      expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
      expect(await a.app.db.primary.selectFrom('sessions').selectAll().execute()).toEqual([]);
      const me = await a.call({ method: 'GET', url: '/api/auth/session', cookies: { inkstone_session: cookie } });
      expect(me.statusCode).toBe(200);
    });

    it('two instances share one login limit per IP', async () => {
      const attempt = (api: ApiHarness) =>
        api.call({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'x@example.com', password: 'bad-password' },
          remoteAddress: '10.9.9.9',
        });
      expect((await attempt(a)).statusCode).toBe(401);
      expect((await attempt(b)).statusCode).toBe(401);
      expect((await attempt(a)).statusCode).toBe(401);
      const fourth = await attempt(b);
      expect(fourth.statusCode).toBe(429);
      expect(fourth.headers['retry-after']).toBeDefined();
    });
  },
);
