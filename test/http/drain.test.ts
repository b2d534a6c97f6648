import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInkstone } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/spawn.js';

function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitUntilReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${url}/health/ready`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never became ready`);
}

// `serve` end to end, in-process: under a steady keep-alive load, a stop signal makes it stop taking new work,
// finish what is in flight and return exit code 0. The deploy drill checks the same through nginx.
describe('serve drains on stop', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(() => db.drop());

  it('answers every request it accepted, then exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = runInkstone(['serve', '--port', String(port)], {
      env: { ENV_FILE: '/dev/null', DATABASE_URL: db.url, AUTO_MIGRATE: 'true', SHUTDOWN_TIMEOUT_MS: '5000' },
      stop: stopped,
    });
    await waitUntilReady(url);

    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    const answers: { status: number; body: string }[] = [];
    const errors: string[] = [];
    let running = true;
    const loops = Array.from({ length: 6 }, async () => {
      while (running) {
        try {
          answers.push(await get(agent, `${url}/health/ready`));
        } catch (err) {
          // After the listener closed, a new connection is refused: that is the end of this client's run.
          errors.push((err as NodeJS.ErrnoException).code ?? String(err));
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    const before = answers.length;
    stop();
    const result = await run;
    running = false;
    await Promise.all(loops);
    agent.destroy();

    expect(result.code, result.stderr).toBe(0);
    expect(before).toBeGreaterThan(10);
    // Every request that got an answer got a whole one: 200 ready before the stop, 503 (draining or closing,
    // with Connection: close so a proxy retries elsewhere) after it. Nothing else.
    for (const a of answers) expect([200, 503]).toContain(a.status);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(before);
    // A client sees at most a refused or reset connection once the listener is gone, never a half answer.
    for (const e of errors) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(e);
  });
});
