import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness, type TestUser } from '../../support/api.js';
import { startWorkerRole } from '../../../src/jobs/worker-role.js';
import type { RunningWorker } from '../../../src/services/queue-worker.js';
import { parseBackoff } from '../../../src/domain/backoff.js';
import { makeImage, multipart } from '../../services/media/images.js';

interface MediaBody {
  id: number;
  url: string;
  originalName: string;
  mime: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  alt: string | null;
  variants: Record<string, string>;
  createdAt: string;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEachDialect('media API', (dialect) => {
  let api: ApiHarness;
  let storageDir: string;
  let worker: RunningWorker;
  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'inkstone-media-api-'));
    api = await startApi(dialect, { STORAGE_DIR: storageDir });
    worker = startWorkerRole(api.app, {
      queues: ['default'],
      concurrency: 1,
      sleepMs: 50,
      tries: 1,
      backoff: parseBackoff('0.05')!,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const upload = async (as: TestUser, bytes: Buffer, filename: string, alt?: string) => {
    const { body, contentType } = multipart([
      ...(alt === undefined ? [] : [{ name: 'alt', value: alt }]),
      { name: 'file', value: bytes, filename, contentType: 'application/octet-stream' },
    ]);
    return api.call({ method: 'POST', url: '/api/media', as, payload: body, headers: { 'content-type': contentType } });
  };
  const uploaded = async (as: TestUser, bytes: Buffer, filename: string, alt?: string) => {
    const res = await upload(as, bytes, filename, alt);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<MediaBody>();
  };
  const fetchMedia = (url: string) => api.call({ method: 'GET', url });
  const withVariants = async (id: number, as: TestUser) => {
    let body: MediaBody | undefined;
    await waitFor('the variants job', async () => {
      const res = await api.call({ method: 'GET', url: `/api/media/${id}`, as });
      body = res.json<MediaBody>();
      return Object.keys(body.variants).length > 0;
    });
    return body!;
  };

  it('stores an upload under a server-made key, serves it with long-lived cache headers, makes WebP variants', async () => {
    const png = await makeImage('png', 2000, 1000);
    const m = await uploaded(api.users.author, png, '../../etc/My Photo.png', 'A blue field');
    expect(m).toMatchObject({
      mime: 'image/png',
      originalName: 'My Photo.png',
      sizeBytes: png.length,
      width: 2000,
      height: 1000,
      alt: 'A blue field',
      variants: {},
    });
    expect(m.url).toMatch(/^\/media\/\d{4}\/\d{2}\/[0-9a-f]{32}\.png$/);
    expect(Date.parse(m.createdAt)).not.toBeNaN();

    const file = await fetchMedia(m.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(Number(file.headers['content-length'])).toBe(png.length);
    expect(file.rawPayload.equals(png)).toBe(true);
    const again = await api.call({ method: 'GET', url: m.url, headers: { 'if-none-match': file.headers.etag } });
    expect(again.statusCode).toBe(304);

    const done = await withVariants(m.id, api.users.author);
    expect(Object.keys(done.variants).sort()).toEqual(['1600', '400', '800']);
    for (const [width, url] of Object.entries(done.variants)) {
      expect(url).toBe(m.url.replace(/\.png$/, `-${width}.webp`));
      const v = await fetchMedia(url);
      expect(v.statusCode).toBe(200);
      expect(v.headers['content-type']).toBe('image/webp');
      const meta = await sharp(v.rawPayload).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: Number(width), height: Number(width) / 2 });
    }
  });

  it('judges the type by the bytes: a PNG named .jpg is stored and served as PNG', async () => {
    const m = await uploaded(api.users.editor, await makeImage('png', 300, 200), 'holiday.jpg');
    expect(m.mime).toBe('image/png');
    expect(m.url).toMatch(/\.png$/);
    expect((await fetchMedia(m.url)).headers['content-type']).toBe('image/png');
  });

  it('never upscales: a 600 px image gets only the 400 px variant, a 300 px one none', async () => {
    const mid = await uploaded(api.users.author, await makeImage('jpeg', 600, 600), 'mid.jpeg');
    expect(Object.keys((await withVariants(mid.id, api.users.author)).variants)).toEqual(['400']);
    const small = await uploaded(api.users.author, await makeImage('webp', 300, 100), 'small.webp');
    await waitFor('the small image job', async () => {
      const row = await api.app.db.primary
        .selectFrom('media')
        .select('variants')
        .where('id', '=', small.id)
        .executeTakeFirstOrThrow();
      return row.variants !== null;
    });
    const res = await api.call({ method: 'GET', url: `/api/media/${small.id}`, as: api.users.author });
    expect(res.json<MediaBody>().variants).toEqual({});
  });

  it('lists uploads newest first with page meta', async () => {
    const a = await uploaded(api.users.admin, await makeImage('gif', 50, 50), 'a.gif');
    const b = await uploaded(api.users.admin, await makeImage('avif', 50, 50), 'b.avif');
    expect(b.mime).toBe('image/avif');
    const res = await api.call({ method: 'GET', url: '/api/media?page=1&limit=2', as: api.users.author });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ data: MediaBody[]; meta: { page: number; limit: number; total: number; pages: number } }>();
    expect(body.data.map((d) => d.id)).toEqual([b.id, a.id]);
    expect(body.meta).toMatchObject({ page: 1, limit: 2 });
    expect(body.meta.total).toBeGreaterThanOrEqual(6);
    expect(body.meta.pages).toBe(Math.ceil(body.meta.total / 2));
  });

  it('deleting removes the row and every file, and clears the cover of articles using it', async () => {
    const m = await uploaded(api.users.author, await makeImage('png', 900, 450), 'cover.png');
    const done = await withVariants(m.id, api.users.author);
    const article = await api.call({
      method: 'POST',
      url: '/api/articles',
      as: api.users.author,
      payload: { title: 'With a cover', markdown: 'Body.', coverMediaId: m.id },
    });
    expect(article.statusCode, article.body).toBe(201);
    const articleId = article.json<{ id: number }>().id;

    const del = await api.call({ method: 'DELETE', url: `/api/media/${m.id}`, as: api.users.author });
    expect(del.statusCode, del.body).toBe(204);
    expect((await api.call({ method: 'GET', url: `/api/media/${m.id}`, as: api.users.author })).statusCode).toBe(404);
    for (const url of [m.url, ...Object.values(done.variants)]) expect((await fetchMedia(url)).statusCode).toBe(404);
    const after = await api.call({ method: 'GET', url: `/api/articles/${articleId}`, as: api.users.author });
    expect(after.json<{ coverMediaId: number | null }>().coverMediaId).toBeNull();

    // Editors and admins may delete what others uploaded.
    const other = await uploaded(api.users.author2, await makeImage('png', 40, 40), 'x.png');
    const byEditor = await api.call({ method: 'DELETE', url: `/api/media/${other.id}`, as: api.users.editor });
    expect(byEditor.statusCode, byEditor.body).toBe(204);
  });
});
