import { describe, expect, it } from 'vitest';
import { DEFAULT_GFS, setsToKeep, type RetainedSet } from '../../../src/ops/backup/retention.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;

/** One full backup a day at 02:00 for `days` days back from NOW, ids by date. */
function dailyCalendar(days: number): RetainedSet[] {
  const out: RetainedSet[] = [];
  for (let d = 0; d < days; d++) {
    const at = new Date(Date.UTC(2026, 10, 25, 2) - d * DAY);
    out.push({ id: at.toISOString().slice(0, 10), createdAt: at, parentId: null, size: 100 });
  }
  return out;
}

describe('retention policy', () => {
  it('--days keeps exactly the sets younger than the limit', () => {
    const keep = setsToKeep(dailyCalendar(40), NOW, { type: 'days', days: 30 });
    expect(keep.size).toBe(30);
    expect(keep.has('2026-10-27')).toBe(true); // 29 days 10 hours old
    expect(keep.has('2026-10-26')).toBe(false);
  });

  it('grandfather-father-son keeps all for 7 days, then one per day, week, month and year', () => {
    const keep = [...setsToKeep(dailyCalendar(3 * 365), NOW, DEFAULT_GFS)].sort();
    const expected = [
      // all of the last 7 days and one a day for the 16 before: 2026-11-03 .. 2026-11-25 (11-02 02:00 is 23 d 10 h old)
      ...Array.from({ length: 23 }, (_, i) => new Date(Date.UTC(2026, 10, 25) - i * DAY).toISOString().slice(0, 10)),
      // the newest of each ISO week until 79 d (2026-09-07 12:00): W45 starts Monday 11-02, W37 ends Sunday 09-13
      '2026-11-02',
      '2026-11-01',
      '2026-10-25',
      '2026-10-18',
      '2026-10-11',
      '2026-10-04',
      '2026-09-27',
      '2026-09-20',
      '2026-09-13',
      // the newest of each month until 199 d (2026-05-10 12:00)
      '2026-09-07',
      '2026-08-31',
      '2026-07-31',
      '2026-06-30',
      '2026-05-31',
      // the newest of each year until 929 d; the calendar's 2023 sets are older than that
      '2026-05-10',
      '2025-12-31',
      '2024-12-31',
    ].sort();
    expect(keep).toEqual(expected);
  });

  it('never removes the newest set, even past every window', () => {
    const old = [{ id: 'old', createdAt: new Date('2020-01-01T00:00:00Z'), parentId: null, size: 1 }];
    expect([...setsToKeep(old, NOW, { type: 'days', days: 30 })]).toEqual(['old']);
  });

  it('keeps the base and parents a kept incremental needs', () => {
    const sets: RetainedSet[] = [
      { id: 'full', createdAt: new Date(NOW.getTime() - 40 * DAY), parentId: null, size: 1 },
      { id: 'inc1', createdAt: new Date(NOW.getTime() - 35 * DAY), parentId: 'full', size: 1 },
      { id: 'inc2', createdAt: new Date(NOW.getTime() - 2 * DAY), parentId: 'inc1', size: 1 },
      { id: 'lonely', createdAt: new Date(NOW.getTime() - 50 * DAY), parentId: null, size: 1 },
    ];
    expect([...setsToKeep(sets, NOW, { type: 'days', days: 30 })].sort()).toEqual(['full', 'inc1', 'inc2']);
  });

  it('a size cap removes the oldest kept sets first, never the newest', () => {
    const keep = setsToKeep(dailyCalendar(10), NOW, { ...DEFAULT_GFS, maxBytes: 350 });
    expect([...keep].sort()).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']); // 3 × 100 B fit in 350
    const tiny = setsToKeep(dailyCalendar(10), NOW, { ...DEFAULT_GFS, maxBytes: 1 });
    expect([...tiny]).toEqual(['2026-11-25']);
  });
});
