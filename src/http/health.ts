import type { FastifyInstance } from 'fastify';

export interface HealthState {
  /** True once shutdown began: readiness answers 503 so a load balancer stops sending traffic. */
  draining: () => boolean;
  version: string;
}

/** Liveness: the process answers. It checks nothing else, so a slow database never gets the process restarted. */
export function registerHealthRoutes(app: FastifyInstance, state: HealthState): void {
  app.get('/health/live', () => ({ status: 'ok', version: state.version }));
}
