import { describe, expect, it } from 'vitest';
import { parseNpmAudit } from '../../../src/adapters/system/npm-audit.js';

describe('parseNpmAudit', () => {
  it('reads the counts of a finished audit (npm 7+ shape)', () => {
    const out = JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: {},
      metadata: { vulnerabilities: { info: 0, low: 1, moderate: 2, high: 0, critical: 3, total: 6 } },
    });
    expect(parseNpmAudit(out)).toEqual({
      kind: 'done',
      counts: { info: 0, low: 1, moderate: 2, high: 0, critical: 3 },
    });
  });
  it('reports a registry refusal as unavailable, with the reason', () => {
    // What npm prints when the registry refuses the bulk advisory endpoint (as this machine's registry does).
    const out = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    const r = parseNpmAudit(out);
    expect(r.kind).toBe('unavailable');
    expect(r.kind === 'unavailable' && r.reason).toContain('405 Method Not Allowed');
  });
  it('reports output that is not JSON as unavailable', () => {
    expect(parseNpmAudit('npm ERR! network')).toEqual({ kind: 'unavailable', reason: 'npm audit printed no JSON' });
  });
});
