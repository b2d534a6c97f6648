import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.js';

export type Dialect = 'sqlite' | 'mysql' | 'postgres';

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly file: string; readonly url: string }
  | {
      readonly dialect: 'mysql' | 'postgres';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly password: string;
      readonly database: string;
      /** Unix socket path (MySQL `?socket=`, PostgreSQL `?host=/dir`). */
      readonly socket: string | undefined;
      readonly url: string;
    };

const EXPECTED =
  'expected sqlite:./path/file.sqlite (or an absolute path), mysql://user:pass@host:3306/db or postgres://user:pass@host:5432/db';

/** Parses a DATABASE_URL-style value. `cwd` anchors relative SQLite paths. */
export function parseDatabaseUrl(variable: string, value: string, cwd: string): DatabaseTarget {
  const raw = value.trim();
  if (raw.startsWith('sqlite:')) {
    let file = raw.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2); // sqlite:///abs/path and sqlite://./rel both accepted
    if (file === '') throw new ConfigError(variable, `${EXPECTED} (the SQLite file path is empty)`);
    if (file !== ':memory:' && !isAbsolute(file)) file = resolve(cwd, file);
    return { dialect: 'sqlite', file, url: `sqlite:${file}` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, EXPECTED);
  }
  const scheme = url.protocol.replace(/:$/, '');
  const dialect =
    scheme === 'mysql' || scheme === 'mariadb'
      ? 'mysql'
      : scheme === 'postgres' || scheme === 'postgresql'
        ? 'postgres'
        : undefined;
  if (!dialect) throw new ConfigError(variable, `${EXPECTED} (unknown scheme "${scheme}")`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new ConfigError(variable, `${EXPECTED} (the database name is missing)`);
  }
  const socket =
    url.searchParams.get('socket') ?? (dialect === 'postgres' ? url.searchParams.get('host') : null) ?? undefined;
  if (url.hostname === '' && socket === undefined) {
    throw new ConfigError(variable, `${EXPECTED} (the host is missing)`);
  }
  const port = url.port === '' ? (dialect === 'mysql' ? 3306 : 5432) : Number(url.port);
  return {
    dialect,
    host: url.hostname || 'localhost',
    port,
    user: decodeURIComponent(url.username) || (dialect === 'mysql' ? 'root' : 'postgres'),
    password: decodeURIComponent(url.password),
    database,
    socket,
    url: raw,
  };
}

/** The URL with its password replaced, for logs and messages. */
export function redactDatabaseUrl(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return target.url;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return `${target.dialect}://***`;
  }
}
