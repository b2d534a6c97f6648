import type { Sharp, SharpOptions } from 'sharp';

/** What the media service needs from an image library: dimensions, and resized WebP copies. */
export interface ImageTools {
  /** Width and height as shown (EXIF orientation applied); throws when the header cannot be read. */
  probe(bytes: Buffer): Promise<{ width: number; height: number }>;
  /**
   * A WebP copy `width` px wide (never wider than the original), turned upright, without the original's metadata
   * (EXIF, GPS, ICC): sharp writes none unless asked. Animated GIF/WebP: the first frame only (a variant is a
   * thumbnail or a cover, and animated WebP copies of large GIFs cost more than the originals).
   */
  resizeToWebp(bytes: Buffer, width: number): Promise<Buffer>;
}

// A 60-megapixel ceiling keeps a small file that claims huge dimensions (a decompression bomb) from eating memory.
const INPUT: SharpOptions = { limitInputPixels: 60_000_000, animated: false, failOn: 'error' };

/** sharp, loaded on first use: start-up of a process that never touches an image does not pay for it. */
export function createSharpImageTools(): ImageTools {
  let loading: Promise<(input: Buffer, options: SharpOptions) => Sharp> | undefined;
  const sharp = () => (loading ??= import('sharp').then((m) => m.default));
  return {
    async probe(bytes) {
      const meta = await (await sharp())(bytes, INPUT).metadata();
      const { width, height } = meta.autoOrient;
      if (!width || !height) throw new Error('the image has no dimensions');
      return { width, height };
    },
    async resizeToWebp(bytes, width) {
      return (await sharp())(bytes, INPUT)
        .autoOrient()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
    },
  };
}
