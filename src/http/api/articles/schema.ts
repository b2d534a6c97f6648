import { z } from 'zod';
import { errorResponses, isoDate, pageMeta, pageQuery, safeText } from '../common-schema.js';

const tagRef = z.object({ id: z.number(), name: z.string(), slug: z.string() });

export const articleSummarySchema = z.object({
  id: z.number(),
  title: z.string(),
  slug: z.string(),
  excerpt: z.string(),
  status: z.enum(['draft', 'scheduled', 'published']),
  publishedAt: isoDate.nullable(),
  readingMinutes: z.number(),
  coverMediaId: z.number().nullable(),
  author: z.object({ id: z.number(), name: z.string() }),
  tags: z.array(tagRef),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const articleSchema = articleSummarySchema.extend({
  markdown: z.string(),
  html: z.string().describe('Rendered and sanitized on write'),
});

const slugText = z
  .string()
  .min(1)
  .max(191)
  .regex(/^[\p{L}\p{N}\p{M}-]+$/u, 'letters, digits and hyphens only');
const tagNames = z.array(safeText(1, 100)).max(20);

export const listQuery = z.strictObject({
  ...pageQuery,
  tag: slugText.optional(),
  author: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

export const manageQuery = listQuery.extend({ status: z.enum(['draft', 'scheduled', 'published']).optional() });

export const searchQuery = z.strictObject({ ...pageQuery, q: safeText(1, 200) });

export const refParam = z.strictObject({
  ref: z.union([z.string().regex(/^\d{1,15}$/), slugText]).describe('An article id or its slug'),
});

export const createBody = z.strictObject({
  title: safeText(1, 300),
  markdown: safeText(0, 500_000),
  tags: tagNames.optional(),
  coverMediaId: z.number().int().positive().nullable().optional(),
});

export const updateBody = createBody.partial();

export const publishBody = z
  .strictObject({ at: z.iso.datetime({ offset: true }).optional().describe('Omit to publish now; future = schedule') })
  .nullish();

export const pageResponse = z.object({ data: z.array(articleSummarySchema), meta: pageMeta });

export const listResponse = { 200: pageResponse, ...errorResponses(400) };
export const manageResponse = { 200: pageResponse, ...errorResponses(400, 401) };
export const getResponse = { 200: articleSchema, ...errorResponses(400, 404) };
export const writeResponse = { 200: articleSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) };
export const createResponse = { 201: articleSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 422) };
export const deleteResponse = { 204: z.null(), ...errorResponses(400, 401, 403, 404) };
