import { hash } from 'node:crypto';

/**
 * A strong validator: the same bytes give the same tag on every instance. One-shot `crypto.hash` (Node 20.12+),
 * not createHash: no Hash stream object per response, which every uncached page and API read makes.
 */
export function strongEtag(body: string | Buffer): string {
  return `"${hash('sha1', body, 'base64url')}"`;
}

/** Whether an If-None-Match header names `etag` (a list, `*`, or weak forms: GET compares weakly, RFC 9110). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*') return true;
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === bare) return true;
  }
  return false;
}
