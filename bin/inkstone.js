#!/usr/bin/env node
// Entry point for the `inkstone` command: runs the compiled CLI (built by `npm ci` through the prepare script).
// The bundle (dist/bundle/main.js) starts faster; the plain tsc output (dist/cli/main.js) is the fallback, e.g. for a
// release directory that holds only tsc's output.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(bundle) ? bundle.href : '../dist/cli/main.js';
import(entry).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    console.error('inkstone: the compiled program is missing; run `npm run build` (npm ci does it for you)');
    process.exit(2);
  }
  throw err;
});
