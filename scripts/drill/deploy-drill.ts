/**
 * The deploy drill (`npm run drill:deploy`): nginx on loopback in front of two app processes, a keep-alive load
 * for ~20 s, and meanwhile docker/scripts/deploy.sh switches version A -> B (with a migration) and
 * docker/scripts/rollback.sh switches back to A. The scripts are the production ones; only their runtime
 * primitives (native-runtime.sh instead of runtime/compose.sh) differ. With `--rolling`, A -> B goes through
 * docker/scripts/rolling.sh instead (both instances in front, replaced one at a time). Pass: no failed or 5xx response, each
 * response from the build expected at that moment, rollback under 30 s. Exits 0 on pass, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { buildReleases, RELEASE_B_TABLE } from './releases.js';
import { ensureNginx, startNginx } from './nginx.js';
import { startLoad } from './load.js';
import { judge, ROLLBACK_LIMIT_SECONDS } from './verdict.js';
import { freePort, ROOT } from '../lib/processes.js';

const LOAD_SECONDS = 20;
const ROLLING = process.argv.includes('--rolling');
const DEPLOY_SCRIPT = ROLLING ? 'rolling.sh' : 'deploy.sh';
const log = (line: string) => console.log(`[drill] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runScript(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(ROOT, 'docker/scripts', name), ...args], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Committed backup sets in a local destination: directories with a manifest, not `.partial-` staging. */
function countBackupSets(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).filter((d) => !d.startsWith('.') && existsSync(join(dir, d, 'manifest.json'))).length;
}

function tableExists(file: string, table: string): boolean {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare('select 1 from sqlite_master where type = ? and name = ?').get('table', table) !== undefined;
  } finally {
    db.close();
  }
}

