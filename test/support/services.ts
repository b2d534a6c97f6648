import { connect } from 'node:net';

/**
 * The external services the suites can use. Each is probed once per run (global-setup.ts); suites whose service
 * is unreachable are skipped with the reason printed, unless REQUIRE_SERVICES=1, which makes that a failure.
 * Test-only variables (TEST_*) may be read here: the program itself reads its environment only through config.
 */
export const SERVICE_NAMES = ['mysql', 'postgres', 'redis'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceProbe {
  name: ServiceName;
  url: string;
  available: boolean;
  reason?: string;
}

export const serviceUrls: Record<ServiceName, string> = {
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
  postgres: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export async function probeService(name: ServiceName): Promise<ServiceProbe> {
  const url = serviceUrls[name];
  try {
    if (name === 'mysql') {
      const { createConnection } = await import('mysql2/promise');
      const u = new URL(url);
      const conn = await createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username || 'root'),
        password: decodeURIComponent(u.password),
        connectTimeout: 3000,
      });
      await conn.query('select 1');
      await conn.end();
    } else if (name === 'postgres') {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      await client.connect();
      await client.query('select 1');
      await client.end();
    } else {
      await redisPing(url);
    }
    return { name, url, available: true };
  } catch (err) {
    return { name, url, available: false, reason: (err as Error).message || String(err) };
  }
}

/** A PING over a raw socket: no Redis client is needed just to know whether one answers. */
function redisPing(url: string): Promise<void> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || 6379) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 3 s'));
    }, 3000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.end();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected answer: ${data.toString().trim()}`));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
