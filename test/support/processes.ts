import { spawnTs as spawnTsFile, type Spawned } from '../../scripts/lib/processes.js';

export type { Spawned };

/** Runs a TypeScript file in a child node process (through tsx), with its own environment. */
export function spawnTs(file: string, env: Record<string, string>): Spawned {
  return spawnTsFile(file, [], { PATH: process.env.PATH ?? '', APP_ENV: 'test', LOG_LEVEL: 'warn', ...env });
}
