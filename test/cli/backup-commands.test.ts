import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectAvailability, type TestDatabase } from '../support/databases.js';
import { backupSandbox, jsonOf } from '../support/backup-env.js';

/** Moves a set's creation time into the past by rewriting its manifest (what an old backup looks like). */
function age(box: ReturnType<typeof backupSandbox>, id: string, days: number): void {
  const path = join(box.backupsDir, id, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as { createdAt: string };
  m.createdAt = new Date(Date.now() - days * 86_400_000).toISOString();
  writeFileSync(path, JSON.stringify(m));
}

describe('backup commands (SQLite)', () => {
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;
  let hook: Server;
  const notices: Record<string, unknown>[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        notices.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url, { BACKUP_NOTIFY_URL: `http://127.0.0.1:${port}/hook` });
    expect((await box.run(['migrate'])).code).toBe(0);
  });

  afterAll(async () => {
    await new Promise((r) => hook.close(r));
    await tdb?.drop();
    box?.remove();
  });

  it.each([
    [['backup:run', '--only-db', '--only-files'], 'choose one of --only-db and --only-files'],
    [['backup:run', '--destination=ftp'], '--destination expects local, s3 or local,s3'],
    [['backup:restore', 'x', '--to-time=yesterday'], '--to-time expects'],
    [['backup:clean', '--gfs', '--days=3'], 'choose one of --days and --gfs'],
    [['backup:clean', '--days=0'], '--days expects a whole number of at least 1'],
  ])('bad usage %j exits 2 with one line', async (args, message) => {
    const res = await box.run(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  });

  it('every command has help', async () => {
    for (const cmd of ['backup:run', 'backup:list', 'backup:clean', 'backup:monitor', 'backup:restore']) {
      const res = await box.run([cmd, '--help']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('--json');
    }
  });

  it('backup:monitor fails while there is no backup', async () => {
    const res = await box.run(['backup:monitor', '--json']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, problems: ['no backup found'] });
  });

  it('without BACKUP_PASSWORD the env file is left out, and the run says so', async () => {
    const res = await box.run(['backup:run', '--json'], { BACKUP_PASSWORD: undefined });
    const out = jsonOf<{ id: string; parts: { name: string }[]; notes: string[] }>(res);
    expect(out.parts.map((p) => p.name).sort()).toEqual([
      'database.sqlite.zst',
      'files.tar.zst',
      'page-hashes.bin.zst',
    ]);
    expect(out.notes.join(' ')).toMatch(/env file was left out/);
    const manifest = readFileSync(join(box.backupsDir, out.id, 'manifest.json'), 'utf8');
    expect(manifest).not.toContain('APP_KEY');
  });

  it('with BACKUP_PASSWORD every part is encrypted and the env file is in', async () => {
    const out = jsonOf<{ id: string; parts: { name: string }[] }>(await box.run(['backup:run', '--json']));
    expect(out.parts.every((p) => p.name.endsWith('.enc'))).toBe(true);
    expect(out.parts.some((p) => p.name.startsWith('env'))).toBe(true);
    const stored = readFileSync(join(box.backupsDir, out.id, out.parts.find((p) => p.name.startsWith('env'))!.name));
    expect(stored.toString('latin1')).not.toContain('APP_KEY');
  });

  it('notifies the webhook of success and of failure', async () => {
    const ok = notices.find((n) => n.ok === true && n.action === 'backup');
    expect(ok?.id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{4}$/);
    await box.run(['backup:restore', 'nope']);
    expect(notices.at(-1)).toMatchObject({ ok: false, action: 'restore' });
  });

  it('restoring an unknown id fails with one line', async () => {
    const res = await box.run(['backup:restore', '20000101T000000Z-dead']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('backup 20000101T000000Z-dead not found');
  });

  it('refuses to restore in production without --force', async () => {
    const { id } = jsonOf<{ backups: { id: string }[] }>(await box.run(['backup:list', '--json'])).backups[0]!;
    const res = await box.run(['backup:restore', id], {
      APP_ENV: 'production',
      APP_KEY: randomBytes(24).toString('hex'),
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('refusing to restore in production without --force');
  });

  it('backup:monitor passes for a fresh backup and fails for a stale one or too many megabytes', async () => {
    expect((await box.run(['backup:monitor'])).code).toBe(0);
    const list = jsonOf<{ backups: { id: string }[] }>(await box.run(['backup:list', '--json'])).backups;
    for (const b of list) age(box, b.id, 2);
    const stale = await box.run(['backup:monitor']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/newest backup .* is 48\.0 h old \(limit 24\.0 h\)/);
    expect((await box.run(['backup:monitor'], { BACKUP_MAX_AGE: '3d' })).code).toBe(0);
    writeFileSync(join(box.storage, 'app', 'big.bin'), randomBytes(1_200_000));
    jsonOf(await box.run(['backup:run', '--only-files', '--json']));
    const big = await box.run(['backup:monitor'], { BACKUP_MAX_MB: '1' });
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/backups take .* MB \(limit 1\.0 MB\)/);
  });

  it('backup:clean --dry-run changes nothing; --days removes the old, keeps the newest', async () => {
    const before = jsonOf<{ backups: { id: string }[] }>(await box.run(['backup:list', '--json'])).backups;
    const dry = jsonOf<{ removed: string[] }>(await box.run(['backup:clean', '--days=1', '--dry-run', '--json']));
    expect(dry.removed.length).toBe(before.length - 1);
    expect(jsonOf<{ backups: unknown[] }>(await box.run(['backup:list', '--json'])).backups).toHaveLength(
      before.length,
    );
    const real = jsonOf<{ removed: string[]; kept: string[] }>(await box.run(['backup:clean', '--days=1', '--json']));
    expect(real.kept).toEqual([before.at(-1)!.id]);
    const after = jsonOf<{ backups: { id: string }[] }>(await box.run(['backup:list', '--json'])).backups;
    expect(after.map((b) => b.id)).toEqual([before.at(-1)!.id]);
  });
});

describe.skipIf(!dialectAvailability('postgres').available)('backup:run --incremental on PostgreSQL', () => {
  it('says plainly that PostgreSQL is full only', async () => {
    const tdb = await createTestDatabase('postgres');
    const box = backupSandbox(tdb.url);
    try {
      const res = await box.run(['backup:run', '--incremental']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('PostgreSQL backups are full only for now');
    } finally {
      await tdb.drop();
      box.remove();
    }
  });
});

describe.skipIf(!dialectAvailability('mysql').available)('backup:run on MariaDB', () => {
  it('names the missing dump tool and the package that provides it', async () => {
    const tdb = await createTestDatabase('mysql');
    const box = backupSandbox(tdb.url);
    const path = process.env.PATH;
    try {
      expect((await box.run(['migrate'])).code).toBe(0);
      process.env.PATH = '/nonexistent'; // the spawn adapter looks programs up on the process PATH
      const res = await box.run(['backup:run', '--only-db']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('mariadb-dump is not installed (Debian/Ubuntu: apt-get install mariadb-client)');
      process.env.PATH = path;
      expect(jsonOf<{ backups: unknown[] }>(await box.run(['backup:list', '--json'])).backups).toEqual([]);
    } finally {
      process.env.PATH = path;
      await tdb.drop();
      box.remove();
    }
  });

  it('fails and says how to turn log_bin on', async () => {
    const tdb = await createTestDatabase('mysql');
    const box = backupSandbox(tdb.url);
    try {
      expect((await box.run(['migrate'])).code).toBe(0);
      const full = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-db', '--json']));
      expect(full.id).toBeTruthy();
      const res = await box.run(['backup:run', '--incremental']);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/need binary logging: start the server with log_bin/);
    } finally {
      await tdb.drop();
      box.remove();
    }
  });
});
