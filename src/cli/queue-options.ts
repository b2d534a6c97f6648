import { InvalidArgumentError } from 'commander';
import { parseBackoff, type BackoffPolicy } from '../domain/backoff.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function parseQueueList(value: string): string[] {
  const names = value.split(',').map((n) => n.trim());
  const bad = names.find((n) => !QUEUE_NAME.test(n));
  if (bad !== undefined) {
    throw new InvalidArgumentError(
      `--queue expects names of letters, digits, - and _ separated by commas (got "${bad}").`,
    );
  }
  return names;
}

/** Seconds as a number, fractions allowed (--sleep=0.5), as milliseconds. */
export function parseSecondsOption(option: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || n < min) {
      throw new InvalidArgumentError(`${option} expects a number of seconds${min > 0 ? ` of at least ${min}` : ''}.`);
    }
    return Math.round(n * 1000);
  };
}

export function parseBackoffOption(value: string): BackoffPolicy {
  const policy = parseBackoff(value);
  if (!policy) throw new InvalidArgumentError('--backoff expects seconds (5 = 5, 10, 20, …) or a list like 10,60,300.');
  return policy;
}

/** `default:100,mail:50` -> the most jobs each queue may have waiting. */
export function parseThresholds(value: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of value.split(',')) {
    const m = /^([A-Za-z0-9_-]{1,64}):(\d+)$/.exec(part.trim());
    if (!m) throw new InvalidArgumentError(`expected queue:max pairs like default:100,mail:50 (got "${part}").`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}
