import type { MigrationService } from './migrations.js';

/** The engine-level operations the checks need, bound to the primary database by the composition root. */
export interface DatabaseTools {
  readonly dialect: string;
  ping(): Promise<void>;
  checkIntegrity(): Promise<{ ok: boolean; problems: string[] }>;
  optimize(): Promise<string[]>;
}

export interface CheckLine {
  name: 'connection' | 'migrations' | 'integrity';
  ok: boolean;
  detail: string;
  ms: number;
}

/**
 * `db:check`: the database answers, the schema matches this version of the code, and the engine's own
 * consistency check passes. Stops after a failed connection (nothing else can be checked then).
 */
export async function checkDatabase(deps: {
  tools: DatabaseTools;
  migrations: MigrationService;
}): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const timed = async (name: CheckLine['name'], fn: () => Promise<{ ok: boolean; detail: string }>) => {
    const started = performance.now();
    try {
      const r = await fn();
      lines.push({ name, ...r, ms: performance.now() - started });
    } catch (err) {
      lines.push({ name, ok: false, detail: (err as Error).message, ms: performance.now() - started });
    }
    return lines.at(-1)!.ok;
  };
  const connected = await timed('connection', async () => {
    await deps.tools.ping();
    return { ok: true, detail: `${deps.tools.dialect} answers` };
  });
  if (!connected) return lines;
  await timed('migrations', async () => {
    const states = await deps.migrations.status();
    const pending = states.filter((s) => s.batch === null).map((s) => s.name);
    const unknown = states.filter((s) => s.missingInCode).map((s) => s.name);
    if (pending.length > 0) return { ok: false, detail: `${pending.length} pending: ${pending.join(', ')}` };
    if (unknown.length > 0) return { ok: false, detail: `applied but unknown to this version: ${unknown.join(', ')}` };
    return { ok: true, detail: `all ${states.length} applied` };
  });
  await timed('integrity', async () => {
    const r = await deps.tools.checkIntegrity();
    return { ok: r.ok, detail: r.ok ? 'no problems found' : r.problems.slice(0, 10).join('; ') };
  });
  return lines;
}
