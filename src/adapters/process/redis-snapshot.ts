import type { Readable } from 'node:stream';
import { startTool } from './tool.js';

/** An RDB snapshot streamed from a running Redis (`redis-cli --rdb -`, Debian package redis-tools). */
export function createRedisSnapshot(url: string) {
  return {
    snapshot(): Readable {
      const tool = startTool('redis-cli', ['-u', url, '--no-auth-warning', '--rdb', '-'], { stdin: 'ignore' });
      tool.done.catch((err: Error) => tool.stdout.destroy(err));
      return tool.stdout;
    },
  };
}
