import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/config/env-schema.js';

// .env.example is the operator's reference: it must name every variable the schema reads, and nothing else.
describe('.env.example', () => {
  it('documents exactly the variables the config schema reads', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = new Set(
      [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).filter((v) => v !== undefined),
    );
    const schema = new Set(Object.keys(envSchema.shape));
    expect([...schema].filter((v) => !documented.has(v))).toEqual([]);
    expect([...documented].filter((v) => !schema.has(v) && v !== 'ENV_FILE')).toEqual([]);
  });
});
