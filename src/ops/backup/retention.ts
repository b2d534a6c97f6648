/** A set as the retention policy sees it. */
export interface RetainedSet {
  id: string;
  createdAt: Date;
  parentId: string | null;
  size: number;
}

export type RetentionPolicy =
  | { type: 'days'; days: number }
  | {
      type: 'gfs';
      allDays: number;
      dailyDays: number;
      weeklyWeeks: number;
      monthlyMonths: number;
      yearlyYears: number;
      maxBytes: number | undefined;
    };

export const DEFAULT_GFS: Extract<RetentionPolicy, { type: 'gfs' }> = {
  type: 'gfs',
  allDays: 7,
  dailyDays: 16,
  weeklyWeeks: 8,
  monthlyMonths: 4,
  yearlyYears: 2,
  maxBytes: undefined,
};

const DAY = 86_400_000;

/**
 * The ids to keep. Grandfather-father-son keeps everything for `allDays`, then the newest set of each day, week,
 * month and year for the following windows. Whatever the policy, the newest set is kept, and so is every set a
 * kept incremental needs to be restored.
 */
export function setsToKeep(sets: readonly RetainedSet[], now: Date, policy: RetentionPolicy): Set<string> {
  const sorted = [...sets].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const keep = new Set<string>();
  if (sorted[0]) keep.add(sorted[0].id);
  const age = (s: RetainedSet) => now.getTime() - s.createdAt.getTime();
  if (policy.type === 'days') {
    for (const s of sorted) if (age(s) < policy.days * DAY) keep.add(s.id);
  } else {
    const allEnd = policy.allDays * DAY;
    const dailyEnd = allEnd + policy.dailyDays * DAY;
    const weeklyEnd = dailyEnd + policy.weeklyWeeks * 7 * DAY;
    const monthlyEnd = weeklyEnd + policy.monthlyMonths * 30 * DAY;
    const yearlyEnd = monthlyEnd + policy.yearlyYears * 365 * DAY;
    const seen = new Set<string>();
    for (const s of sorted) {
      const a = age(s);
      const d = s.createdAt.toISOString();
      let bucket: string | undefined;
      if (a < allEnd) bucket = `all:${s.id}`;
      else if (a < dailyEnd) bucket = `day:${d.slice(0, 10)}`;
      else if (a < weeklyEnd) bucket = `week:${isoWeek(s.createdAt)}`;
      else if (a < monthlyEnd) bucket = `month:${d.slice(0, 7)}`;
      else if (a < yearlyEnd) bucket = `year:${d.slice(0, 4)}`;
      // Newest first, so the first set seen in a bucket is the newest of that day/week/month/year.
      if (bucket && !seen.has(bucket)) {
        seen.add(bucket);
        keep.add(s.id);
      }
    }
    if (policy.maxBytes !== undefined) {
      let total = sorted.filter((s) => keep.has(s.id)).reduce((n, s) => n + s.size, 0);
      for (const s of [...sorted].reverse()) {
        if (total <= policy.maxBytes) break;
        if (s.id === sorted[0]?.id || !keep.has(s.id)) continue;
        keep.delete(s.id);
        total -= s.size;
      }
    }
  }
  const byId = new Map(sets.map((s) => [s.id, s]));
  for (const id of [...keep]) {
    let parent = byId.get(id)?.parentId;
    while (parent) {
      keep.add(parent);
      parent = byId.get(parent)?.parentId ?? null;
    }
  }
  return keep;
}

function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / DAY + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
