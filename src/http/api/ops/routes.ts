import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OpsConsole } from '../../../ops/dashboard/ops-console.js';
import { requireActor } from '../auth-context.js';
import { errorResponses } from '../common-schema.js';

const failedJobParam = z.strictObject({ id: z.string().min(1).max(100) });

/** The ops dashboard's JSON (admins only): the overview, failed-job actions and "back up now". */
export function registerOpsRoutes(app: FastifyInstance, deps: { ops: OpsConsole }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/ops/overview',
    {
      schema: {
        tags: ['ops'],
        summary: 'Health, last hour of traffic, queue and failed jobs, backups, scheduler runs, failed/slow requests',
        response: { 200: z.looseObject({ generatedAt: z.string() }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return deps.ops.overview(requireActor(request));
    },
  );

  r.post(
    '/api/ops/failed-jobs/:id/retry',
    {
      schema: {
        tags: ['ops'],
        summary: 'Put a failed job back on its queue',
        params: failedJobParam,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deps.ops.retryFailed(requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.delete(
    '/api/ops/failed-jobs/:id',
    {
      schema: {
        tags: ['ops'],
        summary: 'Forget a failed job',
        params: failedJobParam,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deps.ops.forgetFailed(requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/ops/backups',
    {
      schema: {
        tags: ['ops'],
        summary: 'Queue a backup now (a worker runs it; the dashboard shows it once committed)',
        body: z.strictObject({ incremental: z.boolean().default(false) }).default({ incremental: false }),
        response: { 202: z.object({ jobId: z.string() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const jobId = await deps.ops.queueBackup(requireActor(request), { incremental: request.body.incremental });
      return reply.status(202).send({ jobId });
    },
  );
}
