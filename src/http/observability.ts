import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../adapters/log/logger.js';
import { flatLineWriter } from '../adapters/log/flat-line.js';
import type { Metrics } from '../adapters/metrics/metrics.js';
import type { RequestWindow } from '../ops/alerts/request-window.js';
import { envelope } from './error-envelope.js';
import type { TrafficHistory } from '../ops/dashboard/traffic-history.js';
import type { RecentRequests } from '../ops/dashboard/recent-requests.js';

export interface ObservabilityDeps {
  metrics: Metrics;
  requests: RequestWindow;
  slowRequestMs: number;
  metricsToken: string | undefined;
  metricsAllow: readonly string[];
  /** The ops dashboard's charts and request inspector (absent in narrow tests). */
  traffic?: TrafficHistory;
  recent?: RecentRequests;
}

const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** What the request line, the metrics and the alert window are told of a finished request. */
export interface FinishedRequest {
  reqId: string;
  method: string;
  /** The route's template (`/articles/:slug`), or 'unmatched'. */
  route: string;
  url: string;
  status: number;
  ms: number;
  ip: string | undefined;
  ua: string | undefined;
  userId: number | null;
}

export type RequestRecorder = (request: FinishedRequest) => void;

/**
 * Per request: one log line (request id, method, route template, status, ms, IP, user agent, user id), the
 * duration histogram and the alert window; a warning line for slow requests. Shared by fastify's onResponse hook
 * and the page cache's front door (page-cache/cache-front.ts), which answers hits before fastify sees them.
 */
export function createRequestRecorder(logger: Logger, deps: ObservabilityDeps): RequestRecorder {
  const { metrics, requests, slowRequestMs } = deps;
  // The request line holds only the flat fields built below, none of them secret, so it skips the logger's
  // redaction (its wildcard paths cost more per line than everything else here put together, see bench/hooks.ts)
  // and the rest of pino's per-call work (see adapters/log/flat-line.ts).
  const writeLine = flatLineWriter(logger);
  return (r) => {
    const { status, ms, route } = r;
    // In the histogram's label order: method, route, status class.
    metrics.httpDuration.at(r.method, route, STATUS_CLASS[Math.floor(status / 100)] ?? 'other').observe(ms / 1000);
    requests.record(status, ms);
    deps.traffic?.record(status, ms);
    const line = {
      reqId: r.reqId,
      method: r.method,
      route,
      url: r.url,
      status,
      ms: Math.round(ms * 10) / 10,
      ip: r.ip,
      ua: r.ua,
      userId: r.userId,
    };
    if (deps.recent && (status >= 500 || ms > slowRequestMs)) {
      deps.recent.add({
        at: new Date().toISOString(),
        kind: status >= 500 ? 'error' : 'slow',
        requestId: r.reqId,
        method: r.method,
        route,
        url: r.url,
        status,
        ms: line.ms,
        userId: r.userId,
      });
    }
    if (ms > slowRequestMs) {
      writeLine('warn', { ...line, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, 'slow request');
    } else {
      writeLine('info', line, 'request');
    }
  };
}

/**
 * The request recorder on every request fastify answers (one onResponse hook: every hook is paid on every
 * request), the in-flight gauge, and GET /metrics.
 */
export function registerObservability(app: FastifyInstance, deps: ObservabilityDeps, record: RequestRecorder): void {
  const { metrics } = deps;
  app.addHook('onRequest', (_request, _reply, done) => {
    metrics.httpInFlight.inc();
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpInFlight.dec();
    record({
      reqId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      url: request.url,
      status: reply.statusCode,
      ms: reply.elapsedTime,
      ip: request.ip,
      ua: request.headers['user-agent'],
      userId: viewerId(request),
    });
    done();
  });

  app.get('/metrics', async (request, reply) => {
    if (!metricsAllowed(request, deps)) {
      return reply.status(403).send(envelope('forbidden', 'metrics need METRICS_TOKEN or an allowed address'));
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.text());
  });
}

/** The signed-in user's id when the auth layer has set one (null for anonymous requests). */
function viewerId(request: FastifyRequest): number | null {
  const auth = (request as FastifyRequest & { auth?: { actor: { id: number } } | null }).auth;
  return auth?.actor.id ?? null;
}

function metricsAllowed(request: FastifyRequest, deps: ObservabilityDeps): boolean {
  const auth = request.headers.authorization;
  if (deps.metricsToken && auth === `Bearer ${deps.metricsToken}`) return true;
  // The socket address, not X-Forwarded-For: a proxy in front must not make every caller look local.
  const ip = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return deps.metricsAllow.includes(ip);
}
