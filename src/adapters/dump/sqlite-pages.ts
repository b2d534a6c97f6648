import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Bytes of page hash kept per page: enough to tell a changed page, small enough for 25k pages per 100 MB. */
export const PAGE_HASH_BYTES = 16;
const MAGIC = Buffer.from('INKPGD01');

export function hashPage(page: Buffer): Buffer {
  return createHash('sha256').update(page).digest().subarray(0, PAGE_HASH_BYTES);
}

/** Passes a database file through unchanged while collecting one hash per page. */
export function pageHasher(pageSize: number): { stage: Transform; hashes: () => Buffer } {
  const hashes: Buffer[] = [];
  let pending: Buffer = Buffer.alloc(0);
  const stage = new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      while (pending.length - at >= pageSize) {
        hashes.push(hashPage(pending.subarray(at, at + pageSize)));
        at += pageSize;
      }
      pending = pending.subarray(at);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      if (pending.length) hashes.push(hashPage(pending));
      cb();
    },
  });
  return { stage, hashes: () => Buffer.concat(hashes) };
}

/** The header of a page delta: magic, page size, page count of the database after the delta. */
export function deltaHeader(pageSize: number, pageCount: number): Buffer {
  const h = Buffer.alloc(16);
  MAGIC.copy(h, 0);
  h.writeUInt32BE(pageSize, 8);
  h.writeUInt32BE(pageCount, 12);
  return h;
}

export function deltaRecord(pageNo: number, page: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(pageNo, 0);
  return Buffer.concat([head, page]);
}

/** Applies a delta stream to an open file: writes each page at its place, then trims to the new length. */
export async function applyDelta(
  delta: AsyncIterable<Buffer>,
  write: (page: Buffer, offset: number) => Promise<void>,
  truncate: (length: number) => Promise<void>,
): Promise<void> {
  let buf: Buffer = Buffer.alloc(0);
  let pageSize = 0;
  let pageCount = -1;
  for await (const chunk of delta) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    if (pageCount < 0) {
      if (buf.length < 16) continue;
      if (!buf.subarray(0, 8).equals(MAGIC)) throw new Error('not an Inkstone SQLite page delta');
      pageSize = buf.readUInt32BE(8);
      pageCount = buf.readUInt32BE(12);
      buf = buf.subarray(16);
    }
    while (buf.length >= 4 + pageSize) {
      const pageNo = buf.readUInt32BE(0);
      await write(Buffer.from(buf.subarray(4, 4 + pageSize)), pageNo * pageSize);
      buf = buf.subarray(4 + pageSize);
    }
  }
  if (pageCount < 0 || buf.length !== 0) throw new Error('truncated SQLite page delta');
  await truncate(pageCount * pageSize);
}
