import type { HostStats } from '../../adapters/system/host-stats.js';
import type { AlertRule } from './engine.js';
import type { RequestWindow } from './request-window.js';

/** A handful of requests is no basis for a rate: one failure out of two is not a 50 % outage. */
const MIN_REQUESTS = 20;

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export function errorRateRule(window: RequestWindow, thresholdPercent: number): AlertRule {
  return {
    name: 'high_error_rate',
    severity: 'critical',
    evaluate() {
      const s = window.snapshot();
      const pct = s.errorRate * 100;
      return Promise.resolve({
        firing: s.requests >= MIN_REQUESTS && pct > thresholdPercent,
        summary: `${pct.toFixed(1)} % of ${s.requests} requests failed (5xx) over ${minutes(s.windowMs)}; threshold ${thresholdPercent} %`,
      });
    },
  };
}

export function latencyRule(window: RequestWindow, thresholdMs: number): AlertRule {
  return {
    name: 'high_latency',
    severity: 'warning',
    evaluate() {
      const s = window.snapshot();
      return Promise.resolve({
        firing: s.requests >= MIN_REQUESTS && s.avgMs > thresholdMs,
        summary: `average ${Math.round(s.avgMs)} ms, p95 ≤ ${s.p95Ms} ms over ${minutes(s.windowMs)}; threshold ${thresholdMs} ms`,
      });
    },
  };
}

export function cpuRule(host: HostStats, thresholdPercent: number): AlertRule {
  return {
    name: 'high_cpu',
    severity: 'warning',
    evaluate() {
      const pct = host.cpuPercent();
      return Promise.resolve({
        firing: pct > thresholdPercent,
        summary: `CPU ${pct.toFixed(0)} %; threshold ${thresholdPercent} %`,
      });
    },
  };
}

export function memoryRule(host: HostStats, thresholdPercent: number): AlertRule {
  return {
    name: 'high_memory',
    severity: 'warning',
    evaluate() {
      const pct = host.memoryPercent();
      return Promise.resolve({
        firing: pct > thresholdPercent,
        summary: `memory ${pct.toFixed(0)} % in use; threshold ${thresholdPercent} %`,
      });
    },
  };
}
