import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const LOG_FILE = /\.log(\.\d+)?(\.gz)?$/;

/**
 * Deletes log files (`*.log`, rotated `*.log.1`, `*.log.gz`) in `dir` last written before `cutoff`.
 * A missing directory means nothing to clear. Other files are left alone.
 */
export async function deleteLogFilesBefore(dir: string, cutoff: Date): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const deleted: string[] = [];
  for (const name of names.sort()) {
    if (!LOG_FILE.test(name)) continue;
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isFile() && info.mtime < cutoff) {
      await unlink(path);
      deleted.push(name);
    }
  }
  return deleted;
}
