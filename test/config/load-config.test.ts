import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const cwd = mkdtempSync(join(tmpdir(), 'inkstone-config-'));
const load = (env: Record<string, string | undefined>, envFile = '/dev/null') => loadConfig({ env, cwd, envFile });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on defaults alone: development, SQLite under ./storage, 127.0.0.1:3000', () => {
    const config = load({});
    expect(config.env).toBe('development');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, trustProxy: 'loopback,uniquelocal', cache: true });
    expect(config.database.primary).toMatchObject({ dialect: 'sqlite', file: join(cwd, 'storage/inkstone.sqlite') });
    expect(config.database.autoMigrate).toBe(true);
    expect(config.appUrl).toBe('http://127.0.0.1:3000');
    expect(config.cacheMemoryBytes).toBe(64 * 1024 * 1024);
    expect(load({ CACHE_MEMORY_MB: '16' }).cacheMemoryBytes).toBe(16 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads a .env file, and the real environment wins over it', () => {
    const file = join(cwd, 'custom.env');
    writeFileSync(file, 'PORT=4100\nAPP_NAME="From File"\n# a comment\nHOST=0.0.0.0\n');
    const config = load({ HOST: '127.0.0.2' }, file);
    expect(config.http).toMatchObject({ host: '127.0.0.2', port: 4100 });
    expect(config.appName).toBe('From File');
  });

  it('a missing ENV_FILE is an error naming ENV_FILE', () => {
    const err = configError(() => loadConfig({ env: { ENV_FILE: 'nope.env' }, cwd }));
    expect(err.variable).toBe('ENV_FILE');
  });

  it.each([
    ['DATABASE_URL', 'nonsense'],
    ['DATABASE_URL', 'oracle://x/y'],
    ['DATABASE_URL', 'mysql://localhost'],
    ['DATABASE_URL', 'sqlite:'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['APP_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['AUTO_MIGRATE', 'maybe'],
    ['APP_URL', 'not a url'],
    ['DATABASE_POOL_MAX', '0'],
    ['DATABASE_QUERY_TIMEOUT_MS', '-1'],
    ['DATABASE_QUERY_TIMEOUT_MS', '2.5'],
    ['DATABASE_QUERY_TIMEOUT_MS', 'ten seconds'],
    ['CACHE_MEMORY_MB', '0'],
    ['CACHE_MEMORY_MB', 'lots'],
  ])('%s=%s is refused with a one-line message naming the variable', (variable, value) => {
    const err = configError(() => load({ [variable]: value }));
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: expected`)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('DATABASE_QUERY_TIMEOUT_MS: 10 s by default, 0 turns the budget off', () => {
    expect(load({}).database.queryTimeoutMs).toBe(10_000);
    expect(load({ DATABASE_QUERY_TIMEOUT_MS: '0' }).database.queryTimeoutMs).toBe(0);
    expect(load({ DATABASE_QUERY_TIMEOUT_MS: '2500' }).database.queryTimeoutMs).toBe(2500);
  });

  it('production needs APP_KEY of 32+ characters and does not auto-migrate', () => {
    expect(configError(() => load({ APP_ENV: 'production' })).variable).toBe('APP_KEY');
    const config = load({ APP_ENV: 'production', APP_KEY: 'k'.repeat(32) });
    expect(config.database.autoMigrate).toBe(false);
    expect(load({ APP_ENV: 'production', APP_KEY: 'k'.repeat(32), AUTO_MIGRATE: 'true' }).database.autoMigrate).toBe(
      true,
    );
  });

  it('parses server URLs with credentials, sockets and default ports', () => {
    const my = load({ DATABASE_URL: 'mysql://blog:p%40ss@db.internal/blog' }).database.primary;
    expect(my).toMatchObject({ dialect: 'mysql', host: 'db.internal', port: 3306, user: 'blog', password: 'p@ss' });
    const sock = load({ DATABASE_URL: 'mariadb://root@localhost/test?socket=/run/mysqld/mysqld.sock' }).database
      .primary;
    expect(sock).toMatchObject({ dialect: 'mysql', socket: '/run/mysqld/mysqld.sock', database: 'test' });
    const pg = load({ DATABASE_URL: 'postgresql://postgres@127.0.0.1/inkstone' }).database.primary;
    expect(pg).toMatchObject({ dialect: 'postgres', port: 5432, database: 'inkstone' });
  });

  it('accepts absolute SQLite paths and rejects a replica of another dialect or on SQLite', () => {
    expect(load({ DATABASE_URL: 'sqlite:/var/lib/inkstone/blog.sqlite' }).database.primary).toMatchObject({
      file: '/var/lib/inkstone/blog.sqlite',
    });
    const mixed = configError(() => load({ DATABASE_URL: 'postgres://u@h/db', DATABASE_READ_URL: 'mysql://u@h/db' }));
    expect(mixed.variable).toBe('DATABASE_READ_URL');
    expect(configError(() => load({ DATABASE_READ_URL: 'sqlite:/tmp/x.sqlite' })).variable).toBe('DATABASE_READ_URL');
  });
});
