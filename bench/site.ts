/**
 * The full read bench (issue 4): on a database seeded with 10,000 articles, the home page, an article page, a tag
 * page, one article from the API and the API's first page of 15, each driven by autocannon (50 connections, 10 s
 * after a 3 s warm-up) against the real server with its page cache on and with it off (HTTP_CACHE=false), and
 * against a bare node:http server answering the same bytes, in the same run: in rounds (3 by default),
 * each measuring the bare server and then ours, and each row is the median of its rounds (see lib/rounds.ts: this
 * machine is a shared VM, and a single pair of runs moved a ratio by a third). Each server is its own
 * process (`inkstone serve` from dist, production settings, info-level request log to a daily file); the load comes
 * from a client process of its own per run (bench/lib/load-client.ts). Prints a table (with each server's CPU time
 * per request and the CPU ratio to bare, which hold steady when other work shares the machine) and the targets,
 * writes bench/results/<timestamp>.json.
 *
 *   npm run bench                          # SQLite in a temp dir
 *   DATABASE_URL=mysql://... npm run bench  # another database (seeded once; reused while it holds enough articles)
 *   BENCH_CONNECTIONS=50 BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=3 BENCH_ARTICLES=10000 (the defaults)
 *   BENCH_ROUNDS=3                         # rounds per scenario; each row is the median of its rounds
 *   BENCH_CLIENT_WORKERS=2                 # autocannon worker threads in the client process (default 1)
 *   BENCH_ONLY="API single,home"           # only these scenarios (names as in the table, case-insensitive)
 *   BENCH_CACHE=off                        # only the cache-on or the cache-off runs
 *
 * A filtered run judges only the targets whose rows it measured (RSS targets need the full run).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './lib/load.js';
import { combineRounds, type Round } from './lib/rounds.js';
import { freePort, ROOT, startServer, type Server } from './lib/processes.js';
import { saveResults } from './lib/report.js';
import { evaluateTargets, printSiteTable, type SiteRow } from './lib/site-report.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(roundCount) || roundCount < 1) throw new Error('BENCH_ROUNDS must be a whole number, 1 or more');
const articles = Number(process.env.BENCH_ARTICLES ?? 10_000);
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim().toLowerCase());
const cacheModes = (['on', 'off'] as const).filter((mode) => (process.env.BENCH_CACHE ?? mode) === mode);
const filtered = only !== undefined || cacheModes.length < 2;

interface Target {
  name: string;
  path: string;
}

interface Probe {
  status: number;
  body: Buffer;
  contentType: string;
}

/** One inkstone CLI command to completion (migrate, db:seed); its output goes to ours. */
function runCommand(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/inkstone.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`inkstone ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function probe(url: string): Promise<Probe> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, contentType: res.headers.get('content-type') ?? 'text/plain' };
}

/** The node flags of the production start commands (Dockerfile ENTRYPOINT, `npm start`): measure what runs. */
const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=4'];

async function startInkstone(env: Record<string, string>, cache: boolean): Promise<Server> {
  const port = await freePort();
  // BENCH_NODE_FLAGS="--flag ..." tries other flags (memory experiments); unset, production's.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? PRODUCTION_NODE_FLAGS;
  const args = [...flags, 'bin/inkstone.js', 'serve', '--port', String(port)];
  return startServer(args, { ...env, HTTP_CACHE: String(cache) }, port);
}

/** The database file of a `sqlite:` URL (the floor server reads it directly); undefined for other databases. */
function sqliteFile(url: string): string | undefined {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
}

/**
 * The floor row's server: the minimal server (bench/lib/floor-server.ts) answering the same article from the same
 * file. It must answer the same JSON as the real API (checked here), or the row would compare different work.
 */
async function startFloor(file: string, apiUrl: string, path: string): Promise<Server> {
  const port = await freePort();
  const floor = await startServer(['--import', 'tsx', 'bench/lib/floor-server.ts', String(port), file], {}, port, path);
  const [ours, theirs] = await Promise.all([getJson<unknown>(apiUrl + path), getJson<unknown>(floor.url + path)]);
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    await floor.stop();
    throw new Error(`the floor server answers ${path} differently from the API: fix bench/lib/floor-server.ts`);
  }
  return floor;
}

async function liveArticleCount(url: string): Promise<number> {
  return (await getJson<{ meta: { total: number } }>(`${url}/api/articles?limit=1`)).meta.total;
}

async function main(): Promise<void> {
  // Other work on the machine moves requests per second (not CPU time per request): the report says how busy it was.
  const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
  const storage = mkdtempSync(join(tmpdir(), 'inkstone-bench-'));
  const env: Record<string, string> = {
    APP_ENV: 'production',
    APP_KEY: 'bench-key-bench-key-bench-key-bench-key',
    DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${join(storage, 'bench.sqlite')}`,
    STORAGE_DIR: storage,
    // Production-like: info-level request lines, written to a daily file (a terminal would be measured instead).
    LOG_LEVEL: 'info',
    LOG_CHANNELS: 'daily',
  };
  const servers: Server[] = [];
  try {
    await runCommand(['migrate', '--force'], env);
    let cached = await startInkstone(env, true);
    if ((await liveArticleCount(cached.url)) < articles * 0.7) {
      await cached.stop();
      process.stderr.write(`seeding ${articles} articles...\n`);
      const t0 = performance.now();
      await runCommand(['db:seed', '--articles', String(articles), '--users', '20', '--seed', '1', '--force'], env);
      process.stderr.write(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      cached = await startInkstone(env, true);
    }
    servers.push(cached);
    const uncached = await startInkstone(env, false);
    servers.push(uncached);

    const list = await getJson<{ data: { slug: string; tags: { slug: string }[] }[] }>(
      `${cached.url}/api/articles?limit=1`,
    );
    const first = list.data[0]!;
    const tagSlug =
      first.tags[0]?.slug ?? (await getJson<{ data: { slug: string }[] }>(`${cached.url}/api/tags`)).data[0]!.slug;
    const articleSlug = encodeURIComponent(first.slug);
    const targets: Target[] = [
      { name: 'home', path: '/' },
      { name: 'article page', path: `/articles/${articleSlug}` },
      { name: 'tag page', path: `/tags/${encodeURIComponent(tagSlug)}` },
      { name: 'API single', path: `/api/articles/${articleSlug}` },
      { name: 'API list(15)', path: '/api/articles?limit=15' },
    ].filter((t) => only === undefined || only.includes(t.name.toLowerCase()));
    if (targets.length === 0 || cacheModes.length === 0)
      throw new Error('BENCH_ONLY / BENCH_CACHE left nothing to run');

    const rows: SiteRow[] = [];
    const options = { connections, seconds, warmupSeconds };
    const floorFile = sqliteFile(env.DATABASE_URL!);
    for (const target of targets) {
      const shape = await probe(cached.url + target.path);
      if (shape.status !== 200) {
        console.error(`!!! ${target.name} ${target.path} answered ${shape.status}: its rows will show non-2xx`);
      }
      // The bare server answers the very bytes ours does (see bench/lib/bare-server.ts for why the bytes matter).
      const bodyFile = join(storage, 'bare-body');
      writeFileSync(bodyFile, shape.body);
      const barePort = await freePort();
      const bare = await startServer(
        ['--import', 'tsx', 'bench/lib/bare-server.ts', String(barePort), `@${bodyFile}`, shape.contentType],
        {},
        barePort,
        '/',
      );
      const floor =
        target.name === 'API single' && floorFile !== undefined && cacheModes.includes('off')
          ? await startFloor(floorFile, uncached.url, target.path).catch(async (err: unknown) => {
              await bare.stop();
              throw err;
            })
          : undefined;
      // Each round measures the bare server, then ours right after it: a round's ratio compares runs that shared
      // the machine's conditions of the moment (see lib/rounds.ts).
      const runs: { cache: SiteRow['cache']; server: Server }[] = [
        ...cacheModes.map((mode) => ({ cache: mode, server: mode === 'on' ? cached : uncached })),
        ...(floor ? [{ cache: 'floor' as const, server: floor }] : []),
      ];
      const rounds = new Map<SiteRow['cache'], Round[]>(runs.map((r) => [r.cache, []]));
      try {
        for (let i = 0; i < roundCount; i++) {
          const bareResult = await measure(bare.url, { ...options, pid: bare.child.pid });
          for (const { cache, server } of runs) {
            const result = await measure(server.url + target.path, { ...options, pid: server.child.pid });
            if (result.non2xx > 0 || result.errors > 0) {
              console.error(`!!! ${target.name} (cache ${cache}): ${result.non2xx} non-2xx, ${result.errors} errors`);
            }
            rounds.get(cache)!.push({ ours: result, bare: bareResult });
          }
        }
      } finally {
        await bare.stop();
        await floor?.stop();
      }
      for (const { cache } of runs) {
        const combined = combineRounds(rounds.get(cache)!);
        rows.push({
          scenario: target.name,
          path: target.path,
          cache,
          ...combined.result,
          bodyBytes: shape.body.length,
          bareRps: combined.bare.rps,
          bareP99Ms: combined.bare.p99Ms,
          bareCpuUsPerRequest: combined.bare.cpuUsPerRequest,
          ratio: combined.ratio,
          roundRatios: combined.ratios,
        });
      }
    }
    // autocannon stops at its deadline but may leave requests in flight: let them settle before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssMb = { on: await cached.rssMb(), off: await uncached.rssMb() };
    const peakRssMb = { on: await cached.peakRssMb(), off: await uncached.peakRssMb() };
    const dialect = env.DATABASE_URL!.split(':')[0]!;
    console.log(`\n${dialect}, ${connections} connections, ${seconds} s per run after ${warmupSeconds} s warm-up`);
    console.log(`load average when the bench started: ${loadAtStart.join(' ')} (${availableParallelism()} CPUs)\n`);
    printSiteTable(rows);
    console.log(`\nserver RSS after all runs: cache on ${rssMb.on} MB, cache off ${rssMb.off} MB`);
    // The figure after the runs depends on where the last collection fell; the peak is the worst the load made.
    console.log(`server peak RSS during the runs: cache on ${peakRssMb.on} MB, cache off ${peakRssMb.off} MB`);
    const verdicts = evaluateTargets(rows, rssMb, dialect, { partial: filtered });
    console.log('\ntargets:');
    for (const v of verdicts) console.log(`  ${v.pass ? 'PASS' : 'FAIL'}  ${v.name}: ${v.actual}`);
    const file = saveResults(undefined, {
      dialect,
      connections,
      seconds,
      warmupSeconds,
      articles,
      rows,
      rssMb,
      peakRssMb,
      verdicts,
      loadAverageAtStart: loadAtStart,
      node: process.version,
    });
    console.log(`\nresults: ${file}`);
    if (verdicts.some((v) => !v.pass)) process.exitCode = 1;
  } finally {
    for (const s of servers) await s.stop();
    rmSync(storage, { recursive: true, force: true });
  }
}

await main();
