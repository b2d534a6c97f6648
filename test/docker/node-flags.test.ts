import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Production runs node with a smaller young generation (docs/operations/troubleshooting.md, "Memory"). Each place
// that starts the production server spells the command out itself (a Dockerfile cannot import a constant), so this
// keeps them in step, the bench included: it must measure the memory of what production runs.
const FLAG = '--max-semi-space-size=4';
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('production node flags', () => {
  it.each([
    ['Dockerfile ENTRYPOINT', () => read('Dockerfile').match(/^ENTRYPOINT .*$/m)?.[0]],
    ['npm start', () => (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start],
    ['the native deploy drill', () => read('scripts/drill/native-runtime.sh').match(/^.*node .*serve.*$/m)?.[0]],
    ['the site bench', () => read('bench/site.ts').match(/^const PRODUCTION_NODE_FLAGS = .*$/m)?.[0]],
  ])('%s starts node with the production flags', (_where, line) => {
    expect(line()).toContain(FLAG);
  });
});
