import { collectDefaultMetrics, Gauge, Counter, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram.js';

/**
 * The process's Prometheus metrics, one registry per app (no prom-client global state: two apps in one process,
 * as in tests, keep their own numbers). Other parts add gauges read at scrape time through `addGauge`.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: SeriesHistogram<'method' | 'route' | 'status_class'>;
  /** Requests being handled now: a plain counter on the request path, read into a gauge at scrape time. */
  readonly httpInFlight: { inc(): void; dec(): void };
  readonly dbQueryDuration: SeriesHistogram<'kind'>;
  readonly cacheLookups: Counter<'result'>;
  /** A gauge whose value(s) are read when Prometheus scrapes. */
  addGauge(
    name: string,
    help: string,
    labelNames: string[],
    collect: () => Promise<{ labels?: Record<string, string>; value: number }[]>,
  ): void;
  text(): Promise<string>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'inkstone_' });
  // Observed on every request and every query: the cheap histogram (see series-histogram.ts).
  const httpDuration = new SeriesHistogram({
    name: 'inkstone_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  let inFlight = 0;
  new Gauge({
    name: 'inkstone_http_requests_in_flight',
    help: 'Requests being handled now',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const httpInFlight = {
    inc: () => void inFlight++,
    dec: () => void inFlight--,
  };
  const dbQueryDuration = new SeriesHistogram({
    name: 'inkstone_db_query_duration_seconds',
    help: 'Database query duration by statement kind',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'inkstone_cache_lookups_total',
    help: 'Cache lookups by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    httpInFlight,
    dbQueryDuration,
    cacheLookups,
    addGauge(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          for (const { labels, value } of await collect()) {
            if (labels) this.set(labels, value);
            else this.set(value);
          }
        },
      });
    },
    text: () => registry.metrics(),
  };
}
