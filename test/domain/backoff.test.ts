import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, parseBackoff } from '../../src/domain/backoff.js';

describe('backoff', () => {
  it('doubles from the base, capped at an hour, when given one number', () => {
    const policy = parseBackoff('5')!;
    const mid = () => 0.5; // no jitter at the middle of the range
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, mid))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(backoffDelay(policy, 40, mid)).toBe(3_600_000);
  });

  it('takes each retry from a list, repeating the last', () => {
    const policy = parseBackoff('10,60,300')!;
    expect([1, 2, 3, 4, 9].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([
      10_000, 60_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('keeps jitter within ±20 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(parseBackoff('2')!, attempt, () => r);
        const base = Math.min(3_600_000, 2000 * 2 ** (attempt - 1));
        return d >= base * 0.8 - 1 && d <= base * 1.2 + 1;
      }),
    );
  });

  it('rejects what is not seconds', () => {
    for (const bad of ['', 'soon', '5,', '-1', '1,x']) expect(parseBackoff(bad), bad).toBeUndefined();
    expect(parseBackoff('0.5')).toEqual({ kind: 'exponential', delaysMs: [500] });
  });
});
