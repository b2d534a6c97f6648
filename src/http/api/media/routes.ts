import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MediaService, NewUpload } from '../../../services/media/media-service.js';
import { AppError, ValidationError } from '../../../domain/errors.js';
import { requireActor } from '../auth-context.js';
import { meta } from '../common-schema.js';
import { mediaDto } from './dto.js';
import {
  altField,
  deleteResponse,
  getParams,
  getResponse,
  listQuery,
  listResponse,
  uploadBody,
  uploadResponse,
} from './schema.js';

export interface MediaRouteDeps {
  media: MediaService;
  maxBytes: number;
  publicUrl: string;
}

/** Multipart bytes around the file itself (boundaries, part headers, the alt field). */
const ENVELOPE_BYTES = 64 * 1024;
const LIMIT_CODES = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);

class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super('payload_too_large', `uploads may be at most ${maxBytes} bytes`, 413);
  }
}

/** /api/media: upload (multipart), list, read, delete. Multipart parsing is registered for this scope only. */
export async function registerMediaRoutes(app: FastifyInstance, deps: MediaRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: deps.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 4096, headerPairs: 50 },
    });
    routes(scope, deps);
  });
}

function routes(app: FastifyInstance, deps: MediaRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { media, publicUrl } = deps;
  const dto = (row: Parameters<typeof mediaDto>[0]) => mediaDto(row, publicUrl);

  r.post(
    '/api/media',
    {
      schema: {
        tags: ['media'],
        summary: 'Upload an image (multipart/form-data: file, optional alt)',
        description:
          'JPEG, PNG, WebP, GIF or AVIF, judged by the bytes (415 otherwise), at most MEDIA_MAX_BYTES (413). ' +
          'WebP variants 400/800/1600 px wide are made by a queued job and appear in `variants` once made.',
        consumes: ['multipart/form-data'],
        body: uploadBody,
        response: uploadResponse,
      },
      // The body schema is documentation only: multipart is streamed and checked part by part in readUpload.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const actor = requireActor(request);
      // A declared length far past the limit is refused before a byte of the body is read.
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > deps.maxBytes + ENVELOPE_BYTES) {
        throw new PayloadTooLargeError(deps.maxBytes);
      }
      const upload = await readUpload(request, deps.maxBytes);
      return reply.status(201).send(dto(await media.upload(actor, upload)));
    },
  );

  r.get(
    '/api/media',
    {
      schema: { tags: ['media'], summary: 'Uploads, newest first', querystring: listQuery, response: listResponse },
    },
    async (request) => {
      const { page, limit } = request.query;
      const result = await media.list(requireActor(request), page, limit);
      return { data: result.items.map(dto), meta: meta(page, limit, result.total) };
    },
  );

  r.get(
    '/api/media/:id',
    { schema: { tags: ['media'], summary: 'One upload', params: getParams, response: getResponse } },
    async (request) => dto(await media.get(requireActor(request), request.params.id)),
  );

  r.delete(
    '/api/media/:id',
    {
      schema: {
        tags: ['media'],
        summary: 'Delete an upload and its files (the uploader, editors, admins); covers using it are cleared',
        params: getParams,
        response: deleteResponse,
      },
    },
    async (request, reply) => {
      await media.delete(requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

/** The `file` part in memory (at most maxBytes) and the `alt` field, in whichever order they come. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<NewUpload> {
  if (!request.isMultipart()) throw fileRequired();
  let file: { bytes: Buffer; name: string } | undefined;
  let alt: string | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          continue;
        }
        file = { bytes: await part.toBuffer(), name: part.filename };
      } else if (part.fieldname === 'alt') {
        const parsed = altField.safeParse(String(part.value));
        if (!parsed.success || part.valueTruncated) {
          throw new ValidationError('alt is not valid', [{ path: '/alt', message: 'at most 500 characters, no NUL' }]);
        }
        alt = parsed.data.trim() === '' ? null : parsed.data;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const { code, statusCode } = err as { code?: string; statusCode?: number };
    if (LIMIT_CODES.has(code ?? '')) throw new PayloadTooLargeError(maxBytes);
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) throw err;
    // busboy's own parse errors (no boundary, malformed part headers) carry no status: the client's fault.
    throw new AppError('bad_multipart', `the multipart body could not be read: ${(err as Error).message}`, 400);
  }
  if (!file) throw fileRequired();
  if (file.bytes.length === 0) throw new AppError('file_empty', 'the uploaded file is empty', 400);
  return { bytes: file.bytes, originalName: file.name, alt };
}

const fileRequired = () =>
  new AppError('file_required', 'send multipart/form-data with the image in a file field named "file"', 400);
