import type { Logger } from 'pino';
import type { JobHandler } from './handlers.js';
import { JOB } from './names.js';

/** The pages every reader and feed reader asks for first: rendered again right after a change drops them. */
export const WARM_PATHS = ['/', '/feed.xml', '/atom.xml', '/sitemap.xml'] as const;

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Requests the hot pages through the public URL, so the first reader after a publish gets a cached page and the
 * render happens here instead. Through APP_URL rather than in-process: it fills whatever cache the web instances
 * share (Redis), or the one instance behind the URL with the in-process cache.
 */
export function siteWarmHandler(deps: { appUrl: string; logger: Logger }): JobHandler {
  return async (_payload, { signal }) => {
    const results: Array<{ path: string; status: number; ms: number }> = [];
    const failed: string[] = [];
    for (const path of WARM_PATHS) {
      const started = performance.now();
      try {
        const res = await fetch(`${deps.appUrl}${path}`, {
          signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
          headers: { 'user-agent': 'inkstone-warm-up' },
        });
        await res.arrayBuffer();
        results.push({ path, status: res.status, ms: Math.round(performance.now() - started) });
        if (!res.ok) failed.push(`${path}: HTTP ${res.status}`);
      } catch (err) {
        failed.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    deps.logger.info({ results }, 'site cache warmed');
    // Failing the job puts it in failed jobs (and the dashboard): a site that cannot render its home page is news.
    if (failed.length > 0) throw new Error(`could not warm ${failed.join('; ')}`);
  };
}

/** Its own queue: rendering pages never waits behind (or holds up) mail and variants. */
export const SITE_QUEUE = 'site';

/** Queued after a change that drops listings; the short delay lets a burst of edits settle first. */
export function siteWarmJob() {
  return { name: JOB.warmSite, payload: {}, queue: SITE_QUEUE, maxAttempts: 2, delayMs: 1000 };
}
