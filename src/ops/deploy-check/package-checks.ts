import { satisfies } from './semver-range.js';
import { fail, pass, warn, type CheckResult } from './check-result.js';

export interface PackageManifest {
  version?: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<
    string,
    { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
  >;
}

/** The running Node satisfies package.json `engines.node` (the image and the server must agree with CI). */
export function checkNodeVersion(nodeVersion: string, manifest: PackageManifest): CheckResult {
  const range = manifest.engines?.node;
  if (range === undefined) return warn('node', `Node ${nodeVersion}; package.json declares no engines.node`);
  const ok = satisfies(nodeVersion, range);
  if (ok === undefined) return fail('node', `cannot compare Node ${nodeVersion} with engines.node "${range}"`);
  return ok
    ? pass('node', `Node ${nodeVersion} satisfies engines.node ${range}`)
    : fail('node', `Node ${nodeVersion} does not satisfy engines.node ${range}`);
}

/**
 * package-lock.json agrees with package.json the way `npm ci` demands: the root entry lists the same ranges, and
 * every direct dependency is locked at a version inside its range. Otherwise `npm ci` in the image build fails.
 */
export function checkLockfile(manifest: PackageManifest, lock: Lockfile | undefined): CheckResult {
  if (lock === undefined) return fail('lockfile', 'package-lock.json is missing (npm ci needs it)');
  const root = lock.packages?.[''];
  if (root === undefined || (lock.lockfileVersion ?? 0) < 2) {
    return fail('lockfile', 'package-lock.json has no root package entry (lockfileVersion 2 or 3 expected)');
  }
  const problems: string[] = [];
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const wanted = manifest[field] ?? {};
    const locked = root[field] ?? {};
    for (const [name, range] of Object.entries(wanted)) {
      if (locked[name] !== range) {
        problems.push(
          locked[name] === undefined ? `${name} not in the lockfile` : `${name} ${range} vs ${locked[name]}`,
        );
        continue;
      }
      const version = lock.packages?.[`node_modules/${name}`]?.version;
      if (version === undefined) problems.push(`${name} has no locked version`);
      else if (satisfies(version, range) === false) problems.push(`${name} locked at ${version}, outside ${range}`);
    }
    for (const name of Object.keys(locked))
      if (!(name in wanted)) problems.push(`${name} locked but not in package.json`);
  }
  if (problems.length === 0) {
    const count = Object.keys(manifest.dependencies ?? {}).length + Object.keys(manifest.devDependencies ?? {}).length;
    return pass('lockfile', `package-lock.json matches package.json (${count} direct dependencies)`);
  }
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? ` and ${problems.length - 3} more` : '';
  return fail('lockfile', `package-lock.json is out of step with package.json: ${shown}${more} (run npm install)`);
}
