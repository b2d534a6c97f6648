/** A CDN may keep a page a minute and serve it stale for ten while it refetches; browsers always revalidate. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=600';

/**
 * A stored response, decoded. A hit answers from it before fastify routes the request (see fast-path.ts), so it
 * carries what the route would have added: its template (the request line's and the metrics' route label) and its
 * Vary header. The header lists are built once per decoding: the memory driver's entries are decoded once.
 */
export interface CachedPage {
  etag: string;
  type: string;
  /** The route template that made it, e.g. `/articles/:slug`. */
  route: string;
  vary: string;
  body: Buffer;
  /** Headers of a 200 answer after x-request-id, as node's flat [name, value, …] list. */
  head200: string[];
  /** Headers of a 304 answer after x-request-id. */
  head304: string[];
}

/**
 * The format mark. Entries of the previous format began with the ETag's `"`; that version reads an entry that
 * begins otherwise as a miss (and the other way round), so two versions sharing a Redis during a rolling deploy
 * re-render rather than send each other's bytes.
 */
const FORMAT = '2';

/** One byte string: `2\n<etag>\n<content type>\n<route>\n<vary>\n<body bytes>`, so a hit slices, never parses. */
export function encodePage(page: { etag: string; type: string; route: string; vary: string; body: string }): Buffer {
  return Buffer.from(`${FORMAT}\n${page.etag}\n${page.type}\n${page.route}\n${page.vary}\n${page.body}`, 'utf8');
}

export function decodePage(stored: Buffer): CachedPage | undefined {
  if (stored[0] !== 0x32 || stored[1] !== 10) return undefined;
  const fields: string[] = [];
  let from = 2;
  for (let i = 0; i < 4; i++) {
    const end = stored.indexOf(10, from);
    if (end === -1) return undefined;
    // The route is a template the app registered (UTF-8 when it holds non-ASCII); the rest are header values.
    fields.push(stored.toString(i === 2 ? 'utf8' : 'latin1', from, end));
    from = end + 1;
  }
  const [etag, type, route, vary] = fields as [string, string, string, string];
  const body = stored.subarray(from);
  const common = ['etag', etag, 'cache-control', PUBLIC_CACHE_CONTROL, 'x-cache', 'HIT'];
  if (vary !== '') common.push('vary', vary);
  return {
    etag,
    type,
    route,
    vary,
    body,
    head200: [...common, 'content-type', type, 'content-length', String(body.length)],
    head304: common,
  };
}
