import { describe, expect, it } from 'vitest';
import { combineResults, combineRounds, median } from '../../bench/lib/rounds.js';
import type { LoadResult } from '../../bench/lib/load.js';

const run = (rps: number, extra: Partial<LoadResult> = {}): LoadResult => ({
  rps,
  p50Ms: 1,
  p99Ms: 2,
  non2xx: 0,
  errors: 0,
  bytesPerResponse: 100,
  cpuUsPerRequest: 10,
  clientCpuUsPerRequest: 5,
  ...extra,
});

describe('bench rounds', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('judges by the median of each round’s own ratio, not the ratio of the medians', () => {
    // Round 2 ran while the machine was busy: both servers slowed, its ratio did not.
    const combined = combineRounds([
      { ours: run(1000), bare: run(10_000) },
      { ours: run(500), bare: run(5000) },
      { ours: run(3000), bare: run(12_000) },
    ]);
    expect(combined.ratios).toEqual([0.1, 0.1, 0.25]);
    expect(combined.ratio).toBe(0.1);
    expect(combined.result.rps).toBe(1000);
    expect(combined.bare.rps).toBe(10_000);
  });

  it('sums failures across rounds, so one bad round still shows', () => {
    const combined = combineResults([run(10), run(10, { non2xx: 3 }), run(10, { errors: 2 })]);
    expect(combined.non2xx).toBe(3);
    expect(combined.errors).toBe(2);
  });

  it('reports CPU time only when every round measured it', () => {
    expect(combineResults([run(1, { cpuUsPerRequest: 10 }), run(1, { cpuUsPerRequest: 30 })]).cpuUsPerRequest).toBe(20);
    expect(combineResults([run(1), run(1, { cpuUsPerRequest: undefined })]).cpuUsPerRequest).toBeUndefined();
  });

  it('counts a round whose bare server answered nothing as a ratio of 0', () => {
    expect(combineRounds([{ ours: run(10), bare: run(0) }]).ratio).toBe(0);
  });

  it('refuses to combine no runs', () => {
    expect(() => combineResults([])).toThrow(/no runs/);
  });
});
