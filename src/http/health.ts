import type { FastifyInstance } from 'fastify';

export interface HealthState {
  /** True once shutdown began: readiness answers 503 so a load balancer stops sending traffic. */
  draining: () => boolean;
  version: string;
  pingDatabase: () => Promise<void>;
}

/**
 * Liveness: the process answers. It checks nothing else, so a slow database never gets the process restarted.
 * Readiness: this instance should get traffic: not draining, and the database answers within a second.
 */
export function registerHealthRoutes(app: FastifyInstance, state: HealthState): void {
  app.get('/health/live', () => ({ status: 'ok', version: state.version }));
  app.get('/health/ready', async (_request, reply) => {
    if (state.draining()) return reply.status(503).send({ status: 'draining', version: state.version });
    try {
      await withTimeout(state.pingDatabase(), 1000);
      return { status: 'ready', version: state.version };
    } catch (err) {
      return reply.status(503).send({ status: 'unready', reason: (err as Error).message, version: state.version });
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
