import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../../version.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface AdminAsset {
  body: Buffer;
  type: string;
}

/**
 * The admin's static files, read once into memory (a few small files). They sit beside this module in the
 * source tree; the TypeScript build does not copy them, so a built dist/ falls back to the source copy (the
 * Docker image copies them next to the built module instead).
 */
export async function loadAdminAssets(): Promise<ReadonlyMap<string, AdminAsset>> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // Beside this module (tsc output with the copied files), then the package's dist/ and src/ copies: the bundle
  // (dist/bundle/) has no assets beside it.
  const candidates = [
    join(here, 'assets'),
    join(PACKAGE_ROOT, 'dist', 'http', 'admin', 'assets'),
    join(PACKAGE_ROOT, 'src', 'http', 'admin', 'assets'),
  ];
  const dir = candidates.find((d) => existsSync(d));
  if (dir === undefined) throw new Error(`admin assets not found (looked in ${candidates.join(', ')})`);
  const files = new Map<string, AdminAsset>();
  for (const name of await readdir(dir)) {
    const type = TYPES[extname(name)];
    if (type === undefined) continue;
    files.set(name, { body: await readFile(join(dir, name)), type });
  }
  return files;
}
