import type { FastifyInstance } from 'fastify';
import type { MediaStorage } from '../adapters/media-storage/media-storage.js';
import { isSafeKey } from '../adapters/media-storage/media-storage.js';
import { IMAGE_TYPES } from '../services/media/sniff.js';
import { envelope } from './error-envelope.js';

export interface MediaFilesDeps {
  storage: MediaStorage;
  /** MEDIA_PUBLIC_URL; files are served under its path (a CDN in front of the app keeps the same path). */
  publicUrl: string;
}

const CONTENT_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries(IMAGE_TYPES).map(([mime, ext]) => [ext, mime]),
);

/**
 * Serves stored uploads at `<publicUrl path>/<key>`. Keys are random and never reused, so every answer may be
 * cached for a year. Only keys the media service could have made are looked up: the raw path is decoded segment
 * by segment and anything with `..`, an encoded separator, NUL, or an unknown extension is refused before the
 * storage is asked. The Content-Type comes from the extension (itself from the sniffed type), never from the
 * stored bytes, and nosniff stops a browser guessing otherwise.
 */
export function registerMediaFiles(app: FastifyInstance, deps: MediaFilesDeps): void {
  const base = new URL(deps.publicUrl, 'http://localhost').pathname.replace(/\/+$/, '');
  if (base === '') return;
  app.get(`${base}/*`, async (request, reply) => {
    const raw = request.url.split('?')[0]!.slice(base.length + 1);
    let key: string;
    try {
      key = raw
        .split('/')
        .map((s) => decodeURIComponent(s))
        .join('/');
    } catch {
      return reply.status(400).send(envelope('bad_path', 'the path is not a valid media key'));
    }
    // A decoded segment holding `/` or `\` was an encoded separator: refused like any other unsafe key.
    const type = CONTENT_TYPES.get(key.slice(key.lastIndexOf('.') + 1));
    if (!isSafeKey(key) || key.split('/').length !== raw.split('/').length) {
      return reply.status(400).send(envelope('bad_path', 'the path is not a valid media key'));
    }
    if (type === undefined) return reply.status(404).send(envelope('not_found', 'no such media file'));
    const found = await deps.storage.get(key);
    if (!found) return reply.status(404).send(envelope('not_found', 'no such media file'));
    void reply
      .header('content-type', type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('etag', found.etag)
      .header('last-modified', found.lastModified.toUTCString());
    if (request.headers['if-none-match'] === found.etag) {
      found.body.destroy();
      return reply.status(304).send();
    }
    void reply.header('content-length', String(found.sizeBytes));
    return reply.send(found.body);
  });
}
