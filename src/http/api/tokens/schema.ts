import { z } from 'zod';
import { errorResponses, isoDate, safeText } from '../common-schema.js';

export const tokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
  lastUsedAt: isoDate.nullable(),
  expiresAt: isoDate.nullable(),
  createdAt: isoDate,
});

export const createTokenBody = z.strictObject({
  name: safeText(1, 120),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export const createTokenResponse = {
  201: z.object({ token: z.string().describe('Shown once; only its hash is stored'), info: tokenSchema }),
  ...errorResponses(400, 401, 403, 413, 415, 422),
};
export const listTokensResponse = { 200: z.object({ data: z.array(tokenSchema) }), ...errorResponses(401) };
export const revokeTokenResponse = { 204: z.null(), ...errorResponses(400, 401, 403, 404) };
