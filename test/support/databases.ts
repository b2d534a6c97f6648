import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import type { Dialect } from '../../src/config/index.js';
import { serviceUrls, type ServiceProbe } from './services.js';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'mysql', 'postgres'];

/** A database made for one suite: its DATABASE_URL, and how to remove it afterwards. */
export interface TestDatabase {
  dialect: Dialect;
  url: string;
  /** For server dialects: the database name; for SQLite: the file. */
  name: string;
  drop(): Promise<void>;
}

const PREFIX = 'inkstone_t_';

function uniqueName(): string {
  // The creation time is in the name so a later run can drop what a crashed run left behind.
  return `${PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}

function serviceFor(dialect: Dialect): 'mysql' | 'postgres' | undefined {
  return dialect === 'sqlite' ? undefined : dialect;
}

/** Whether the dialect's server answered the probe, and why not when it did not. */
export function dialectAvailability(dialect: Dialect): { available: boolean; reason?: string } {
  const service = serviceFor(dialect);
  if (!service) return { available: true };
  const probe = inject('services').find((p) => p.name === service);
  return probe?.available ? { available: true } : { available: false, reason: probe?.reason ?? 'not probed' };
}

/** Creates an empty database (or SQLite file) with a random name. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const name = uniqueName();
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-test-'));
    const file = join(dir, 'db.sqlite');
    return {
      dialect,
      url: `sqlite:${file}`,
      name: file,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const admin = await adminConnection(dialect);
  try {
    if (dialect === 'mysql') {
      await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
    } else {
      await admin.query(`create database "${name}"`);
    }
  } finally {
    await admin.end();
  }
  const base = new URL(serviceUrls[dialect]);
  base.pathname = `/${name}`;
  return {
    dialect,
    url: base.toString(),
    name,
    drop: async () => {
      const conn = await adminConnection(dialect);
      try {
        await conn.query(
          dialect === 'mysql'
            ? `drop database if exists \`${name}\``
            : `drop database if exists "${name}" with (force)`,
        );
      } finally {
        await conn.end();
      }
    },
  };
}

interface AdminConnection {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

async function adminConnection(dialect: 'mysql' | 'postgres'): Promise<AdminConnection> {
  if (dialect === 'mysql') {
    const { createConnection } = await import('mysql2/promise');
    const u = new URL(serviceUrls.mysql);
    const conn = await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
    });
    return { query: (q) => conn.query(q), end: () => conn.end() };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serviceUrls.postgres });
  await client.connect();
  return { query: (q) => client.query(q), end: () => client.end() };
}

/** Drops test databases older than six hours (left by runs that crashed); younger ones may belong to a live run. */
export async function dropStaleTestDatabases(probes: ServiceProbe[]): Promise<void> {
  const cutoff = Math.floor(Date.now() / 1000) - 6 * 3600;
  const stale = (name: string) => {
    const m = new RegExp(`^${PREFIX}(\\d+)_`).exec(name);
    return m !== null && Number(m[1]) < cutoff;
  };
  for (const probe of probes) {
    if (!probe.available || (probe.name !== 'mysql' && probe.name !== 'postgres')) continue;
    const dialect = probe.name;
    const conn = await adminConnection(dialect);
    try {
      if (dialect === 'mysql') {
        const [rows] = (await conn.query('show databases')) as [{ Database: string }[]];
        for (const r of rows) if (stale(r.Database)) await conn.query(`drop database if exists \`${r.Database}\``);
      } else {
        const res = (await conn.query('select datname from pg_database')) as { rows: { datname: string }[] };
        for (const r of res.rows) {
          if (stale(r.datname)) await conn.query(`drop database if exists "${r.datname}" with (force)`);
        }
      }
    } finally {
      await conn.end();
    }
  }
}

/**
 * Declares `body` once per dialect, each in a describe block of its own. A dialect whose server did not answer
 * is skipped, and the reason is in the block's name (global-setup prints it too; REQUIRE_SERVICES=1 fails instead).
 */
export function describeEachDialect(title: string, body: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    const { available, reason } = dialectAvailability(dialect);
    const name = available ? `${title} [${dialect}]` : `${title} [${dialect}] (skipped: ${reason})`;
    describe.skipIf(!available)(name, () => body(dialect));
  }
}
