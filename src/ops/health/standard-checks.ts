import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';
import type { HealthCheck } from './checks.js';

export function databaseCheck(name: string, ping: () => Promise<void>): HealthCheck {
  return {
    name,
    async run() {
      await ping();
      return { ok: true };
    },
  };
}

export function redisCheck(redis: Redis): HealthCheck {
  return {
    name: 'redis',
    async run() {
      // Without an offline queue, a client that is not connected fails at once rather than waiting.
      if (redis.status !== 'ready') return { ok: false, detail: `not connected (${redis.status})` };
      const answer: string = await redis.ping();
      return { ok: answer === 'PONG', detail: answer === 'PONG' ? undefined : `answered ${answer}` };
    },
  };
}

export function diskCheck(dir: string, minFreeMb: number): HealthCheck {
  return {
    name: 'disk',
    async run() {
      const s = await statfs(existingAncestor(dir));
      const freeMb = Math.floor((s.bavail * s.bsize) / 1024 / 1024);
      return {
        ok: freeMb >= minFreeMb,
        detail: `${freeMb} MB free on the storage volume (minimum ${minFreeMb} MB)`,
      };
    },
  };
}

/** The storage directory may not exist yet on a fresh install; its volume is that of its nearest ancestor. */
function existingAncestor(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}
