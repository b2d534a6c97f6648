import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../../src/services/media/sniff.js';
import { animatedGif, makeImage } from './images.js';

describe('sniffImage', () => {
  it.each(['png', 'jpeg', 'webp', 'gif', 'avif'] as const)('knows a real %s by its bytes', async (format) => {
    const bytes = await makeImage(format, 40, 30);
    expect(sniffImage(bytes)).toBe(`image/${format}`);
  });

  it('knows an animated GIF', async () => {
    expect(sniffImage(await animatedGif(20, 20))).toBe('image/gif');
  });

  it.each([
    ['text', Buffer.from('hello, I am a text file named photo.png')],
    ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['PDF', Buffer.from('%PDF-1.7\n')],
    ['empty', Buffer.alloc(0)],
    ['a RIFF that is not WebP', Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ')],
    ['an MP4 (ftyp, no avif brand)', Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2', 'latin1')],
    ['a lone JPEG marker', Buffer.from([0xff, 0xd8])],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffImage(bytes)).toBeUndefined();
  });
});
