#!/usr/bin/env node
// Entry point for the `inkstone` command: runs the compiled CLI (built by `npm ci` through the prepare script).
// The esbuild bundle (dist/bundle/main.js) starts faster and is used when it is at least as new as tsc's output
// (dist/cli/main.js), which is the fallback: a release directory or image that holds only tsc's output, or a bundle
// left behind by an older build.
import { statSync } from 'node:fs';
import { URL } from 'node:url';

const mtime = (relative) => statSync(new URL(relative, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime('../dist/bundle/main.js');
const compiled = mtime('../dist/cli/main.js');
const entry =
  bundled !== undefined && (compiled === undefined || bundled >= compiled)
    ? '../dist/bundle/main.js'
    : '../dist/cli/main.js';
import(entry).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    console.error('inkstone: the compiled program is missing; run `npm run build` (npm ci does it for you)');
    process.exit(2);
  }
  throw err;
});
