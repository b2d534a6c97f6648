import { spawnTs, type Spawned } from '../../scripts/lib/processes.js';

export { freePort, waitForOk } from '../../scripts/lib/processes.js';

export type InkstoneProcess = Spawned;

/** Starts the real `inkstone` program from source (through tsx) as its own process. */
export function spawnInkstone(args: string[], env: Record<string, string>): InkstoneProcess {
  return spawnTs('src/cli/main.ts', args, {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    APP_ENV: 'test',
    ...env,
  });
}
