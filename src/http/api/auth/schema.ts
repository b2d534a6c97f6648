import { z } from 'zod';
import { errorResponses, isoDate, safeText } from '../common-schema.js';

export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  bio: z.string().nullable(),
  role: z.enum(['admin', 'editor', 'author']),
  createdAt: isoDate,
});

export const loginBody = z.strictObject({
  email: safeText(3, 191),
  password: safeText(1, 1024),
});

export const loginResponse = {
  200: z.object({ user: userSchema, csrfToken: z.string(), expiresAt: isoDate }),
  ...errorResponses(400, 401, 413, 415, 429),
};

export const sessionResponse = {
  200: z.object({ user: userSchema, via: z.enum(['session', 'token']), csrfToken: z.string().nullable() }),
  ...errorResponses(401),
};

export const logoutResponse = { 204: z.null(), ...errorResponses(401, 403) };
