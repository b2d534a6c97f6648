import { createHash } from 'node:crypto';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Destination, PartSink } from '../../adapters/storage/destination.js';
import { BackupError } from '../../domain/backup-errors.js';
import type { BackupDeps } from './deps.js';
import type { PartInfo, PartKind } from './manifest.js';

/** A destination still taking part in the set being written, and why one dropped out. */
export interface LiveDestinations {
  live: Destination[];
  failed: { name: string; error: string }[];
}

export function hashCounter(): { stage: Transform; result: () => { size: number; sha256: string } } {
  const hash = createHash('sha256');
  let size = 0;
  const stage = new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return { stage, result: () => ({ size, sha256: hash.digest('hex') }) };
}

/** Writes each chunk to every live sink, waiting for the slowest (backpressure reaches the dump tool). */
function fanout(sinks: { dest: Destination; sink: PartSink }[], drop: (dest: Destination, err: Error) => void) {
  const alive = new Set(sinks);
  const writeOne = (s: { dest: Destination; sink: PartSink }, chunk: Buffer) =>
    new Promise<void>((resolve) => {
      const onError = (err: Error) => {
        alive.delete(s);
        drop(s.dest, err);
        resolve();
      };
      if (s.sink.stream.write(chunk)) return resolve();
      s.sink.stream.once('drain', () => {
        s.sink.stream.off('error', onError);
        resolve();
      });
      s.sink.stream.once('error', onError);
    });
  return new Writable({
    write(chunk: Buffer, _e, cb) {
      Promise.all([...alive].map((s) => writeOne(s, chunk))).then(() => cb(), cb);
    },
    final(cb) {
      for (const s of alive) s.sink.stream.end();
      cb();
    },
  });
}

/**
 * Streams one part through compression, encryption and hashing to every live destination: nothing is staged
 * whole, and a destination that fails drops out (continue_on_failure) or fails the set.
 */
export async function storePart(
  deps: BackupDeps,
  dests: LiveDestinations,
  setId: string,
  part: {
    name: string;
    kind: PartKind;
    source: Readable;
    compress: boolean;
    key: Buffer | Promise<Buffer> | undefined;
  },
): Promise<PartInfo> {
  const iv = part.key ? deps.codec.randomBytes(12) : undefined;
  const file = `${part.name}${part.compress ? '.zst' : ''}${part.key ? '.enc' : ''}`;
  const sinks = dests.live.map((dest) => ({ dest, sink: dest.writePart(setId, file) }));
  const drop = (dest: Destination, err: Error) => {
    if (!dests.live.includes(dest)) return;
    if (!deps.config.continueOnFailure || dests.live.length <= 1) {
      throw new BackupError('destination_failed', `destination ${dest.name} failed: ${err.message}`);
    }
    dests.live.splice(dests.live.indexOf(dest), 1);
    dests.failed.push({ name: dest.name, error: err.message });
    deps.logger.warn({ destination: dest.name, err: err.message }, 'backup destination failed; continuing');
  };
  const counter = hashCounter();
  const stages: (Readable | Transform | Writable | NodeJS.ReadWriteStream)[] = [part.source];
  if (part.compress) stages.push(deps.codec.compress());
  if (part.key && iv) stages.push(deps.codec.encrypt(part.key, iv));
  stages.push(
    counter.stage,
    fanout(sinks, (d, e) => safeDrop(drop, d, e)),
  );
  await pipeline(stages as unknown as [Readable, Writable]);
  const settled = await Promise.allSettled(sinks.map((s) => s.sink.done));
  settled.forEach((r, i) => {
    if (r.status === 'rejected') drop(sinks[i]!.dest, r.reason as Error);
  });
  const { size, sha256 } = counter.result();
  return {
    name: part.name,
    kind: part.kind,
    file,
    size,
    sha256,
    compression: part.compress ? 'zstd' : 'none',
    iv: iv ? iv.toString('hex') : null,
  };
}

function safeDrop(drop: (d: Destination, e: Error) => void, d: Destination, e: Error): void {
  try {
    drop(d, e);
  } catch {
    // A destination that must not fail has failed: its done promise rejects too and fails the part there.
  }
}

/** Re-reads a stored part and checks its size and sha256; names the part when they differ. */
export async function verifyPart(dest: Destination, setId: string, part: PartInfo, staged: boolean): Promise<void> {
  const counter = hashCounter();
  let stream: Readable;
  try {
    stream = await dest.readPart(setId, part.file, staged);
  } catch (err) {
    throw new BackupError(
      'part_missing',
      `part ${part.file} of backup ${setId} is missing on ${dest.name}: ${(err as Error).message}`,
    );
  }
  await pipeline(stream, counter.stage, new Writable({ write: (_c, _e, cb) => cb() }));
  const got = counter.result();
  if (got.size !== part.size || got.sha256 !== part.sha256) {
    throw new BackupError(
      'part_corrupt',
      `part ${part.file} of backup ${setId} is corrupt on ${dest.name} (expected ${part.size} bytes sha256 ${part.sha256.slice(0, 12)}…, got ${got.size} bytes sha256 ${got.sha256.slice(0, 12)}…)`,
    );
  }
}

/** A part's original bytes: read, decrypt, decompress. */
export async function openPart(
  deps: BackupDeps,
  dest: Destination,
  setId: string,
  part: PartInfo,
  key: Buffer | undefined,
): Promise<Readable> {
  let stream: Readable = await dest.readPart(setId, part.file);
  if (part.iv) {
    if (!key) throw new BackupError('password_required', `backup ${setId} is encrypted: set BACKUP_PASSWORD`);
    stream = stream.pipe(deps.codec.decrypt(key, Buffer.from(part.iv, 'hex'), part.file));
  }
  if (part.compression === 'zstd') {
    const inner = stream;
    const out = deps.codec.decompress();
    inner.on('error', (e) => out.destroy(e));
    stream = inner.pipe(out);
  }
  return stream;
}
