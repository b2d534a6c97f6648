import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** package.json of the installed program (required). */
export async function readManifest<T>(root: string): Promise<T> {
  return JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as T;
}

/** package-lock.json beside it, or undefined when there is none; unreadable JSON is an error. */
export async function readLockfile<T>(root: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, 'package-lock.json'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error('package-lock.json is not valid JSON');
  }
}
