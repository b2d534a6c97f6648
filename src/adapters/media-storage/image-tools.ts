import type { Sharp, SharpOptions } from 'sharp';

/** What the media service needs from an image library: dimensions, clean originals and resized WebP copies. */
export interface ImageTools {
  /** Width and height as shown (EXIF orientation applied); throws when the header cannot be read. */
  probe(bytes: Buffer): Promise<{ width: number; height: number }>;
  /**
   * The image as it will be stored: EXIF (GPS position, camera, owner), XMP, IPTC and text comments removed, turned
   * upright (the orientation tag goes with the EXIF), ICC profile kept so colours stay true, same format, animated
   * GIF/WebP still animated. The same buffer back when there is nothing to remove: no needless re-encoding.
   */
  stripMetadata(bytes: Buffer): Promise<Buffer>;
  /**
   * A WebP copy `width` px wide (never wider than the original), turned upright, without the original's metadata
   * (EXIF, GPS, ICC): sharp writes none unless asked. Animated GIF/WebP: the first frame only (a variant is a
   * thumbnail or a cover, and animated WebP copies of large GIFs cost more than the originals).
   */
  resizeToWebp(bytes: Buffer, width: number): Promise<Buffer>;
}

// A 60-megapixel ceiling keeps a small file that claims huge dimensions (a decompression bomb) from eating memory.
const LIMITS: SharpOptions = { limitInputPixels: 60_000_000, failOn: 'error' };
const INPUT: SharpOptions = { ...LIMITS, animated: false };

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
    async stripMetadata(bytes) {
      const image = (await sharp())(bytes, { ...LIMITS, animated: true });
      const meta = await image.metadata();
      const upright = (meta.orientation ?? 1) === 1;
      if (upright && !meta.exif && !meta.xmp && !meta.iptc && !meta.comments?.length) return bytes;
      // sharp writes no metadata unless asked; keepIccProfile asks for the colour profile alone. Quality stays
      // high: this is the copy every variant is made from and the one served in their place.
      const out = image.autoOrient().keepIccProfile();
      switch (meta.format) {
        case 'jpeg':
          return out.jpeg({ quality: 92, mozjpeg: true }).toBuffer();
        case 'webp':
          return out.webp({ quality: 92 }).toBuffer();
        case 'heif':
          return out.avif({ quality: 70 }).toBuffer();
        case 'png':
          return out.png().toBuffer();
        case 'gif':
          return out.gif().toBuffer();
        default:
          throw new Error(`cannot clean the metadata of a ${meta.format ?? 'unknown'} image`);
      }
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
