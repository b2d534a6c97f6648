import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { json } from '../support/json.js';
import { freePort, spawnInkstone, waitForOk } from '../support/spawn.js';
import { migrations } from '../../src/adapters/db/migrations/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inkstone-serve-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inkstone serve (a real process)', () => {
  it('creates and migrates the SQLite file, serves /health/live and /health/ready, exits 0 on SIGINT', async () => {
    const port = await freePort();
    const file = join(dir, 'storage', 'inkstone.sqlite');
    const proc = spawnInkstone(['serve', '--port', String(port)], {
      DATABASE_URL: `sqlite:${file}`,
      STORAGE_DIR: join(dir, 'storage'),
      APP_ENV: 'development',
      LOG_LEVEL: 'info',
    });
    try {
      await waitForOk(`http://127.0.0.1:${port}/health/live`, 60_000);
      expect(existsSync(file)).toBe(true);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      // A reader's dead link gets the site's HTML 404 page; the API keeps its JSON envelope.
      const page = await fetch(`http://127.0.0.1:${port}/no/such/page`);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const res = await fetch(`http://127.0.0.1:${port}/api/no/such/route`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(await json(res)).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      proc.child.kill('SIGINT');
    }
    const { code } = await proc.exited;
    expect(code, proc.output()).toBe(0);
    const lines = proc
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: draining requests', 'stopped']));
    expect(lines.some((l) => l.msg.startsWith(`applied ${migrations.length} migration(s) at start`))).toBe(true);
  });

  it('on SIGTERM finishes a request in flight before exiting 0', async () => {
    const port = await freePort();
    const proc = spawnInkstone(['serve', '--port', String(port)], {
      DATABASE_URL: `sqlite:${join(dir, 'drain.sqlite')}`,
      STORAGE_DIR: join(dir, 'storage'),
      LOG_LEVEL: 'warn',
    });
    await waitForOk(`http://127.0.0.1:${port}/health/live`, 60_000);
    // A request whose body is still arriving when the signal lands: the server must wait for it.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/health/live',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': '2' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write('{');
      setTimeout(() => {
        proc.child.kill('SIGTERM');
        setTimeout(() => req.end('}'), 300);
      }, 100);
    });
    // The route is GET-only, so the completed POST answers 404 — what matters is that it is answered at all.
    expect(await inFlight).toBe(404);
    const { code } = await proc.exited;
    expect(code, proc.output()).toBe(0);
  });

  it('a bad setting stops the process with exit 2 and one line', async () => {
    const proc = spawnInkstone(['serve'], { PORT: 'eighty' });
    const { code } = await proc.exited;
    expect(code).toBe(2);
    expect(proc.output().trim()).toBe('inkstone: PORT: expected a port number (1-65535) (got "eighty")');
  });
});
