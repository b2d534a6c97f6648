import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuthService } from '../../../services/auth.js';
import type { ApiTokenRecord } from '../../../adapters/db/repositories/api-tokens.js';
import { requireActor } from '../auth-context.js';
import { idParam, isoOrNull } from '../common-schema.js';
import { createTokenBody, createTokenResponse, listTokensResponse, revokeTokenResponse } from './schema.js';

const tokenDto = (t: ApiTokenRecord) => ({
  id: t.id,
  name: t.name,
  prefix: t.tokenPrefix,
  lastUsedAt: isoOrNull(t.lastUsedAt),
  expiresAt: isoOrNull(t.expiresAt),
  createdAt: t.createdAt.toISOString(),
});

export function registerTokenRoutes(app: FastifyInstance, deps: { auth: AuthService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/tokens',
    { schema: { tags: ['tokens'], summary: 'Your API tokens (never the secrets)', response: listTokensResponse } },
    async (request) => ({ data: (await deps.auth.listApiTokens(requireActor(request))).map(tokenDto) }),
  );

  r.post(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token',
        body: createTokenBody,
        response: createTokenResponse,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { expiresAt } = request.body;
      const made = await deps.auth.createApiToken(
        actor,
        request.body.name,
        expiresAt ? new Date(expiresAt) : undefined,
      );
      return reply.status(201).send({ token: made.token, info: tokenDto(made.record) });
    },
  );

  r.delete(
    '/api/tokens/:id',
    { schema: { tags: ['tokens'], summary: 'Revoke an API token', params: idParam, response: revokeTokenResponse } },
    async (request, reply) => {
      await deps.auth.revokeApiToken(requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
