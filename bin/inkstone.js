#!/usr/bin/env node
// Entry point for the `inkstone` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    console.error('inkstone: the compiled program is missing; run `npm run build` (npm ci does it for you)');
    process.exit(2);
  }
  throw err;
});
