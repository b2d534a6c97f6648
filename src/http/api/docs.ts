import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

interface RecordedRoute {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  schema: FastifySchema | undefined;
}

/**
 * The OpenAPI document (/api/openapi.json) and its docs page (/api/docs) without paying for them at start-up:
 * @fastify/swagger, its YAML writer and swagger-ui cost ~100 ms of module loading and route registration that the
 * first request (and most processes) never need. Every API route registered after this call is recorded; the first
 * request for the docs builds a separate fastify instance holding swagger, swagger-ui and the recorded routes'
 * schemas, and every docs request is answered by it (through inject).
 */
export function registerLazyApiDocs(app: FastifyInstance, options: { version: string }): void {
  const routes: RecordedRoute[] = [];
  app.addHook('onRoute', (route) => {
    // fastify adds a HEAD route beside each GET; swagger leaves those out of the document, and so do we.
    const methods = ([] as HTTPMethods[]).concat(route.method).filter((m) => m !== 'HEAD');
    if (methods.length === 0 || route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') return;
    routes.push({ method: methods, url: route.url, schema: route.schema });
  });
  let docs: Promise<FastifyInstance> | undefined;
  // The document never changes once the server is up; it is rendered once (and only for the exact path, so query
  // strings cannot grow this).
  let documentResponse: Promise<Response> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // A failure is not kept: the next request tries again.
    docs ??= buildDocsApp(routes, options.version).catch((err: unknown) => {
      docs = undefined;
      throw err;
    });
    const inject = async () => (await docs!).inject({ method: 'GET', url: request.url });
    const res =
      request.url === '/api/openapi.json'
        ? await (documentResponse ??= inject().catch((err: unknown) => {
            documentResponse = undefined;
            throw err;
          }))
        : await inject();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && name !== 'content-length' && name !== 'connection' && name !== 'date') {
        void reply.header(name, value);
      }
    }
    return reply.status(res.statusCode).send(res.rawPayload);
  };
  const hidden = { schema: { hide: true } };
  app.get('/api/openapi.json', hidden, forward);
  app.get('/api/docs', hidden, forward);
  app.get('/api/docs/*', hidden, forward);
}

type Response = Awaited<ReturnType<FastifyInstance['inject']>>;

async function buildDocsApp(routes: readonly RecordedRoute[], version: string): Promise<FastifyInstance> {
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('@fastify/swagger'),
    import('@fastify/swagger-ui'),
  ]);
  const docs = Fastify();
  docs.setValidatorCompiler(validatorCompiler);
  docs.setSerializerCompiler(serializerCompiler);
  await docs.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Inkstone API',
        version,
        description:
          'Errors always use `{ "error": { "code", "message", "details" } }`. Writes signed in by cookie need the ' +
          'X-CSRF-Token header from /api/auth/login; writes with `Authorization: Bearer <token>` do not.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'inkstone_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }, {}],
    },
    transform: jsonSchemaTransform,
  });
  await docs.register(swaggerUi, { routePrefix: '/api/docs' });
  docs.get('/api/openapi.json', { schema: { hide: true } }, () => docs.swagger());
  // The recorded routes exist here only to be described; their handlers never run.
  for (const route of routes) docs.route({ ...route, handler: () => undefined });
  await docs.ready();
  return docs;
}
