import { z } from 'zod';
import { formatIso } from '../../domain/iso-date.js';

// Schemas every API route shares: the error envelope, ids, pagination.

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.unknown()),
    }),
  })
  .describe('The one error shape of every API response');

/** The error responses a route documents, by status. */
export function errorResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, errorEnvelopeSchema])) as Record<
    S[number],
    typeof errorEnvelopeSchema
  >;
}

export const idParam = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(15),
};

export const pageMeta = z.object({ page: z.number(), limit: z.number(), total: z.number(), pages: z.number() });

export function meta(page: number, limit: number, total: number) {
  return { page, limit, total, pages: Math.ceil(total / limit) };
}

export const isoDate = z.string().describe('ISO-8601 UTC timestamp');

/** A date as the API writes it (toISOString's text; formatIso is quicker on Node 20, see domain/iso-date.ts). */
export const iso = (d: Date): string => formatIso(d);
export const isoOrNull = (d: Date | null): string | null => (d ? formatIso(d) : null);

// eslint-disable-next-line no-control-regex -- NUL is exactly what this rejects
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text without NUL and lone surrogates: what the databases can store and a JSON client can read. */
export const safeText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !BAD_TEXT.test(s), 'must be valid text without NUL characters');
