import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { compiledSerializerCompiler } from '../../../src/http/api/compiled-serializer.js';
import { articleSchema, pageResponse } from '../../../src/http/api/articles/schema.js';
import { errorEnvelopeSchema } from '../../../src/http/api/common-schema.js';

// The public article reads write their JSON with a serializer compiled from their zod schemas (see
// src/http/api/compiled-serializer.ts). For every response those schemas accept, it must write exactly what the
// zod serializer writes: the same properties, in the same order, with the same escapes.
const compile = (schema: z.ZodType) => ({
  ours: compiledSerializerCompiler({ schema, method: 'GET', url: '/t', httpStatus: '200' }),
  zods: serializerCompiler({ schema, method: 'GET', url: '/t', httpStatus: '200' }),
});

// Any text, lone surrogates, control characters, quotes and CJK included.
const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('"', '\\', '\n', '中', '…') }));
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const iso = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
const summary = fc.record({
  id,
  title: text,
  slug: text,
  excerpt: text,
  status: fc.constantFrom('draft', 'scheduled', 'published'),
  publishedAt: fc.option(iso, { nil: null }),
  readingMinutes: fc.integer({ min: 0, max: 10_000 }),
  coverMediaId: fc.option(id, { nil: null }),
  author: fc.record({ id, name: text }),
  tags: fc.array(fc.record({ id, name: text, slug: text }), { maxLength: 5 }),
  createdAt: iso,
  updatedAt: iso,
});
const article = fc
  .record({ summary, markdown: text, html: text })
  .map(({ summary: s, ...rest }) => ({ ...s, ...rest }));
const page = fc.record({
  data: fc.array(summary, { maxLength: 4 }),
  meta: fc.record({
    page: fc.integer({ min: 1 }),
    limit: fc.integer({ min: 1, max: 100 }),
    total: fc.nat(),
    pages: fc.nat(),
  }),
});

describe('the compiled serializer of the public article reads', () => {
  it('writes what the zod serializer writes for every article', () => {
    const { ours, zods } = compile(articleSchema);
    fc.assert(
      fc.property(article, (a) => ours(a) === zods(a)),
      { numRuns: 500 },
    );
  });

  it('writes what the zod serializer writes for every page of summaries', () => {
    const { ours, zods } = compile(pageResponse);
    fc.assert(
      fc.property(page, (p) => ours(p) === zods(p)),
      { numRuns: 300 },
    );
  });

  it('writes the error envelope as the zod serializer does', () => {
    const { ours, zods } = compile(errorEnvelopeSchema);
    const envelope = { error: { code: 'not_found', message: 'article "x" not found', details: [{ path: ['a'] }, 1] } };
    expect(ours(envelope)).toBe(zods(envelope));
  });

  it('leaves out properties the schema does not declare, at every depth, as zod does', () => {
    const { ours, zods } = compile(articleSchema);
    const [base] = fc.sample(article, { numRuns: 1, seed: 7 });
    const leaky = {
      ...base!,
      password_hash: '$argon2id$secret',
      author: { ...base!.author, email: 'a@example.com' },
      tags: [{ id: 1, name: 'n', slug: 's', internal: true }],
    };
    const written = ours(leaky);
    expect(written).toBe(zods(leaky));
    expect(written).not.toMatch(/argon2|example\.com|internal/);
  });

  it('refuses a response without a required property, as zod does', () => {
    const { ours, zods } = compile(articleSchema);
    const [base] = fc.sample(article, { numRuns: 1, seed: 3 });
    const { html: _html, ...missing } = base!;
    expect(() => zods(missing)).toThrow();
    expect(() => ours(missing)).toThrow(/html/);
  });
});
