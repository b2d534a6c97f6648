import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A private temp dir for binary log files: mariadb-binlog reads files, not pipes. */
export const binlogStage = {
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'inkstone-replay-'));
    return {
      async write(name: string, data: Readable): Promise<string> {
        const path = join(dir, basename(name));
        await pipeline(data, createWriteStream(path));
        return path;
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};
