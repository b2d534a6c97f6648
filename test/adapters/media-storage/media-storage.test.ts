import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalMediaStorage } from '../../../src/adapters/media-storage/local-media-storage.js';
import { createS3MediaStorage } from '../../../src/adapters/media-storage/s3-media-storage.js';
import type { MediaStorage } from '../../../src/adapters/media-storage/media-storage.js';
import { storageBehaviour } from './storage-behaviour.js';

describe('media storage: local disk', () => {
  let dir: string;
  let storage: MediaStorage;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-media-'));
    storage = createLocalMediaStorage(join(dir, 'app', 'public'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  storageBehaviour(() => storage);

  it('keeps files under the root, leaving no temporary files behind', async () => {
    await storage.put('2026/12/kept.gif', Buffer.from('GIF89a'), 'image/gif');
    expect(existsSync(join(dir, 'app', 'public', '2026', '12', 'kept.gif'))).toBe(true);
    expect(readdirSync(join(dir, 'app', 'public', '2026', '12'))).toEqual(['kept.gif']);
    // Nothing escaped the root through any of the refused keys.
    expect(readdirSync(dir)).toEqual(['app']);
  });
});

// s3rver is a real S3 API server on loopback (files on disk behind it): the same SDK calls a bucket gets.
describe('media storage: S3 (s3rver)', () => {
  let s3: S3rver;
  let s3dir: string;
  let storage: MediaStorage;
  beforeAll(async () => {
    s3dir = mkdtempSync(join(tmpdir(), 'inkstone-media-s3-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3dir,
      configureBuckets: [{ name: 'media', configs: [] }],
    });
    const { port } = (await s3.run()) as { port: number };
    storage = createS3MediaStorage({
      bucket: 'media',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
  });
  afterAll(async () => {
    storage?.close();
    await s3?.close();
    rmSync(s3dir, { recursive: true, force: true });
  });

  storageBehaviour(() => storage);
});
