import type { TestProject } from 'vitest/node';
import { SERVICE_NAMES, probeService, type ServiceProbe } from './services.js';
import { dropStaleTestDatabases } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    services: ServiceProbe[];
  }
}

/** Probes every service once, says which suites will be skipped and why, and hands the result to the suites. */
export default async function setup(project: TestProject): Promise<void> {
  const probes = await Promise.all(SERVICE_NAMES.map((name) => probeService(name)));
  const down = probes.filter((p) => !p.available);
  const lines = probes.map((p) =>
    p.available ? `  ✓ ${p.name} (${p.url})` : `  ✗ ${p.name} (${p.url}): ${p.reason} -> its suites are skipped`,
  );
  process.stderr.write(`\nservices for this run:\n  ✓ sqlite (embedded)\n${lines.join('\n')}\n\n`);
  if (down.length > 0 && process.env.REQUIRE_SERVICES === '1') {
    throw new Error(
      `REQUIRE_SERVICES=1 but ${down.map((p) => p.name).join(', ')} ${down.length === 1 ? 'is' : 'are'} unreachable`,
    );
  }
  await dropStaleTestDatabases(probes);
  project.provide('services', probes);
}
