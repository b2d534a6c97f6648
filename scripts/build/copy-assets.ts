// The build's non-TypeScript files: tsc copies none of them, so `dist/` gets the admin UI's static files here and
// is complete on its own (a release directory holds dist/, not src/). Run by `npm run build`; the deploy drill
// calls copyAssets for its own compile.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASSET_DIRS = ['http/admin/assets'] as const;

export function copyAssets(root: string, outDir: string): void {
  for (const dir of ASSET_DIRS) cpSync(join(root, 'src', dir), join(outDir, dir), { recursive: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  copyAssets(root, join(root, 'dist'));
}
