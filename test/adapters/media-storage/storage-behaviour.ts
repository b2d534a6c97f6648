import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { expect, it } from 'vitest';
import type { MediaStorage } from '../../../src/adapters/media-storage/media-storage.js';

/** One behaviour for every media storage driver: the same suite runs against local disk and S3 (s3rver). */
export function storageBehaviour(storage: () => MediaStorage): void {
  it('stores, streams and reads back the exact bytes with size, date and validator', async () => {
    const s = storage();
    const bytes = randomBytes(300_000);
    await s.put('2026/11/abc123.png', bytes, 'image/png');
    const got = await s.get('2026/11/abc123.png');
    expect(got).toBeDefined();
    const chunks: Buffer[] = [];
    for await (const chunk of got!.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(got!.sizeBytes).toBe(bytes.length);
    expect(got!.etag).toMatch(/^(W\/)?".+"$/);
    expect(Math.abs(got!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    expect((await s.read('2026/11/abc123.png'))!.equals(bytes)).toBe(true);
  });

  it('replaces an object under the same key', async () => {
    const s = storage();
    await s.put('2026/11/replace.webp', Buffer.from('first'), 'image/webp');
    await s.put('2026/11/replace.webp', Buffer.from('second'), 'image/webp');
    expect(await text((await s.get('2026/11/replace.webp'))!.body)).toBe('second');
  });

  it('answers undefined for a missing key, and deletes (missing keys are fine)', async () => {
    const s = storage();
    expect(await s.get('2026/11/nothing.png')).toBeUndefined();
    expect(await s.read('2026/11/nothing.png')).toBeUndefined();
    await s.put('2026/11/gone.png', Buffer.from('x'), 'image/png');
    await s.put('2026/11/gone-400.webp', Buffer.from('y'), 'image/webp');
    await s.delete(['2026/11/gone.png', '2026/11/gone-400.webp', '2026/11/never-was.png']);
    expect(await s.get('2026/11/gone.png')).toBeUndefined();
    expect(await s.read('2026/11/gone-400.webp')).toBeUndefined();
    await s.delete([]);
  });

  it.each([
    '../escape.png',
    '2026/../../escape.png',
    '/etc/passwd',
    '2026//x.png',
    '.hidden',
    '2026/11/a\u0000.png',
    '2026\\11\\x.png',
    '',
    'a/'.repeat(10) + 'x.png',
  ])('refuses the unsafe key %j on every operation', async (key) => {
    const s = storage();
    await expect(s.put(key, Buffer.from('x'), 'image/png')).rejects.toThrow(/refusing storage key/);
    await expect(s.get(key)).rejects.toThrow(/refusing storage key/);
    await expect(s.read(key)).rejects.toThrow(/refusing storage key/);
    await expect(s.delete([key])).rejects.toThrow(/refusing storage key/);
  });
}
