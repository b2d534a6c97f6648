import { createHash } from 'node:crypto';
import { siteCss } from './assets/site-css.js';

export interface Asset {
  /** /assets/<name>.<hash>.<ext>: a new hash for new bytes, so the URL can be cached forever. */
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

function fingerprint(name: string, ext: string, contentType: string, text: string): Asset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/assets/${name}.${hash}.${ext}`, body, contentType, etag: `"${hash}"` };
}

/** The site's static files, fingerprinted once at start (every instance computes the same names). */
export function buildAssets(): { css: Asset; byPath: ReadonlyMap<string, Asset> } {
  const css = fingerprint('site', 'css', 'text/css; charset=utf-8', siteCss);
  return { css, byPath: new Map([[css.path, css]]) };
}
