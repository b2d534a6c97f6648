import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { runInkstone } from '../support/cli.js';
import type { Actor } from '../../src/domain/policy.js';
import { corruptPng, jpegWithGps, makeImage } from '../services/media/images.js';

describe('media:variants usage errors (no database needed)', () => {
  it.each([
    [[], /give exactly one of --id <n> and --all/],
    [['--id', '3', '--all'], /give exactly one of --id <n> and --all/],
    [['--id', '0'], /--id expects a whole number of at least 1/],
    [['--id', 'seven'], /--id expects a whole number of at least 1/],
  ])('%j -> one line, exit 2', async (args, message) => {
    const run = await runInkstone(['media:variants', ...args], {
      env: { DATABASE_URL: 'sqlite:/nonexistent/dir/x.sqlite' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help describes the options', async () => {
    const run = await runInkstone(['media:variants', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--id <n>', '--all', '--inline', '--json']) expect(run.stdout).toContain(option);
  });
});

describeEachDialect('media:variants', (dialect) => {
  let t: TestApp;
  let storageDir: string;
  let author: Actor;
  const run = (...args: string[]) => runInkstone(['media:variants', ...args], { env: t.env });
  const row = (id: number) =>
    t.app.db.primary.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const waitingVariantJobs = async () => (await t.app.queue.counts()).find((c) => c.queue === 'default')?.waiting ?? 0;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'inkstone-media-cli-'));
    t = await createTestApp(dialect, { STORAGE_DIR: storageDir });
    const { user } = await t.app.blog.users.create({
      email: 'a@example.com',
      role: 'author',
      password: 'pw-0123456789',
    });
    author = { id: user.id, role: user.role };
  });
  afterAll(async () => {
    await t?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('--all --inline makes every upload its variants, and cleans an original stored before uploads were', async () => {
    const fresh = await t.app.media.upload(author, {
      bytes: await makeImage('png', 900, 300),
      originalName: 'a.png',
      alt: null,
    });
    // An upload from before originals were cleaned: its file still carries the camera's GPS position.
    const gps = await jpegWithGps(500, 250);
    await t.app.mediaStorage.put('2025/01/old-upload.jpg', gps, 'image/jpeg');
    await t.app.db.primary
      .insertInto('media')
      .values({
        user_id: author.id,
        storage_key: '2025/01/old-upload.jpg',
        original_name: 'old.jpg',
        mime: 'image/jpeg',
        size_bytes: gps.length,
        width: 500,
        height: 250,
        variants: null,
        alt: null,
        created_at: new Date('2025-01-02T00:00:00Z'),
      })
      .execute();
    const old = await t.app.db.primary
      .selectFrom('media')
      .select('id')
      .where('storage_key', '=', '2025/01/old-upload.jpg')
      .executeTakeFirstOrThrow();
    const oldId = Number(old.id);

    const done = await run('--all', '--inline', '--json');
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({ mode: 'inline', total: 2, done: 2, gone: [], failed: [] });
    expect(JSON.parse((await row(fresh.id)).variants ?? '{}')).toEqual({
      '400': fresh.storage_key.replace(/\.png$/, '-400.webp'),
      '800': fresh.storage_key.replace(/\.png$/, '-800.webp'),
    });
    expect(Object.keys(JSON.parse((await row(oldId)).variants ?? '{}'))).toEqual(['400']);
    const cleaned = (await t.app.mediaStorage.read('2025/01/old-upload.jpg'))!;
    expect((await sharp(cleaned).metadata()).exif).toBeUndefined();
    expect(cleaned.includes(Buffer.from('secret-owner'))).toBe(false);
    expect(Number((await row(oldId)).size_bytes)).toBe(cleaned.length);
  });

  it('--id queues one job (a worker makes it); an unknown id is one line and exit 1', async () => {
    const before = await waitingVariantJobs();
    const one = await run('--id', '1');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.trim()).toBe('Queued the variants job for 1 of 1 upload(s).');
    expect(await waitingVariantJobs()).toBe(before + 1);

    const unknown = await run('--id', '99999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('inkstone: --id: no upload with id 99999');
    expect(await waitingVariantJobs()).toBe(before + 1);
  });

  it('one unreadable upload fails the run (exit 1, named on stderr) without stopping the others', async () => {
    const broken = await t.app.media.upload(author, { bytes: await corruptPng(), originalName: 'b.png', alt: null });
    const res = await run('--all', '--inline');
    expect(res.code).toBe(1);
    expect(res.stdout.trim()).toBe('Made the variants of 2 of 3 upload(s), 1 failed.');
    expect(res.stderr).toContain(`media ${broken.id}: `);
    expect(res.stderr.trim().split('\n').at(-1)).toBe('inkstone: 1 of 3 upload(s) failed');
  });
});
