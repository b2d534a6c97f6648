import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';

/** The folders under storage/ a backup carries (uploads and logs), as the design lists them. */
export const BACKED_UP_DIRS = ['app', 'logs'] as const;

/** storage/app and storage/logs as one tar stream, and back. */
export function createStorageFiles(storageDir: string) {
  const present = () => BACKED_UP_DIRS.filter((d) => existsSync(join(storageDir, d)));
  return {
    present: () => Promise.resolve(present().length > 0),
    pack(): Readable {
      const dirs = present();
      // An empty tar (two zero blocks) when neither folder exists yet: the set still says "files: none".
      if (dirs.length === 0) return Readable.from([Buffer.alloc(1024)]);
      return tar.c({ cwd: storageDir, portable: true }, dirs) as unknown as Readable;
    },
    async unpack(stream: Readable): Promise<void> {
      await mkdir(storageDir, { recursive: true });
      await pipeline(stream, tar.x({ cwd: storageDir }) as unknown as NodeJS.WritableStream);
    },
  };
}

/** The configured env file: read for the backup; restored beside the live one (never over it). */
export function createEnvFile(path: string) {
  return {
    read: async (): Promise<Buffer | undefined> => (existsSync(path) ? readFile(path) : undefined),
    async writeRestored(data: Readable): Promise<string> {
      const chunks: Buffer[] = [];
      for await (const c of data) chunks.push(c as Buffer);
      const out = `${path}.restored`;
      await writeFile(out, Buffer.concat(chunks), { mode: 0o600 });
      return out;
    },
  };
}
