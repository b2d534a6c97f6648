import type { Readable } from 'node:stream';

/**
 * The media storage port: uploaded originals and their variants, by key. Two drivers implement it with one
 * behaviour (test/adapters/media-storage/ runs the same suite against both): a directory on local disk and an
 * S3-compatible bucket. Keys are made by the media service, never taken from a request as they are; every driver
 * still refuses a key that is not `safeKey`, so no path can reach outside the storage root.
 */
export interface MediaStorage {
  readonly driver: 'local' | 's3';
  /** Stores the bytes under `key`, replacing what was there; readers never see a half-written object. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object as a stream with what a response needs, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** The whole object in memory (for the variants job), or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Removes the keys; missing ones are not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** Lets go of connections (S3); the local driver holds none. */
  close(): void;
}

export interface StoredObject {
  body: Readable;
  sizeBytes: number;
  lastModified: Date;
  /** A strong or weak validator, quoted as HTTP sends it. */
  etag: string;
}

// Segments of letters, digits, `_`, `-` and inner dots: no `..`, no hidden files, no separators, no NUL.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Whether `key` is one a driver may touch: relative, 1-6 plain segments, no traversal. */
export function isSafeKey(key: string): boolean {
  if (key.length === 0 || key.length > 512) return false;
  const segments = key.split('/');
  return segments.length <= 6 && segments.every((s) => SEGMENT.test(s) && !s.includes('..'));
}

export class UnsafeKeyError extends Error {
  constructor(key: string) {
    super(`refusing storage key ${JSON.stringify(key.slice(0, 100))}`);
    this.name = 'UnsafeKeyError';
  }
}

export function assertSafeKey(key: string): string {
  if (!isSafeKey(key)) throw new UnsafeKeyError(key);
  return key;
}
