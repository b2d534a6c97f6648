import { execFile } from 'node:child_process';
import type { AuditOutcome } from '../../ops/deploy-check/runtime-checks.js';

/**
 * Runs `npm audit --omit=dev --json` in the program's root. npm exits non-zero both when it finds advisories and
 * when the registry cannot answer, so the outcome is read from the JSON, never from the exit code.
 */
export function runNpmAudit(root: string, timeoutMs = 30_000): Promise<AuditOutcome> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: root, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout) => {
        const killed = err !== null && (err as { killed?: boolean }).killed === true;
        if (killed) return resolve({ kind: 'unavailable', reason: `npm audit did not answer within ${timeoutMs} ms` });
        if (err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          return resolve({ kind: 'unavailable', reason: 'npm is not installed here' });
        }
        resolve(parseNpmAudit(stdout));
      },
    );
  });
}

/** npm 7+ audit JSON: `metadata.vulnerabilities` on success; `statusCode`/`message` or `error` when it failed. */
export function parseNpmAudit(stdout: string): AuditOutcome {
  let json: {
    metadata?: { vulnerabilities?: Record<string, number> };
    statusCode?: number;
    message?: string;
    error?: { code?: string; summary?: string };
  };
  try {
    json = JSON.parse(stdout) as typeof json;
  } catch {
    return { kind: 'unavailable', reason: 'npm audit printed no JSON' };
  }
  const v = json.metadata?.vulnerabilities;
  if (v !== undefined) {
    const n = (k: string) => (typeof v[k] === 'number' ? v[k] : 0);
    return {
      kind: 'done',
      counts: { info: n('info'), low: n('low'), moderate: n('moderate'), high: n('high'), critical: n('critical') },
    };
  }
  const reason =
    json.message ||
    json.error?.summary ||
    json.error?.code ||
    (json.statusCode ? `registry answered ${json.statusCode}` : 'no result');
  return { kind: 'unavailable', reason: `the registry could not audit: ${reason}` };
}
