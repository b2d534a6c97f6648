// Bundles the CLI (dist/bundle/main.js) so `npm start` does not resolve and read hundreds of small module files at
// start-up: our code and the pure-JS libraries it uses go into one file plus lazily loaded chunks (one per dynamic
// import, so the queue, S3, mail and command modules that a run does not use are never evaluated).
// Left out of the bundle: native addons, packages that read their own files at run time (static assets, worker
// threads) and the optional drivers that only a configured deployment loads (app.ts imports them lazily).
// bin/inkstone.js runs the bundle when it exists and the plain tsc output (dist/cli/main.js) otherwise.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = `${root}dist/bundle`;

const EXTERNAL = [
  // native addons
  'better-sqlite3',
  'sharp',
  '@node-rs/argon2',
  // read their own files at run time (static assets, worker threads, transports)
  '@fastify/swagger-ui',
  '@fastify/static',
  'pino',
  'pino-pretty',
  'thread-stream',
  // optional drivers and heavy tools, imported lazily only when configured or used
  'ioredis',
  'bullmq',
  '@aws-sdk/*',
  'nodemailer',
  'pg',
  'mysql2',
  'tar',
  'cli-progress',
  'playwright-core',
];

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${root}src/cli/main.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  sourcemap: 'linked',
  legalComments: 'none',
  // Less source to parse at start-up; identifiers keep their names (error and class names appear in logs).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // CommonJS libraries inside an ES module bundle still call require() for node built-ins.
  banner: {
    js: "import { createRequire as __inkstoneCreateRequire } from 'node:module'; const require = __inkstoneCreateRequire(import.meta.url);",
  },
});
