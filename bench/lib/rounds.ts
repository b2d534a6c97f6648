import type { LoadResult } from './load.js';

/** One round of a scenario: the bare server and one of ours, measured back to back. */
export interface Round {
  ours: LoadResult;
  bare: LoadResult;
}

/** What a scenario's rounds add up to: each figure the median of its rounds, the counts summed. */
export interface Combined {
  result: LoadResult;
  bare: LoadResult;
  /** The median of the rounds' own ratios (ours / bare, each round's two runs close together in time). */
  ratio: number;
  /** Every round's ratio, in the order measured. */
  ratios: number[];
}

/** The middle value (the mean of the two middle ones for an even count); undefined when nothing was measured. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of a figure that only some runs report (CPU time needs the server's pid). */
function medianOf(results: readonly LoadResult[], pick: (r: LoadResult) => number | undefined): number | undefined {
  const values = results.map(pick).filter((v): v is number => v !== undefined);
  return values.length === results.length ? median(values) : undefined;
}

/** The runs of one server as one result: medians of the rates and times, sums of the failures. */
export function combineResults(results: readonly LoadResult[]): LoadResult {
  if (results.length === 0) throw new Error('combineResults: no runs');
  const med = (pick: (r: LoadResult) => number) => median(results.map(pick))!;
  const round = (v: number | undefined) => (v === undefined ? undefined : Math.round(v));
  return {
    rps: Math.round(med((r) => r.rps)),
    p50Ms: med((r) => r.p50Ms),
    p99Ms: med((r) => r.p99Ms),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    bytesPerResponse: Math.round(med((r) => r.bytesPerResponse)),
    cpuUsPerRequest: round(medianOf(results, (r) => r.cpuUsPerRequest)),
    clientCpuUsPerRequest: round(medianOf(results, (r) => r.clientCpuUsPerRequest)),
  };
}

/**
 * A scenario's rounds as one row. The ratio is the median of each round's own ratio, not the ratio of the medians:
 * other work on the machine (this is a shared VM) slows both servers of a round alike, so a round's ratio holds
 * steadier than either rate, and one disturbed round cannot move the median.
 */
export function combineRounds(rounds: readonly Round[]): Combined {
  const ratios = rounds.map((r) => (r.bare.rps > 0 ? r.ours.rps / r.bare.rps : 0));
  return {
    result: combineResults(rounds.map((r) => r.ours)),
    bare: combineResults(rounds.map((r) => r.bare)),
    ratio: median(ratios) ?? 0,
    ratios,
  };
}
