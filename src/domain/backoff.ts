/**
 * How long a failed job waits before its next try. `--backoff=5` doubles from 5 s (5, 10, 20, … capped at an
 * hour); `--backoff=10,60,300` gives each retry its own delay (the last one repeats). Every delay gets ±20 %
 * jitter, so jobs that failed together (a mail server down) do not all come back in the same second.
 */
export interface BackoffPolicy {
  readonly kind: 'exponential' | 'list';
  readonly delaysMs: readonly number[];
}

const CAP_MS = 3_600_000;

export function parseBackoff(text: string): BackoffPolicy | undefined {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return undefined;
  const delaysMs = parts.map((p) => Math.round(Number(p) * 1000));
  return { kind: parts.length === 1 ? 'exponential' : 'list', delaysMs };
}

/** The delay before try `attempt + 1`, after try `attempt` (1-based) failed. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, attempt);
  const base =
    policy.kind === 'exponential'
      ? Math.min(CAP_MS, (policy.delaysMs[0] ?? 0) * 2 ** Math.min(n - 1, 30))
      : (policy.delaysMs[Math.min(n, policy.delaysMs.length) - 1] ?? 0);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export const DEFAULT_BACKOFF: BackoffPolicy = { kind: 'exponential', delaysMs: [5000] };
