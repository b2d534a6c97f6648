import { z } from 'zod';
import { errorResponses, idParam, isoDate, pageMeta, pageQuery } from '../common-schema.js';

export const mediaDtoSchema = z
  .object({
    id: z.number(),
    url: z.string(),
    originalName: z.string(),
    mime: z.string(),
    sizeBytes: z.number(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    alt: z.string().nullable(),
    variants: z
      .object({ '400': z.string().optional(), '800': z.string().optional(), '1600': z.string().optional() })
      .describe('URLs of the WebP variants by width, once the media:variants job has made them'),
    createdAt: isoDate,
  })
  .describe('An uploaded image');

export const listQuery = z.strictObject(pageQuery);
export const listResponse = {
  200: z.object({ data: z.array(mediaDtoSchema), meta: pageMeta }),
  ...errorResponses(400, 401),
};
export const getParams = idParam;
export const getResponse = { 200: mediaDtoSchema, ...errorResponses(400, 401, 404) };
/** Documents the multipart form (OpenAPI); the form itself is read part by part in the route, not validated here. */
export const uploadBody = z.object({
  file: z.string().meta({ format: 'binary', description: 'The image: JPEG, PNG, WebP, GIF or AVIF' }),
  alt: z.string().max(500).optional().describe('Alternative text'),
});
export const uploadResponse = { 201: mediaDtoSchema, ...errorResponses(400, 401, 403, 413, 415) };
export const deleteResponse = { 204: z.null().describe('Deleted'), ...errorResponses(400, 401, 403, 404) };

/** The text field `alt` of an upload (the file itself is checked by its bytes in the service). */
export const altField = z
  .string()
  .max(500, 'at most 500 characters')
  // eslint-disable-next-line no-control-regex -- NUL is what the databases cannot store
  .refine((s) => !/\u0000/.test(s), 'must not contain NUL characters');
