/**
 * The Content-Security-Policy of every admin response: scripts, styles and requests only from this origin (the
 * admin's own modules; no inline script can run even if some text slipped through unescaped), images also from
 * where media is served when that is another origin (a CDN or bucket).
 */
export function adminCsp(mediaPublicUrl: string): string {
  const imgSources = ["'self'", 'data:', 'blob:'];
  const origin = originOf(mediaPublicUrl);
  if (origin) imgSources.push(origin);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${imgSources.join(' ')}`,
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function originOf(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Headers on every admin response: never cached (pages and answers depend on who is signed in), never framed. */
export function adminHeaders(csp: string): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
  };
}
