import { Redis } from 'ioredis';

/** One PING with a short timeout and no retries: a check must answer, not wait for Redis to come back. */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with a generic "Connection is closed"; the socket's own error says why.
  const seen: { error?: NodeJS.ErrnoException } = {};
  client.on('error', (err: NodeJS.ErrnoException) => (seen.error ??= err));
  try {
    await client.connect();
    const answer: string = await client.ping();
    if (answer !== 'PONG') throw new Error(`unexpected answer to PING: ${answer}`);
  } catch (err) {
    const e = seen.error ?? (err as NodeJS.ErrnoException);
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${e.code ?? e.message}`, { cause: err });
  } finally {
    client.disconnect();
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
