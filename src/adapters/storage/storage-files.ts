import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';

/** The folders under storage/ a backup carries (uploads and logs), as the design lists them. */
export const BACKED_UP_DIRS = ['app', 'logs'] as const;

/** storage/app and storage/logs as one tar stream, and back (replacing them). */
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
    /**
     * Makes storage/app and storage/logs exactly what the tar holds: files the backup does not have are gone
     * afterwards. The tar is unpacked into a staging folder beside them (same file system, so a rename swaps it in);
     * a stream that fails half-way (corrupt, truncated, wrong key) leaves the live folders as they were.
     */
    async replaceWith(stream: Readable): Promise<void> {
      await mkdir(storageDir, { recursive: true });
      const staging = await mkdtemp(join(storageDir, '.restore-'));
      try {
        const allowed = (path: string) => BACKED_UP_DIRS.some((d) => path === d || path.startsWith(`${d}/`));
        // Only the backed-up folders: a crafted tar cannot write anywhere else under storage/.
        const unpacker = tar.x({ cwd: staging, filter: (path) => allowed(path.replace(/^\.\//, '')) });
        const settled = new Promise((r) => {
          unpacker.once('close', r);
          unpacker.once('error', r);
        });
        try {
          await pipeline(stream, unpacker as unknown as NodeJS.WritableStream);
        } catch (err) {
          // The extractor may still be writing files it had started: let it finish before the folder goes.
          await Promise.race([settled, new Promise((r) => setTimeout(r, 2000))]);
          throw err;
        }
        // Everything is on disk: only now is the live tree replaced, one rename per folder.
        const old = join(staging, '.old');
        await mkdir(old);
        const live = (d: string) => join(storageDir, d);
        const movedAside: string[] = [];
        try {
          for (const d of BACKED_UP_DIRS) {
            if (existsSync(live(d))) {
              await rename(live(d), join(old, d));
              movedAside.push(d);
            }
            if (existsSync(join(staging, d))) await rename(join(staging, d), live(d));
          }
        } catch (err) {
          // A rename failed (rare on one file system): put the folders already moved aside back before saying so.
          for (const d of movedAside.reverse()) {
            if (existsSync(live(d))) await rename(live(d), join(staging, `.new-${d}`));
            await rename(join(old, d), live(d));
          }
          throw err;
        }
      } finally {
        await rm(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      }
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
