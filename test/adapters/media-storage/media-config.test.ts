import { describe, expect, it } from 'vitest';
import { testConfig } from '../../support/config.js';

describe('media config', () => {
  it('defaults to local disk under STORAGE_DIR/app/public, 10 MB, /media', () => {
    const config = testConfig({ STORAGE_DIR: '/srv/inkstone' });
    expect(config.media).toMatchObject({
      driver: 'local',
      localDir: '/srv/inkstone/app/public',
      maxBytes: 10 * 1024 * 1024,
      publicUrl: '/media',
    });
  });

  it('reads the S3 settings, and refuses MEDIA_DRIVER=s3 without a bucket', () => {
    const config = testConfig({
      MEDIA_DRIVER: 's3',
      MEDIA_S3_BUCKET: 'uploads',
      MEDIA_S3_ENDPOINT: 'http://127.0.0.1:9000',
      MEDIA_S3_FORCE_PATH_STYLE: 'true',
      MEDIA_PUBLIC_URL: 'https://cdn.example.com/media/',
    });
    expect(config.media.s3).toMatchObject({ bucket: 'uploads', forcePathStyle: true, region: 'us-east-1' });
    expect(config.media.publicUrl).toBe('https://cdn.example.com/media');
    expect(() => testConfig({ MEDIA_DRIVER: 's3' })).toThrow(/MEDIA_S3_BUCKET/);
    expect(() => testConfig({ MEDIA_DRIVER: 'ftp' })).toThrow(/MEDIA_DRIVER/);
  });
});
