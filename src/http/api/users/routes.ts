import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { UserService } from '../../../services/users.js';
import { requireActor } from '../auth-context.js';
import { errorResponses, idParam, safeText } from '../common-schema.js';
import { userSchema } from '../auth/schema.js';
import { userDto } from '../auth/routes.js';
import { BIO_MAX, NAME_MAX } from '../../../domain/user.js';

const role = z.enum(['admin', 'editor', 'author']);

export function registerUserRoutes(app: FastifyInstance, deps: { users: UserService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Every user (admins)',
        response: { 200: z.object({ data: z.array(userSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ data: (await deps.users.list(requireActor(request))).map(userDto) }),
  );

  r.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admins)',
        body: z.strictObject({
          email: safeText(3, 191),
          role,
          name: safeText(1, 120).optional(),
          password: safeText(10, 1024),
        }),
        response: { 201: userSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { user } = await deps.users.create(request.body, requireActor(request));
      return reply.status(201).send(userDto(user));
    },
  );

  r.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Change a user's role (admins), name or bio (the user themselves, or admins)",
        params: idParam,
        body: z
          .strictObject({
            role: role.optional(),
            name: safeText(1, NAME_MAX * 4).optional(),
            bio: safeText(0, BIO_MAX * 4)
              .nullable()
              .optional(),
          })
          .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one of role, name and bio'),
        response: { 200: userSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { id } = request.params;
      const { role: newRole, ...profile } = request.body;
      let user = newRole === undefined ? undefined : await deps.users.changeRole(actor, id, newRole);
      if (profile.name !== undefined || profile.bio !== undefined) {
        user = await deps.users.updateProfile(actor, id, profile);
      }
      return userDto(user!);
    },
  );

  r.delete(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Delete a user (admins); their articles go to `reassignTo`',
        params: idParam,
        querystring: z.strictObject({ reassignTo: z.coerce.number().int().positive().optional() }),
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deps.users.delete(requireActor(request), request.params.id, request.query.reassignTo);
      return reply.status(204).send(null);
    },
  );
}
