import type { Sample } from './load.js';

/** When each step ran, in the same clock as the samples (performance.now()). */
export interface Timeline {
  deployStart: number;
  deployEnd: number;
  rollbackStart: number;
  rollbackEnd: number;
}

export interface Verdict {
  pass: boolean;
  total: number;
  failed: number;
  serverErrors: number;
  wrongVersion: number;
  /** Requests resent once after a reset before any response byte (not failures; reported). */
  retried: number;
  byVersion: Record<string, number>;
  problems: string[];
  rollbackSeconds: number;
  deploySeconds: number;
  latencyMs: { p50: number; p99: number; max: number };
}

export const ROLLBACK_LIMIT_SECONDS = 30;

/**
 * The drill's pass rule. Every request must succeed with a 2xx; a request that lay entirely before the deploy,
 * between deploy and rollback, or after the rollback must come from the build that was in front then (A, B, A);
 * requests overlapping a switch may come from either. The rollback must finish within 30 s.
 */
export function judge(samples: Sample[], t: Timeline, versions: { a: string; b: string }): Verdict {
  const problems: string[] = [];
  let failed = 0;
  let serverErrors = 0;
  let wrongVersion = 0;
  let retried = 0;
  const byVersion: Record<string, number> = {};
  const expected = (s: Sample): string[] => {
    if (s.end < t.deployStart) return [versions.a];
    if (s.start > t.deployEnd && s.end < t.rollbackStart) return [versions.b];
    if (s.start > t.rollbackEnd) return [versions.a];
    return [versions.a, versions.b];
  };
  for (const s of samples) {
    if (s.retried) retried++;
    const key = s.version ?? 'none';
    byVersion[key] = (byVersion[key] ?? 0) + 1;
    if (s.error !== undefined || s.status === undefined || s.status < 200 || s.status > 299) {
      failed++;
      if (s.status !== undefined && s.status >= 500) serverErrors++;
      if (problems.length < 10)
        problems.push(`${s.path} at ${Math.round(s.start)} ms: ${s.error ?? `HTTP ${s.status}`}`);
      continue;
    }
    const allowed = expected(s);
    if (s.version === undefined || !allowed.includes(s.version)) {
      wrongVersion++;
      if (problems.length < 10) {
        problems.push(`${s.path} at ${Math.round(s.start)} ms answered by ${key}, expected ${allowed.join(' or ')}`);
      }
    }
  }
  const rollbackSeconds = (t.rollbackEnd - t.rollbackStart) / 1000;
  if (rollbackSeconds >= ROLLBACK_LIMIT_SECONDS) problems.push(`rollback took ${rollbackSeconds.toFixed(1)} s`);
  if (samples.length === 0) problems.push('no requests were sent');
  const ms = samples.map((s) => s.end - s.start).sort((x, y) => x - y);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return {
    pass: failed === 0 && wrongVersion === 0 && rollbackSeconds < ROLLBACK_LIMIT_SECONDS && samples.length > 0,
    total: samples.length,
    failed,
    serverErrors,
    wrongVersion,
    retried,
    byVersion,
    problems,
    rollbackSeconds,
    deploySeconds: (t.deployEnd - t.deployStart) / 1000,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: ms.at(-1) ?? 0 },
  };
}
