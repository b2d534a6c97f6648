import { describe, expect, it } from 'vitest';
import { judge } from '../../scripts/drill/verdict.js';
import type { Sample } from '../../scripts/drill/load.js';

// The drill's pass rule decides whether CI calls a deploy zero-downtime, so it must fail on each kind of fault.
const versions = { a: '1.0.0-a', b: '1.0.0-b' };
const t = { deployStart: 1000, deployEnd: 2000, rollbackStart: 3000, rollbackEnd: 4000 };
const ok = (start: number, version: string, extra: Partial<Sample> = {}): Sample => ({
  start,
  end: start + 5,
  path: '/health/ready',
  status: 200,
  version,
  error: undefined,
  retried: false,
  ...extra,
});
const clean = [ok(100, 'A'), ok(1500, 'A'), ok(1600, 'B'), ok(2500, 'B'), ok(3500, 'A'), ok(4500, 'A')].map((s) => ({
  ...s,
  version: s.version === 'A' ? versions.a : versions.b,
}));

describe('judge', () => {
  it('passes a clean run and reports its figures', () => {
    const v = judge(clean, t, versions);
    expect(v.pass).toBe(true);
    expect(v.total).toBe(6);
    expect(v.byVersion).toEqual({ [versions.a]: 4, [versions.b]: 2 });
    expect(v.rollbackSeconds).toBe(1);
  });

  it('fails on a 5xx, counting it as a server error', () => {
    const v = judge([...clean, ok(2500, versions.b, { status: 502 })], t, versions);
    expect(v).toMatchObject({ pass: false, failed: 1, serverErrors: 1 });
  });

  it('fails on a connection error', () => {
    const v = judge([...clean, ok(2500, versions.b, { status: undefined, error: 'ECONNRESET' })], t, versions);
    expect(v).toMatchObject({ pass: false, failed: 1, serverErrors: 0 });
    expect(v.problems[0]).toContain('ECONNRESET');
  });

  it('fails on the old build answering after the switch completed, or the new one before it began', () => {
    expect(judge([...clean, ok(2500, versions.a)], t, versions)).toMatchObject({ pass: false, wrongVersion: 1 });
    expect(judge([...clean, ok(500, versions.b)], t, versions)).toMatchObject({ pass: false, wrongVersion: 1 });
    expect(judge([...clean, ok(4200, versions.b)], t, versions)).toMatchObject({ pass: false, wrongVersion: 1 });
  });

  it('accepts either build while a switch is under way', () => {
    expect(judge([...clean, ok(1990, versions.a), ok(3990, versions.b)], t, versions).pass).toBe(true);
  });

  it('counts resent requests without failing them', () => {
    const v = judge([...clean, ok(2500, versions.b, { retried: true })], t, versions);
    expect(v).toMatchObject({ pass: true, retried: 1 });
  });

  it('fails a rollback of 30 s or more, and a run without requests', () => {
    expect(judge(clean, { ...t, rollbackEnd: 33_000 }, versions).pass).toBe(false);
    expect(judge([], t, versions).pass).toBe(false);
  });
});
