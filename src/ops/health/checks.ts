export interface HealthCheck {
  readonly name: string;
  run(): Promise<{ ok: boolean; detail?: string }>;
}

export interface CheckResult {
  status: 'ok' | 'fail';
  ms: number;
  detail?: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  checks: Record<string, CheckResult>;
  version: string;
  commit: string | null;
  timestamp: string;
}

/**
 * Runs every check at once, each under its own timeout: a hung dependency fails its own check and never holds
 * the report past `timeoutMs` (plus scheduling).
 */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  options: { timeoutMs: number; version: string; commit: string | undefined; now?: () => Date },
): Promise<HealthReport> {
  const results = await Promise.all(checks.map((c) => runOne(c, options.timeoutMs)));
  const entries = checks.map((c, i) => [c.name, results[i]!] as const);
  return {
    status: results.every((r) => r.status === 'ok') ? 'healthy' : 'unhealthy',
    checks: Object.fromEntries(entries),
    version: options.version,
    commit: options.commit ?? null,
    timestamp: (options.now?.() ?? new Date()).toISOString(),
  };
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const r = await Promise.race([check.run(), timeout]);
    return {
      status: r.ok ? 'ok' : 'fail',
      ms: Math.round(performance.now() - started),
      ...(r.detail ? { detail: r.detail } : {}),
    };
  } catch (err) {
    return { status: 'fail', ms: Math.round(performance.now() - started), detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
