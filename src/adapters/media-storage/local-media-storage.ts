import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, resolve, sep } from 'node:path';
import { assertSafeKey, UnsafeKeyError, type MediaStorage } from './media-storage.js';

/** Media in a directory on local disk (by default `${STORAGE_DIR}/app/public`, which backups take along). */
export function createLocalMediaStorage(rootDir: string): MediaStorage {
  const root = resolve(rootDir);
  // Belt and braces behind assertSafeKey: the resolved path must still be inside the root.
  const pathOf = (key: string): string => {
    const path = resolve(root, assertSafeKey(key));
    if (!path.startsWith(root + sep)) throw new UnsafeKeyError(key);
    return path;
  };
  const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

  return {
    driver: 'local',
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Written aside and renamed: a reader sees the old file or the whole new one, never a part.
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, body);
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const info = await stat(path);
        if (!info.isFile()) return undefined;
        return {
          body: createReadStream(path),
          sizeBytes: info.size,
          lastModified: info.mtime,
          etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        };
      } catch (err) {
        if (missing(err)) return undefined;
        throw err;
      }
    },
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if (missing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
        throw err;
      }
    },
    async delete(keys) {
      const paths = keys.map(pathOf);
      await Promise.all(paths.map((p) => rm(p, { force: true })));
    },
    close() {},
  };
}