/** SIGTERM to whatever colour still runs at the end, and wait for its exit code. */
async function stopColours(drillDir: string): Promise<void> {
  const run = join(drillDir, 'run');
  if (!existsSync(run)) return;
  for (const file of readdirSync(run).filter((f) => f.endsWith('.pid'))) {
    const pid = Number(readFileSync(join(run, file), 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue;
    }
    const exitFile = join(run, file.replace('.pid', '.exit'));
    for (let i = 0; i < 200 && !existsSync(exitFile); i++) await sleep(50);
  }
}

async function main(): Promise<number> {
  const wallStart = performance.now();
  ensureNginx(log);
  const drillDir = mkdtempSync(join(tmpdir(), 'inkstone-drill-'));
  chmodSync(drillDir, 0o755); // nginx workers run as an unprivileged user and need to reach their temp dirs
  mkdirSync(join(drillDir, 'storage'));
  const [bluePort, greenPort, proxyPort] = [await freePort(), await freePort(), await freePort()] as [
    number,
    number,
    number,
  ];
  const releases = buildReleases(ROOT, drillDir, log);
  log(`version A = ${releases.a}, version B = ${releases.b} (A plus migration 9999_drill_release_b)`);
  const nginx = startNginx(ROOT, drillDir, proxyPort, `127.0.0.1:${bluePort}`);
  const dbFile = join(drillDir, 'inkstone.sqlite');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ENV_FILE: '/dev/null', // a developer's .env must not leak into the drill's processes
    APP_ENV: 'production',
    APP_KEY: randomBytes(24).toString('hex'),
    APP_URL: 'https://drill.invalid',
    HOST: '127.0.0.1',
    AUTO_MIGRATE: 'false',
    DATABASE_URL: `sqlite:${dbFile}`,
    STORAGE_DIR: join(drillDir, 'storage'),
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '10000',
    INKSTONE_RUNTIME: join(ROOT, 'scripts/drill/native-runtime.sh'),
    INKSTONE_STATE_DIR: join(drillDir, 'state'),
    INKSTONE_UPSTREAM_FILE: nginx.upstreamFile,
    INKSTONE_READY_TIMEOUT: '30',
    DRILL_DIR: drillDir,
    DRILL_BLUE_PORT: String(bluePort),
    DRILL_GREEN_PORT: String(greenPort),
    DRILL_PROXY_PORT: String(proxyPort),
    DRILL_NGINX_PREFIX: nginx.prefix,
    DRILL_NGINX_CONF: nginx.conf,
  };
  let ok = false;
  try {
    log(`nginx on 127.0.0.1:${proxyPort}; colours blue :${bluePort}, green :${greenPort}; first deploy of A`);
    if ((await runScript('deploy.sh', [releases.a, '--skip-backup'], env)) !== 0)
      throw new Error('first deploy of A failed');

    log(`load: 8 keep-alive clients for ~${LOAD_SECONDS} s through nginx`);
    const loadStart = performance.now();
    const load = startLoad({
      baseUrl: `http://127.0.0.1:${proxyPort}`,
      concurrency: 8,
      paths: ['/health/ready', '/health/live'],
    });
    await sleep(3000);
    const deployStart = performance.now();
    // This deploy takes the pre-migration backup as production would (backup:run --only-db).
    const deployCode = await runScript(DEPLOY_SCRIPT, [releases.b], env);
    const deployEnd = performance.now();
    const migratedB = tableExists(dbFile, RELEASE_B_TABLE);
    const backupSets = countBackupSets(join(drillDir, 'storage', 'backups'));
    await sleep(3000);
    const rollbackStart = performance.now();
    const rollbackCode = deployCode === 0 ? await runScript('rollback.sh', [releases.a], env) : -1;
    const rollbackEnd = performance.now();
    const rolledBackB = !tableExists(dbFile, RELEASE_B_TABLE);
    await sleep(Math.max(2000, LOAD_SECONDS * 1000 - (performance.now() - loadStart)));
    const samples = await load.stop();
    const loadSeconds = (performance.now() - loadStart) / 1000;

    const v = judge(samples, { deployStart, deployEnd, rollbackStart, rollbackEnd }, releases);
    const checks: [string, boolean][] = [
      [`${DEPLOY_SCRIPT} B exited 0`, deployCode === 0],
      [`a backup set was taken before B's migration (${backupSets} found)`, backupSets >= 1],
      [`B's migration applied (table ${RELEASE_B_TABLE} exists after the deploy)`, migratedB],
      ['rollback.sh A exited 0', rollbackCode === 0],
      [`B's migration rolled back (table gone after the rollback)`, rolledBackB],
      ['0 failed or 5xx responses', v.failed === 0],
      ['every response from the expected build', v.wrongVersion === 0],
      [`rollback under ${ROLLBACK_LIMIT_SECONDS} s`, v.rollbackSeconds < ROLLBACK_LIMIT_SECONDS],
    ];
    console.log(`\n=== deploy drill (${ROLLING ? 'rolling' : 'blue-green'}) ===`);
    console.log(`requests        ${v.total} in ${loadSeconds.toFixed(1)} s (${Math.round(v.total / loadSeconds)}/s)`);
    console.log(
      `failed          ${v.failed} (5xx: ${v.serverErrors}, connection errors and other non-2xx: ${v.failed - v.serverErrors})`,
    );
    console.log(`wrong version   ${v.wrongVersion}`);
    console.log(
      `resent once     ${v.retried} (GET reset before any response byte as nginx closed the connection at a reload)`,
    );
    console.log(
      `answered by     ${Object.entries(v.byVersion)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')}`,
    );
    console.log(
      `latency         p50 ${v.latencyMs.p50.toFixed(1)} ms, p99 ${v.latencyMs.p99.toFixed(1)} ms, max ${v.latencyMs.max.toFixed(1)} ms`,
    );
    console.log(`deploy A->B     ${v.deploySeconds.toFixed(1)} s (start B, ready, migrate, switch, drain A)`);
    console.log(
      `rollback B->A   ${v.rollbackSeconds.toFixed(1)} s (start A, ready, switch, migrate:rollback, drain B)`,
    );
    for (const p of v.problems) console.log(`  problem: ${p}`);
    for (const [name, good] of checks) console.log(`${good ? '✓' : '✗'} ${name}`);
    ok = checks.every(([, good]) => good);
    console.log(`${ok ? 'PASS' : 'FAIL'} (drill wall time ${((performance.now() - wallStart) / 1000).toFixed(0)} s)`);
  } catch (err) {
    console.error(`[drill] ${(err as Error).message}`);
  } finally {
    await stopColours(drillDir);
    nginx.stop();
    if (ok) rmSync(drillDir, { recursive: true, force: true });
    else log(`kept ${drillDir} (logs/, nginx/logs/, state/) for a look`);
  }
  return ok ? 0 : 1;
}

process.exitCode = await main();
