import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type TestUser } from '../../support/api.js';
import { startWorkerRole } from '../../../src/jobs/worker-role.js';
import type { RunningWorker } from '../../../src/services/queue-worker.js';
import { parseBackoff } from '../../../src/domain/backoff.js';
import { animatedGif, corruptPng, jpegWithGps, makeImage, multipart, type Part } from '../../services/media/images.js';

interface MediaBody {
  id: number;
  url: string;
  mime: string;
  variants: Record<string, string>;
}

const MAX = 200_000;

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('media API: bad input and hostile paths (sqlite)', () => {
  let api: ApiHarness;
  let storageDir: string;
  let worker: RunningWorker;
  let baseUrl: string;
  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'inkstone-media-bad-'));
    api = await startApi('sqlite', { STORAGE_DIR: storageDir, MEDIA_MAX_BYTES: String(MAX) });
    worker = startWorkerRole(api.app, {
      queues: ['default'],
      concurrency: 1,
      sleepMs: 50,
      tries: 1,
      backoff: parseBackoff('0.05')!,
    });
    baseUrl = await api.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const send = (parts: Part[], as: TestUser | null = api.users.author, headers: Record<string, string> = {}) => {
    const { body, contentType } = multipart(parts);
    return api.call({
      method: 'POST',
      url: '/api/media',
      as: as ?? undefined,
      payload: body,
      headers: { 'content-type': contentType, ...headers },
    });
  };
  const file = (value: Buffer | string, filename = 'photo.png'): Part => ({
    name: 'file',
    value,
    filename,
    contentType: 'image/png',
  });
  const errorCode = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

  it('413 past MEDIA_MAX_BYTES, with a Content-Length', async () => {
    const res = await send([file(randomBytes(MAX + 1))]);
    expect(res.statusCode, res.body).toBe(413);
    expect(errorCode(res)).toBe('payload_too_large');
    const huge = await send([file(randomBytes(MAX * 2))]);
    expect(huge.statusCode).toBe(413);
    expect(errorCode(huge)).toBe('payload_too_large');
  });

  it('413 past MEDIA_MAX_BYTES for a chunked upload with no Content-Length (real socket)', async () => {
    const png = await makeImage('png', 10, 10);
    const { body, contentType } = multipart([file(Buffer.concat([png, randomBytes(MAX)]))]);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${baseUrl}/api/media`,
        {
          method: 'POST',
          headers: { 'content-type': contentType, authorization: `Bearer ${api.users.author.token}` },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      expect(req.getHeader('content-length')).toBeUndefined();
      for (let at = 0; at < body.length; at += 16_384) req.write(body.subarray(at, at + 16_384));
      req.end();
    });
    expect(status, text).toBe(413);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('keeps a UTF-8 file name as a label only', async () => {
    const res = await send([file(await makeImage('png', 10, 10), '照片 2026.png')]);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<MediaBody & { originalName: string }>();
    expect(body.originalName).toBe('照片 2026.png');
    expect(body.url).not.toContain('照片');
  });

  it('413 before reading a body whose declared length is far past the limit (real socket)', async () => {
    const { body, contentType } = multipart([file(randomBytes(MAX * 3))]);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${baseUrl}/api/media`,
        {
          method: 'POST',
          headers: {
            'content-type': contentType,
            'content-length': String(body.length),
            authorization: `Bearer ${api.users.author.token}`,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status, text).toBe(413);
    expect(text).toContain('payload_too_large');
  });

  it('an upload of exactly MEDIA_MAX_BYTES is accepted', async () => {
    const png = await makeImage('png', 10, 10);
    // Bytes after IEND are ignored by decoders: a real PNG padded to the limit.
    const res = await send([file(Buffer.concat([png, Buffer.alloc(MAX - png.length)]))]);
    expect(res.statusCode, res.body).toBe(201);
  });

  it.each([
    ['a text file named .png', Buffer.from('just some text, honestly'), 'notes.png'],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'a.svg'],
    ['an HTML page named .png', Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'x.png'],
    [
      'a PNG signature followed by junk',
      Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]),
      'x.png',
    ],
  ])('415 for %s', async (_name, bytes, filename) => {
    const res = await send([file(bytes, filename)]);
    expect(res.statusCode, res.body).toBe(415);
    expect(errorCode(res)).toBe('unsupported_media_type');
  });

  it('401 anonymous, 403 a cookie write without its CSRF token', async () => {
    const png = await makeImage('png', 10, 10);
    const anon = await send([file(png)], null);
    expect(anon.statusCode).toBe(401);
    expect((await api.call({ method: 'GET', url: '/api/media' })).statusCode).toBe(401);
    const login = await api.call({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: api.users.author.email, password: api.users.author.password },
    });
    const cookie = login.headers['set-cookie'] as string | string[];
    const session = (Array.isArray(cookie) ? cookie[0]! : cookie).split(';')[0]!;
    const noCsrf = await send([file(png)], null, { cookie: session });
    expect(noCsrf.statusCode).toBe(403);
    const csrfToken = login.json<{ csrfToken: string }>().csrfToken;
    const ok = await send([file(png)], null, { cookie: session, 'x-csrf-token': csrfToken });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('400 without a file field, for an empty file, or a JSON body; 422 for an over-long alt', async () => {
    const noFile = await send([{ name: 'alt', value: 'only text' }]);
    expect(noFile.statusCode).toBe(400);
    expect(errorCode(noFile)).toBe('file_required');
    const wrongField = await send([{ name: 'image', value: await makeImage('png', 5, 5), filename: 'a.png' }]);
    expect(wrongField.statusCode).toBe(400);
    expect(errorCode(wrongField)).toBe('file_required');
    const empty = await send([file(Buffer.alloc(0))]);
    expect(empty.statusCode).toBe(400);
    const json = await api.call({ method: 'POST', url: '/api/media', as: api.users.author, payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(errorCode(json)).toBe('file_required');
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=x']) {
      for (const payload of ['', 'garbage', '--x\r\nContent-Disposition: form-data\r\n\r\nz']) {
        const res = await api.call({
          method: 'POST',
          url: '/api/media',
          as: api.users.author,
          payload,
          headers: { 'content-type': contentType },
        });
        expect(res.statusCode, `${contentType} ${JSON.stringify(payload)} -> ${res.body}`).toBe(400);
      }
    }
    const longAlt = await send([{ name: 'alt', value: 'x'.repeat(501) }, file(await makeImage('png', 5, 5))]);
    expect(longAlt.statusCode).toBe(422);
  });

  it('403 for an author deleting what another uploaded; 400/404 for bad or unknown ids', async () => {
    const res = await send([file(await makeImage('png', 10, 10))]);
    const { id } = res.json<MediaBody>();
    const other = await api.call({ method: 'DELETE', url: `/api/media/${id}`, as: api.users.author2 });
    expect(other.statusCode).toBe(403);
    expect(errorCode(other)).toBe('forbidden');
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const get = await api.call({ method: 'GET', url: `/api/media/${bad}`, as: api.users.author });
      expect(get.statusCode, bad).toBe(400);
      const del = await api.call({ method: 'DELETE', url: `/api/media/${bad}`, as: api.users.admin });
      expect(del.statusCode, bad).toBe(400);
    }
    expect((await api.call({ method: 'GET', url: '/api/media/999999', as: api.users.author })).statusCode).toBe(404);
    expect((await api.call({ method: 'DELETE', url: '/api/media/999999', as: api.users.admin })).statusCode).toBe(404);
    expect((await api.call({ method: 'GET', url: '/api/media?limit=1000', as: api.users.author })).statusCode).toBe(
      400,
    );
  });

  it('no path a client sends reads outside the storage root', async () => {
    // A file beside the root and one above it: neither may ever be served.
    writeFileSync(join(storageDir, 'app', 'secret.png'), 'SECRET-A');
    writeFileSync(join(storageDir, 'secret.png'), 'SECRET-B');
    mkdirSync(join(storageDir, 'app', 'public', '.hidden'), { recursive: true });
    writeFileSync(join(storageDir, 'app', 'public', '.hidden', 'x.png'), 'SECRET-C');
    const paths = [
      '/media/../secret.png',
      '/media/../../secret.png',
      '/media/%2e%2e/secret.png',
      '/media/%2E%2E/%2E%2E/secret.png',
      '/media/..%2fsecret.png',
      '/media/..%2Fsecret.png',
      '/media/2026%2F..%2F..%2Fsecret.png',
      '/media/..%5csecret.png',
      '/media/%252e%252e/secret.png',
      '/media//etc/passwd',
      '/media/%2Fetc%2Fpasswd',
      '/media/x.png%00.html',
      '/media/%00',
      '/media/%',
      '/media/%e0%a4%a.png',
      '/media/.hidden/x.png',
      '/media/2026/11/x.svg',
      '/media/',
    ];
    for (const path of paths) {
      const res = await api.call({ method: 'GET', url: path });
      expect([400, 404], `${path} -> ${res.statusCode}`).toContain(res.statusCode);
      expect(res.body).not.toContain('SECRET');
    }
    // The same over a real socket, where no client library normalizes the path first.
    for (const path of ['/media/../secret.png', '/media/%2e%2e/secret.png', '/media/..%2fsecret.png']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${baseUrl}${path}`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect([400, 404], path).toContain(status);
    }
  });

  it('a corrupt image that passed sniffing fails its variants job cleanly (failed job, app fine)', async () => {
    const res = await send([file(await corruptPng(), 'broken.png')]);
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json<MediaBody>();
    await waitFor('the failed job', async () =>
      (await api.app.queue.listFailed()).some((f) => (f.payload as { mediaId?: number }).mediaId === id),
    );
    const failed = (await api.app.queue.listFailed()).find((f) => (f.payload as { mediaId?: number }).mediaId === id);
    expect(failed!.name).toBe('media:variants');
    const after = await api.call({ method: 'GET', url: `/api/media/${id}`, as: api.users.author });
    expect(after.json<MediaBody>().variants).toEqual({});
    expect((await api.call({ method: 'GET', url: '/health/live' })).statusCode).toBeLessThan(500);
  });

  it('the stored original carries no EXIF/GPS either: turned upright, ICC kept, an animated WebP still animated', async () => {
    const jpeg = await jpegWithGps(600, 300);
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const photo = (await send([file(jpeg, 'gps.jpg')])).json<MediaBody & { sizeBytes: number }>();
    const stored = (await api.call({ method: 'GET', url: photo.url })).rawPayload;
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(stored.includes(Buffer.from('secret-owner'))).toBe(false);
    expect(photo.sizeBytes).toBe(stored.length);

    // A phone's portrait photo: landscape pixels, orientation 6 (turn 90°), a P3 colour profile.
    const sideways = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#8e44ad' } })
      .withMetadata({ orientation: 6 })
      .withIccProfile('p3')
      .withExif({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 52/1 0/1' } })
      .jpeg()
      .toBuffer();
    const portrait = (await send([file(sideways, 'portrait.jpg')])).json<MediaBody & { width: number }>();
    const upright = await sharp((await api.call({ method: 'GET', url: portrait.url })).rawPayload).metadata();
    expect(upright).toMatchObject({ format: 'jpeg', width: 200, height: 300 });
    expect(upright.orientation ?? 1).toBe(1);
    expect(upright.exif).toBeUndefined();
    expect(upright.icc).toBeDefined();
    expect(portrait.width).toBe(200);

    const animated = await sharp(await animatedGif(60, 40), { animated: true })
      .withExif({ IFD0: { Copyright: 'secret-owner' } })
      .webp()
      .toBuffer();
    expect((await sharp(animated).metadata()).exif).toBeDefined();
    const anim = (await send([file(animated, 'anim.webp')])).json<MediaBody>();
    expect(anim.mime).toBe('image/webp');
    const animStored = (await api.call({ method: 'GET', url: anim.url })).rawPayload;
    const animMeta = await sharp(animStored, { animated: true }).metadata();
    expect(animMeta).toMatchObject({ format: 'webp', pages: 2, width: 60 });
    expect(animMeta.exif).toBeUndefined();
  });

  it('variants carry no EXIF/GPS; an animated GIF becomes a still first frame', async () => {
    const jpeg = await jpegWithGps(1000, 500);
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const photo = (await send([file(jpeg, 'gps.jpg')])).json<MediaBody>();
    const gif = (await send([file(await animatedGif(500, 250), 'anim.gif')])).json<MediaBody>();
    for (const m of [photo, gif]) {
      await waitFor('variants', async () => {
        const res = await api.call({ method: 'GET', url: `/api/media/${m.id}`, as: api.users.author });
        m.variants = res.json<MediaBody>().variants;
        return Object.keys(m.variants).length > 0;
      });
    }
    const photoVariant = await api.call({ method: 'GET', url: photo.variants['800']! });
    const meta = await sharp(photoVariant.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(photoVariant.rawPayload.includes(Buffer.from('secret-owner'))).toBe(false);
    const gifVariant = await api.call({ method: 'GET', url: gif.variants['400']! });
    const gifMeta = await sharp(gifVariant.rawPayload, { animated: true }).metadata();
    expect(gifMeta).toMatchObject({ format: 'webp', width: 400, height: 200 });
    expect(gifMeta.pages ?? 1).toBe(1);
    const { dominant } = await sharp(gifVariant.rawPayload).stats();
    expect(dominant.r).toBeGreaterThan(200);
    expect(dominant.b).toBeLessThan(60);
  });
});
