import { describe, expect, it } from 'vitest';
import { sharedBackupReads } from '../../src/ops/health/backup-reads.js';
import type { ListedBackup } from '../../src/ops/backup/maintain.js';

const HOUR = 3_600_000;
const LIMITS = { maxAgeMs: 26 * HOUR, maxBytes: 1024 * 1024 * 1024 };

function set(id: string, ageMs: number, size = 1000): ListedBackup {
  return {
    id,
    kind: 'full',
    baseId: null,
    safety: false,
    createdAt: new Date(Date.now() - ageMs).toISOString(),
    ageMs,
    size,
    destinations: ['local'],
    verified: true,
    contents: { database: true, files: true, redis: false } as ListedBackup['contents'],
  };
}

describe('one backup catalog read for the dashboard list and the monitor', () => {
  function setup(catalog: () => ListedBackup[]) {
    let t = 1_000_000;
    let reads = 0;
    const shared = sharedBackupReads(
      () => {
        reads++;
        return Promise.resolve(catalog());
      },
      LIMITS,
      () => t,
    );
    return { shared, reads: () => reads, advance: (ms: number) => (t += ms) };
  }

  it('the monitor judges the list the dashboard read; each reads again only when its own answer is stale', async () => {
    let catalog = [set('a', 30 * HOUR)];
    const { shared, reads, advance } = setup(() => catalog);
    expect(await shared.list()).toHaveLength(1);
    expect(await shared.monitor()).toMatchObject({ ok: false, newest: { id: 'a' } });
    expect(reads()).toBe(1);

    catalog = [set('a', 30 * HOUR), set('b', HOUR)];
    advance(11_000);
    expect(await shared.list()).toHaveLength(2);
    // Its minute is not over: the same judgment, and no read of its own.
    expect(await shared.monitor()).toMatchObject({ ok: false, newest: { id: 'a' } });
    expect(reads()).toBe(2);

    advance(60_000);
    expect(await shared.monitor()).toMatchObject({ ok: true, newest: { id: 'b' }, totalBytes: 2000 });
    expect(await shared.list()).toHaveLength(2);
    expect(reads()).toBe(3);
  });

  it('a failed read is not kept: the next call reads again', async () => {
    let fail = true;
    const { shared, reads } = setup(() => {
      if (fail) throw new Error('bucket unreachable');
      return [];
    });
    await expect(shared.monitor()).rejects.toThrow('bucket unreachable');
    fail = false;
    expect(await shared.monitor()).toMatchObject({ ok: false, problems: ['no backup found'] });
    expect(reads()).toBe(2);
  });
});
