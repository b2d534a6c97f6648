import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type RunningApp } from '../support/app.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, dialectAvailability, type TestDatabase } from '../support/databases.js';
import { testConfig } from '../support/config.js';
import { connect } from '../support/blog-data.js';
import { json } from '../support/json.js';
import { runInkstone } from '../support/cli.js';
import { createApp } from '../../src/app.js';
import { migrations } from '../../src/adapters/db/migrations/index.js';
import { DatabaseTimeoutError } from '../../src/adapters/db/query-timeout.js';

// The budget the apps here run with; the client gives up 500 ms after it when the server has stopped answering.
const BUDGET_MS = 500;
// Each request aborts past this, so "answers within about the budget" is checked by the request itself.
const ANSWER_WITHIN_MS = BUDGET_MS + 1500;

const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });

async function timedGet(url: string): Promise<{ res: Response; ms: number }> {
  const started = performance.now();
  const res = await get(url);
  return { res, ms: performance.now() - started };
}

async function expectDatabaseTimeout(t: RunningApp, url: string): Promise<void> {
  const { res, ms } = await timedGet(url);
  expect(res.status).toBe(503);
  expect((await json(res)).error.code).toBe('database_timeout');
  expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
  const line = await t.waitForLog((e) => e.code === 'database_timeout');
  expect(line).toMatchObject({ level: 40, route: expect.any(String), method: 'GET' });
}

