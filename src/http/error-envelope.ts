import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError } from '../domain/errors.js';

/** The one error shape every API response uses. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details: unknown[] };
}

export function envelope(code: string, message: string, details: readonly unknown[] = []): ErrorEnvelope {
  return { error: { code, message, details: [...details] } };
}

/**
 * Maps every failure to the envelope. Domain errors keep their status and code; fastify's own client errors
 * (bad JSON, body too large, wrong content type, schema validation) become 4xx with a stable code; anything
 * else is a bug: logged with the request id, answered 500 without details.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err instanceof RateLimitedError) void reply.header('retry-after', String(err.retryAfterSeconds));
      logUnavailable(request, err);
      return reply.status(err.status).send(envelope(err.code, err.message, err.details));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({
        path: v.instancePath || (v.params as { missingProperty?: string }).missingProperty || '',
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send(envelope('invalid_request', 'the request is not valid', details));
    }
    const status = fe.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = CLIENT_ERROR_CODES[fe.code] ?? 'bad_request';
      return reply.status(status).send(envelope(code, fe.message));
    }
    request.log.error(
      { err, route: request.routeOptions.url ?? 'unmatched', method: request.method },
      'unhandled error',
    );
    return reply.status(500).send(envelope('internal_error', 'something went wrong; the error has been logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send(envelope('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}

/**
 * A domain error answered 5xx (a database that did not answer in time) is no bug and keeps its code, but the
 * operator needs a line saying which request met it and why.
 */
export function logUnavailable(request: FastifyRequest, err: AppError): void {
  if (err.status < 500) return;
  request.log.warn(
    { err, code: err.code, route: request.routeOptions.url ?? 'unmatched', method: request.method },
    err.message,
  );
}

const CLIENT_ERROR_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_VALIDATION: 'invalid_request',
};
