import sharp from 'sharp';

/** A real image of the given size and format (solid colour with a stripe, so resizing has work to do). */
export async function makeImage(
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'avif',
  width: number,
  height: number,
): Promise<Buffer> {
  const stripe = await sharp({
    create: { width: Math.max(1, Math.floor(width / 4)), height, channels: 3, background: '#c0392b' },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#2980b9' } })
    .composite([{ input: stripe, left: 0, top: 0 }])
    .toFormat(format)
    .toBuffer();
}

/** A JPEG carrying a camera owner and a GPS position in its EXIF (IFD3 is the GPS directory in libvips). */
export function jpegWithGps(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#27ae60' } })
    .withExif({
      IFD0: { Copyright: 'secret-owner' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 0/1' },
    })
    .jpeg()
    .toBuffer();
}

/** An animated two-frame GIF. */
export async function animatedGif(width: number, height: number): Promise<Buffer> {
  const frame = (colour: string) =>
    sharp({ create: { width, height, channels: 3, background: colour } })
      .raw()
      .toBuffer();
  const frames = Buffer.concat([await frame('#ff0000'), await frame('#0000ff')]);
  return sharp(frames, { raw: { width, height: height * 2, channels: 3, pageHeight: height } })
    .gif({ loop: 0, delay: [100, 100] })
    .toBuffer();
}

/** A PNG whose header (signature + IHDR, 2000x1000) is fine and whose pixel data is garbage: it sniffs and
 * probes as a PNG, and fails when decoded. */
export async function corruptPng(): Promise<Buffer> {
  const good = await makeImage('png', 2000, 1000);
  const headerEnd = 8 + 25; // signature + IHDR chunk (length, type, 13 bytes, CRC)
  const idat = Buffer.alloc(4000, 0x5a);
  const chunk = Buffer.concat([Buffer.from([0, 0, 0x0f, 0xa0]), Buffer.from('IDAT'), idat, Buffer.alloc(4)]);
  return Buffer.concat([good.subarray(0, headerEnd), chunk]);
}

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body built byte by byte, so tests control every header and the length. */
export function multipart(parts: readonly Part[]): { body: Buffer; contentType: string } {
  const boundary = `----inkstone${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.filename === undefined
        ? `form-data; name="${p.name}"`
        : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${
      p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''
    }\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