const held = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const dialect of ['postgres', 'mysql'] as const) {
  const port = dialect === 'postgres' ? 5432 : 3306;
  const sleep = (seconds: number) =>
    dialect === 'postgres' ? sql`select pg_sleep(${seconds})` : sql`select sleep(${seconds})`;

  describe.skipIf(!dialectAvailability(dialect).available)(`database query budget over HTTP [${dialect}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('a slow query answers 503 database_timeout at about the budget; the next request is served', async () => {
      const testDb = await createTestDatabase(dialect);
      cleanups.push(() => testDb.drop());
      const t: RunningApp = await startTestApp(
        { DATABASE_URL: testDb.url, DATABASE_QUERY_TIMEOUT_MS: String(BUDGET_MS), HTTP_CACHE: 'false' },
        (server) => server.get('/test/slow', async () => (await sleep(5).execute(t.app.db.primary)).rows),
      );
      cleanups.push(() => t.close());
      await expectDatabaseTimeout(t, `${t.url}/test/slow`);
      expect((await get(`${t.url}/api/tags`)).status).toBe(200);
    });

    it('a server that stops answering: API requests answer 503 within about the budget, 200 once it is back', async () => {
      const testDb = await createTestDatabase(dialect);
      cleanups.push(() => testDb.drop());
      const proxy = await startTcpProxy('127.0.0.1', port);
      const u = new URL(testDb.url);
      u.port = String(proxy.port);
      const t = await startTestApp({
        DATABASE_URL: u.toString(),
        DATABASE_QUERY_TIMEOUT_MS: String(BUDGET_MS),
        HTTP_CACHE: 'false',
      });
      // Cutting the proxy's sockets first lets the pool close.
      cleanups.push(() => t.close());
      cleanups.push(() => proxy.close());
      expect((await get(`${t.url}/api/tags`)).status).toBe(200);
      proxy.hang();
      await expectDatabaseTimeout(t, `${t.url}/api/tags`);
      // The public site says the same with its own page.
      const page = await get(`${t.url}/`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      proxy.resume();
      expect((await get(`${t.url}/api/tags`)).status).toBe(200);
    });

    it('a listener that accepts and never answers: 503 within about the budget, not a hang', async () => {
      const sockets = new Set<Socket>();
      const blackHole = createServer((s) => {
        sockets.add(s);
        s.on('error', () => {});
      });
      await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
      const hole = (blackHole.address() as { port: number }).port;
      const t = await startTestApp(
        {
          DATABASE_URL: `${dialect}://root@127.0.0.1:${hole}/inkstone`,
          DATABASE_QUERY_TIMEOUT_MS: String(BUDGET_MS),
          HTTP_CACHE: 'false',
        },
        undefined,
        { migrate: false },
      );
      cleanups.push(() => t.close());
      cleanups.push(
        () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            blackHole.close(() => r());
          }),
      );
      await expectDatabaseTimeout(t, `${t.url}/api/tags`);
    });

    it('a database that refuses connections: 503 database_unavailable at once, 200 once it is back', async () => {
      const testDb = await createTestDatabase(dialect);
      cleanups.push(() => testDb.drop());
      let proxy = await startTcpProxy('127.0.0.1', port);
      const proxyPort = proxy.port;
      const u = new URL(testDb.url);
      u.port = String(proxyPort);
      const t = await startTestApp({ DATABASE_URL: u.toString(), HTTP_CACHE: 'false' });
      cleanups.push(() => t.close());
      expect((await get(`${t.url}/api/tags`)).status).toBe(200);
      // Nothing listens on the port any more and the pooled connections are cut: the next connect is refused.
      await proxy.close();
      const { res, ms } = await timedGet(`${t.url}/api/tags`);
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.error.code).toBe('database_unavailable');
      // The client is told what happened, not where the database lives.
      expect(body.error.message).not.toContain(String(proxyPort));
      expect(ms).toBeLessThan(BUDGET_MS);
      const line = await t.waitForLog((e) => e.code === 'database_unavailable');
      expect(line).toMatchObject({ level: 40, method: 'GET' });
      proxy = await startTcpProxy('127.0.0.1', port, proxyPort);
      cleanups.push(() => proxy.close());
      expect((await get(`${t.url}/api/tags`)).status).toBe(200);
    });

    it('migrations run without the budget: a statement waiting past it still completes', async () => {
      const testDb: TestDatabase = await createTestDatabase(dialect);
      cleanups.push(() => testDb.drop());
      // What `serve` builds (the budget on), migrating at start as AUTO_MIGRATE does.
      const app = await createApp(testConfig({ DATABASE_URL: testDb.url, DATABASE_QUERY_TIMEOUT_MS: '300' }));
      cleanups.push(() => app.close());
      await app.migrations.migrate({ force: true });
      await app.migrations.rollback({ step: migrations.length, force: true });
      // Another session holds the row the first migration records, uncommitted, for 2 s: recording it waits.
      const holder = await connect(testDb.url);
      cleanups.push(() => holder.close());
      const first = { name: migrations[0]!.name, batch: 99, applied_at: new Date() };
      let inserted!: () => void;
      const holding = new Promise<void>((r) => (inserted = r));
      const released = holder.db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('inkstone_migrations').values(first).execute();
          inserted();
          await held(2000);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await holding;
      // The same wait on the request-serving connections is cut off at the budget…
      await expect(
        app.db.primary
          .insertInto('inkstone_migrations')
          .values({ ...first, batch: 98 })
          .execute(),
      ).rejects.toBeInstanceOf(DatabaseTimeoutError);
      // …while the migration waits it out and applies everything.
      const started = performance.now();
      const result = await app.migrations.migrate({ force: true });
      expect(result.applied).toEqual(migrations.map((m) => m.name));
      expect(performance.now() - started).toBeGreaterThan(1000);
      await released;
    });

    it('one-shot commands run without the budget: session:gc waits out a row lock longer than it', async () => {
      const testDb = await createTestDatabase(dialect);
      cleanups.push(() => testDb.drop());
      const env = { DATABASE_URL: testDb.url, DATABASE_QUERY_TIMEOUT_MS: '300', LOG_CHANNELS: 'stdout' };
      expect((await runInkstone(['migrate'], { env })).code).toBe(0);
      const holder = await connect(testDb.url);
      cleanups.push(() => holder.close());
      const at = new Date('2026-01-01T00:00:00Z');
      await holder.db
        .insertInto('users')
        .values({
          email: 'a@example.com',
          name: 'A',
          role: 'author',
          password_hash: 'x',
          bio: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const user = await holder.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
      const session = {
        user_id: user.id,
        csrf_token: 'c',
        ip: null,
        user_agent: null,
        created_at: at,
        last_seen_at: at,
      };
      await holder.db
        .insertInto('sessions')
        .values({ ...session, id: 'expired', expires_at: at })
        .execute();
      // Another session locks the expired row for 1.5 s: deleting it has to wait that long.
      let locked!: () => void;
      const holding = new Promise<void>((r) => (locked = r));
      const released = holder.db.transaction().execute(async (trx) => {
        await trx.selectFrom('sessions').selectAll().forUpdate().execute();
        locked();
        await held(1500);
      });
      await holding;
      const started = performance.now();
      const gc = await runInkstone(['session:gc', '--json'], { env });
      expect(gc.code, gc.stderr).toBe(0);
      expect(JSON.parse(gc.stdout)).toEqual({ deleted: 1 });
      expect(performance.now() - started).toBeGreaterThan(1000);
      await released;
    });
  });
}

describe('database query budget over HTTP [sqlite]', () => {
  it('a write lock held past the budget answers 503 database_timeout; the next write is served', async () => {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const t = await startTestApp({ DATABASE_QUERY_TIMEOUT_MS: String(BUDGET_MS), HTTP_CACHE: 'false' }, (server) =>
      server.post('/test/write', async () => {
        await sql`insert into t_lock (x) values (1)`.execute(t.app.db.primary);
        return { ok: true };
      }),
    );
    try {
      await sql`create table t_lock (x integer)`.execute(t.app.db.primary);
      const holder = new BetterSqlite3(`${t.storageDir}/db.sqlite`);
      try {
        holder.exec('begin immediate');
        const started = performance.now();
        const res = await fetch(`${t.url}/test/write`, { method: 'POST', signal: AbortSignal.timeout(3000) });
        expect(res.status).toBe(503);
        expect((await json(res)).error.code).toBe('database_timeout');
        expect(performance.now() - started).toBeGreaterThanOrEqual(BUDGET_MS - 50);
        holder.exec('rollback');
      } finally {
        holder.close();
      }
      expect((await fetch(`${t.url}/test/write`, { method: 'POST' })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
