/**
 * The cache key of a GET: its path and query, the query's parameters sorted so that ?a=1&b=2 and ?b=2&a=1 share
 * one entry. HEAD shares GET's entry (same headers, no body). The common case (no query) costs nothing.
 */
export function pageKey(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return `page:${url}`;
  const path = url.slice(0, q);
  const params = new URLSearchParams(url.slice(q + 1));
  params.sort();
  const query = params.toString();
  return query === '' ? `page:${path}` : `page:${path}?${query}`;
}
