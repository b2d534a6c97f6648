import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTestApp, waitFor, type TestApp } from '../../support/app.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ScheduleBuilder } from '../../../src/ops/schedule/schedule-table.js';
import { startScheduler, type RunningScheduler } from '../../../src/ops/schedule/scheduler.js';
import type { ScheduleRun } from '../../../src/adapters/db/repositories/schedule-runs.js';

const silent = pino({ level: 'silent' });
const noCommands = () => Promise.reject(new Error('no commands in this test'));

// The scheduler loop on a manual clock: hours of schedule in a few hundred milliseconds.
describe('scheduler (manual clock, SQLite)', () => {
  let t: TestApp;
  let clock: ManualClock;
  let schedulers: RunningScheduler[] = [];

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-03-01T09:58:30Z'));
    t = await createTestApp('sqlite', {}, { clock });
  });
  afterEach(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    schedulers = [];
    await t.close();
  });

  const start = (builder: ScheduleBuilder, owner = 'a', timezone = 'UTC') => {
    const s = startScheduler({
      tasks: builder.tasks,
      store: t.app.scheduleRuns,
      clock,
      logger: silent,
      timezone,
      owner,
    });
    schedulers.push(s);
    return s;
  };
  const runs = (): Promise<ScheduleRun[]> => t.app.scheduleRuns.between(new Date(0), new Date('2100-01-01'));
  const settle = (n: number) =>
    waitFor(`${n} finished runs`, async () => (await runs()).filter((r) => r.outcome !== 'running').length === n);

  it('runs each task once in every minute its cron matches, and records outcome and output', async () => {
    const builder = new ScheduleBuilder(noCommands, 'UTC')
      .call('every-minute', '* * * * *', 'test', () => Promise.resolve(`ran at ${clock.now().toISOString()}`))
      .call('hourly', '0 * * * *', 'test', () => Promise.resolve('hourly'));
    start(builder);
    await clock.advance(4 * 60_000); // 09:58:30 -> 10:02:30
    await settle(6);
    const all = await runs();
    expect(all.filter((r) => r.task === 'every-minute').map((r) => r.slotAt.toISOString())).toEqual([
      '2026-03-01T09:58:00.000Z',
      '2026-03-01T09:59:00.000Z',
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:01:00.000Z',
      '2026-03-01T10:02:00.000Z',
    ]);
    expect(all.filter((r) => r.task === 'hourly').map((r) => r.slotAt.toISOString())).toEqual([
      '2026-03-01T10:00:00.000Z',
    ]);
    expect(all.every((r) => r.outcome === 'ok' && r.endedAt !== null)).toBe(true);
    expect(all.find((r) => r.task === 'hourly')?.output).toBe('hourly');
  });

  it('reads cron expressions in the configured time zone', async () => {
    const builder = new ScheduleBuilder(noCommands, 'Asia/Shanghai').call('two-am', '0 2 * * *', 'test', () =>
      Promise.resolve('ok'),
    );
    start(builder, 'a', 'Asia/Shanghai');
    // 02:00 in Shanghai is 18:00 UTC the day before: from 09:58:30 UTC that is 8 h later.
    await clock.advance(9 * 3_600_000, 60_000);
    await settle(1);
    expect((await runs()).map((r) => r.slotAt.toISOString())).toEqual(['2026-03-01T18:00:00.000Z']);
  });

  it('never overlaps a task with itself: a run still going makes the next slot a recorded skip', async () => {
    let release: () => void = () => undefined;
    let n = 0;
    const builder = new ScheduleBuilder(noCommands, 'UTC').call('slow', '* * * * *', 'test', () =>
      ++n === 1 ? new Promise<string>((resolve) => (release = () => resolve('finally'))) : Promise.resolve('finally'),
    );
    start(builder);
    await clock.advance(30_000); // 09:59:00: the 09:58 run is going
    await waitFor('the second slot to be skipped', async () => (await runs()).some((r) => r.outcome === 'skipped'));
    release();
    await clock.advance(60_000); // 10:00: the previous run is over, so this one runs
    await settle(3);
    expect((await runs()).map((r) => [r.slotAt.toISOString().slice(11, 16), r.outcome, r.output])).toEqual([
      ['09:58', 'ok', 'finally'],
      ['09:59', 'skipped', 'previous run still going'],
      ['10:00', 'ok', 'finally'],
    ]);
  });

  it('records a failed run with its error, and keeps going', async () => {
    let n = 0;
    const builder = new ScheduleBuilder(noCommands, 'UTC').call('flaky', '* * * * *', 'test', () =>
      ++n === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve('fine'),
    );
    start(builder);
    await clock.advance(60_000);
    await settle(2);
    const [first, second] = await runs();
    expect(first).toMatchObject({ outcome: 'failed', output: 'disk full' });
    expect(second).toMatchObject({ outcome: 'ok', output: 'fine' });
  });

  it('with two schedulers on one database, each slot runs exactly once', async () => {
    const ran: string[] = [];
    const make = (owner: string) =>
      new ScheduleBuilder(noCommands, 'UTC').call('tick', '* * * * *', 'test', () => {
        ran.push(`${clock.now().toISOString().slice(11, 16)} ${owner}`);
        return Promise.resolve(owner);
      });
    start(make('a'), 'a');
    start(make('b'), 'b');
    await clock.advance(5 * 60_000);
    await settle(6);
    const slots = (await runs()).map((r) => r.slotAt.toISOString().slice(11, 16));
    expect(slots).toEqual(['09:58', '09:59', '10:00', '10:01', '10:02', '10:03']);
    expect(ran).toHaveLength(6);
  });

  it('rejects a bad cron expression and a task registered twice when the table is built', () => {
    const b = new ScheduleBuilder(noCommands, 'UTC');
    expect(() => b.call('x', 'every minute', 'test', () => Promise.resolve())).toThrow(
      /invalid cron expression "every minute"/,
    );
    b.call('x', '* * * * *', 'test', () => Promise.resolve());
    expect(() => b.call('x', '* * * * *', 'test', () => Promise.resolve())).toThrow(/registered twice/);
  });
});
