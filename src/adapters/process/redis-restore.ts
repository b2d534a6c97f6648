import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Redis } from 'ioredis';
import { BackupError } from '../../domain/backup-errors.js';
import { runTool, startTool, type RunningTool } from './tool.js';

const BATCH = 500;

/**
 * Restores the blog's keys from an RDB snapshot into a live Redis that other apps may share. A running server
 * cannot load an RDB through a client, so the snapshot is opened by a private `redis-server` (Debian package
 * redis-server) on a unix socket in a temp dir — no TCP port, no persistence — and the keys under the blog's prefix
 * are copied across with DUMP / RESTORE … REPLACE, keeping their remaining TTLs. The blog's live keys that the
 * backup does not hold are then deleted; keys outside the prefix are never touched.
 */
export function createRedisRestore(url: string, prefix: string) {
  return {
    /** Fails (naming the Debian package) when redis-server is missing: checked before a restore touches anything. */
    async canRestore(): Promise<void> {
      await runTool('redis-server', ['--version']);
    },
    async restore(rdb: Readable): Promise<{ restored: number; removed: number }> {
      const dir = await mkdtemp(join(tmpdir(), 'inkstone-rdb-'));
      let server: RunningTool | undefined;
      const live = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      live.on('error', () => {});
      let temp: Redis | undefined;
      try {
        await pipeline(rdb, createWriteStream(join(dir, 'dump.rdb')));
        await live.connect();
        const socket = join(dir, 'redis.sock');
        server = startTool(
          'redis-server',
          // --databases 256: the snapshot may hold a db index above the default 16, which would fail to load.
          ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--dbfilename', 'dump.rdb']
            .concat(['--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''])
            .concat(['--databases', '256']),
          { stdin: 'ignore' },
        );
        // redis-server logs to stdout (--logfile ''): its last line says why a snapshot would not load.
        let log = '';
        server.stdout.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
        temp = await openTemp(socket, live.options.db ?? 0, server, () => whyFrom(log));
        return await copyKeys(temp, live, prefix);
      } finally {
        temp?.disconnect();
        live.disconnect();
        server?.kill();
        await server?.done.catch(() => {});
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Waits until the private server has loaded the snapshot; a server that exits (bad RDB, too new) says why. */
async function openTemp(socket: string, db: number, server: RunningTool, why: () => string): Promise<Redis> {
  let exited: Error | undefined;
  server.done.then(
    () => (exited = new BackupError('redis_restore_failed', 'redis-server stopped while loading the snapshot')),
    (err: unknown) => {
      const missing = err instanceof BackupError && err.code === 'tool_missing';
      exited = missing
        ? err
        : new BackupError('redis_restore_failed', `redis-server could not load the snapshot: ${why() || String(err)}`);
    },
  );
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw exited;
    const probe = new Redis({
      path: socket,
      db,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping(); // answers LOADING until the RDB is in memory
      return probe;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        throw new BackupError('redis_restore_failed', 'the private redis-server did not load the snapshot in 120 s');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function copyKeys(from: Redis, to: Redis, prefix: string): Promise<{ restored: number; removed: number }> {
  const match = `${escapeGlob(prefix)}*`;
  const inBackup = new Set<string>();
  let restored = 0;
  for await (const keys of from.scanBufferStream({ match, count: BATCH }) as AsyncIterable<Buffer[]>) {
    if (keys.length === 0) continue;
    const read = from.pipeline();
    for (const k of keys) read.pttl(k).dumpBuffer(k);
    const answers = (await read.exec()) ?? [];
    const write = to.pipeline();
    keys.forEach((k, i) => {
      const ttl = answers[2 * i]?.[1] as number;
      const payload = answers[2 * i + 1]?.[1] as Buffer | null;
      if (payload === null || ttl === -2) return; // expired between SCAN and DUMP
      inBackup.add(k.toString('latin1'));
      write.restore(k, ttl > 0 ? ttl : 0, payload, 'REPLACE');
      restored++;
    });
    for (const [err] of (await write.exec()) ?? []) if (err) throw err;
  }
  let removed = 0;
  for await (const keys of to.scanBufferStream({ match, count: BATCH }) as AsyncIterable<Buffer[]>) {
    const extra = keys.filter((k) => !inBackup.has(k.toString('latin1')));
    if (extra.length === 0) continue;
    removed += await to.unlink(...extra);
  }
  return { restored, removed };
}

/** The line of redis-server's log that says why: the RDB checker's finding, else its last warning, else the last line. */
function whyFrom(log: string): string {
  const lines = log.trim().split('\n').filter(Boolean);
  const checker = lines.findIndex((l) => l.includes('RDB ERROR DETECTED'));
  // Server log lines look like `123:M 26 Nov 2026 02:04:15.123 # Wrong signature trying to load DB from file`.
  const strip = (l: string) => l.replace(/^\d+:[A-Z] .*?\d\d:\d\d:\d\d\.\d+ [*#.-] /, '');
  if (checker >= 0 && lines[checker + 1]) return strip(lines[checker + 1]!);
  const warning = lines.filter((l) => / # /.test(l)).pop();
  return strip(warning ?? lines.at(-1) ?? '');
}

/** SCAN MATCH is a glob: a prefix with *, ?, [ or \ must match itself only. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
