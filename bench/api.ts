/**
 * API read benchmark: one article by slug, and the first page of 15, on a database seeded with 10,000 articles,
 * each beside a bare node:http server that answers the same bytes, in the same run. What matters is the ratio
 * (Inkstone's share of a bare server on this machine), not the absolute numbers.
 *
 *   npm run bench                      # SQLite in a temp dir
 *   BENCH_DATABASE_URL=mysql://... npm run bench
 *   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_ARTICLES=10000 (the defaults)
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/index.js';
import { createApp } from '../src/app.js';
import { startWebRole } from '../src/http/web-role.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const articles = Number(process.env.BENCH_ARTICLES ?? 10_000);

interface Result {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string): Promise<Result> {
  const r = await autocannon({ url, connections, duration, pipelining: 1 });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-bench-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.sqlite')}`;
  // Request logs off (warn): at tens of thousands of lines a second the terminal, not the server, would be measured.
  const config = loadConfig({
    env: {
      APP_ENV: 'production',
      APP_KEY: 'b'.repeat(32),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      STORAGE_DIR: dir,
    },
    cwd: process.cwd(),
    envFile: '/dev/null',
  });
  const app = await createApp(config);
  try {
    await app.migrations.migrate({ force: true });
    const existing = await app.blog.articles.listLive({ page: 1, limit: 1 });
    if (existing.total < articles * 0.7) {
      process.stderr.write(`seeding ${articles} articles on ${app.db.dialect}...\n`);
      const summary = await app.blog.seed({ articles, users: 20, seed: 1 });
      process.stderr.write(`seeded in ${(summary.ms / 1000).toFixed(1)} s\n`);
    }
    const web = await startWebRole(app, { host: '127.0.0.1', port: 0 });
    const first = await app.blog.articles.listLive({ page: 1, limit: 1 });
    const slug = first.items[0]!.slug;
    const singlePath = `/api/articles/${encodeURIComponent(slug)}`;
    const listPath = '/api/articles?limit=15';
    const bodies = new Map<string, { type: string; body: Buffer }>();
    for (const path of [singlePath, listPath]) {
      const res = await fetch(`${web.url}${path}`);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      bodies.set(path, {
        type: res.headers.get('content-type') ?? 'application/json',
        body: Buffer.from(await res.arrayBuffer()),
      });
    }
    const bare = createServer((req, res) => {
      const hit = bodies.get(req.url ?? '');
      res.writeHead(hit ? 200 : 404, {
        'content-type': hit?.type ?? 'text/plain',
        'content-length': hit?.body.length ?? 0,
      });
      res.end(hit?.body);
    });
    const bareUrl = await listen(bare);

    const rows: string[] = [];
    for (const [name, path] of [
      ['API single', singlePath],
      ['API list(15)', listPath],
    ] as const) {
      const base = await load(`${bareUrl}${path}`);
      const ours = await load(`${web.url}${path}`);
      for (const r of [base, ours])
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      rows.push(
        `${name.padEnd(13)} inkstone ${ours.rps.toFixed(0).padStart(7)} req/s p99 ${String(ours.p99).padStart(4)} ms | ` +
          `node:http ${base.rps.toFixed(0).padStart(7)} req/s p99 ${String(base.p99).padStart(4)} ms | ` +
          `ratio ${(ours.rps / base.rps).toFixed(3)} (${bodies.get(path)!.body.length} bytes)`,
      );
    }
    bare.close();
    // autocannon stops sending at the deadline but leaves requests queued in the server: let them finish first.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await web.drain();
    console.log(`${app.db.dialect}, ${connections} connections, ${duration} s each, ${articles} articles seeded`);
    for (const r of rows) console.log(r);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
