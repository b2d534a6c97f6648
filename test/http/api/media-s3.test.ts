import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type RunningApp } from '../../support/app.js';
import { startWorkerRole } from '../../../src/jobs/worker-role.js';
import type { RunningWorker } from '../../../src/services/queue-worker.js';
import { parseBackoff } from '../../../src/domain/backoff.js';
import { makeImage } from '../../services/media/images.js';

interface MediaBody {
  id: number;
  url: string;
  mime: string;
  variants: Record<string, string>;
}

// The real web role (startWebRole, a socket, fetch + FormData) with MEDIA_DRIVER=s3 against s3rver on loopback:
// the bucket holds the files, /media streams them through.
describe('media on S3 through the web role (s3rver)', () => {
  let s3: S3rver;
  let s3dir: string;
  let running: RunningApp;
  let worker: RunningWorker;
  let token: string;
  beforeAll(async () => {
    s3dir = mkdtempSync(join(tmpdir(), 'inkstone-media-s3rver-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3dir,
      configureBuckets: [{ name: 'uploads', configs: [] }],
    });
    const { port } = (await s3.run()) as { port: number };
    running = await startTestApp({
      MEDIA_DRIVER: 's3',
      MEDIA_S3_BUCKET: 'uploads',
      MEDIA_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      MEDIA_S3_ACCESS_KEY_ID: 'S3RVER',
      MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER',
      MEDIA_S3_FORCE_PATH_STYLE: 'true',
      LOG_LEVEL: 'warn',
    });
    const { user } = await running.app.blog.users.create({
      email: 'a@example.com',
      role: 'author',
      name: 'A',
      password: 'pw-0123456789-abc',
    });
    token = (await running.app.blog.auth.createApiToken({ id: user.id, role: 'author' }, 'test')).token;
    worker = startWorkerRole(running.app, {
      queues: ['default'],
      concurrency: 1,
      sleepMs: 50,
      tries: 1,
      backoff: parseBackoff('0.05')!,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await running?.close();
    await s3?.close();
    rmSync(s3dir, { recursive: true, force: true });
  });

  it('uploads, serves the original and its variants from the bucket, and deletes them', async () => {
    const jpeg = await makeImage('jpeg', 1000, 800);
    const form = new FormData();
    form.append('alt', 'from the bucket');
    form.append('file', new Blob([jpeg]), 'photo.jpg');
    const auth = { authorization: `Bearer ${token}` };
    const res = await fetch(`${running.url}/api/media`, { method: 'POST', body: form, headers: auth });
    expect(res.status, await res.clone().text()).toBe(201);
    const m = (await res.json()) as MediaBody;
    expect(m.mime).toBe('image/jpeg');
    // Nothing was written to local disk: the driver is S3.
    expect(existsSync(join(running.storageDir, 'app', 'public'))).toBe(false);

    const original = await fetch(`${running.url}${m.url}`);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await original.arrayBuffer()).equals(jpeg)).toBe(true);
    const head = await fetch(`${running.url}${m.url}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(jpeg.length);

    let variants: Record<string, string> = {};
    await waitFor(
      'the variants job',
      async () => {
        const r = await fetch(`${running.url}/api/media/${m.id}`, { headers: auth });
        variants = ((await r.json()) as MediaBody).variants;
        return Object.keys(variants).length > 0;
      },
      20_000,
    );
    expect(Object.keys(variants).sort()).toEqual(['400', '800']);
    const v = await fetch(`${running.url}${variants['800']!}`);
    expect(v.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(Buffer.from(await v.arrayBuffer())).metadata()).toMatchObject({ width: 800, height: 640 });

    const del = await fetch(`${running.url}/api/media/${m.id}`, { method: 'DELETE', headers: auth });
    expect(del.status).toBe(204);
    for (const url of [m.url, ...Object.values(variants)]) {
      expect((await fetch(`${running.url}${url}`)).status).toBe(404);
    }
  });
});
