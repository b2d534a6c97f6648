import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../support/api.js';
import { waitFor } from '../support/app.js';
import { PrivateRedis } from '../support/redis-server.js';

/** The session cookie a sign-in set. */
function sessionOf(res: { headers: Record<string, unknown> }): string {
  const set = [res.headers['set-cookie']].flat().map(String);
  const match = set.map((c) => /^inkstone_session=([^;]+)/.exec(c)).find(Boolean);
  if (!match) throw new Error('no session cookie');
  return match[1]!;
}

// Sessions and rate limits in Redis (REDIS_URL), with that Redis stopped: a request that needs them answers 503
// with the error envelope, like a database that does not answer, instead of ioredis's error taken for a bug (500).
describe('sessions and rate limits while their Redis is down', () => {
  let redis: PrivateRedis;
  let api: ApiHarness;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startApi('sqlite', { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await api?.close();
    await redis?.stop();
  });

  const login = () =>
    api.call({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'editor@example.com', password: api.users.editor.password },
    });

  it('answers 503 redis_unavailable to a signed-in request and a sign-in, and works again once Redis is back', async () => {
    expect(api.app.blog.stores).toEqual({ sessions: 'redis', rateLimits: 'redis' });
    const signedIn = await login();
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const cookies = { inkstone_session: sessionOf(signedIn) };
    expect((await api.call({ method: 'GET', url: '/api/auth/session', cookies })).statusCode).toBe(200);

    await redis.kill();
    const session = await api.call({ method: 'GET', url: '/api/auth/session', cookies });
    expect(session.statusCode, session.body).toBe(503);
    expect(session.json()).toMatchObject({ error: { code: 'redis_unavailable' } });
    const again = await login();
    expect(again.statusCode, again.body).toBe(503);
    expect(again.json()).toMatchObject({ error: { code: 'redis_unavailable' } });
    // Anonymous reads need neither.
    expect((await api.call({ method: 'GET', url: '/api/articles' })).statusCode).toBe(200);

    // Once the connection is known to be down, each call is refused before it is sent. (Before, each waited for
    // ioredis's next reconnect attempt, whose pause grows to 2 s: twenty calls took far longer than the bound.)
    // A deadline for "does not hang", not a speed measurement.
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const refused = await api.call({ method: 'GET', url: '/api/auth/session', cookies });
      expect(refused.statusCode).toBe(503);
    }
    expect(performance.now() - started).toBeLessThan(2000);

    await redis.up();
    await waitFor('sign-in to work again', async () => (await login()).statusCode === 200, 15_000);
  });
});
