import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Size and free space of the file system holding `path` (its nearest existing ancestor if it does not exist yet). */
export async function readDiskUsage(path: string): Promise<{ path: string; totalBytes: number; freeBytes: number }> {
  let at = path;
  for (;;) {
    try {
      const s = await statfs(at);
      // bavail, not bfree: blocks reserved for root are not space the app can use.
      return { path, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch (err) {
      const parent = dirname(at);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw err;
      at = parent;
    }
  }
}
