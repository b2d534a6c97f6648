import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkLockfile,
  checkNodeVersion,
  type Lockfile,
  type PackageManifest,
} from '../../../src/ops/deploy-check/package-checks.js';

// The project's own files: the check must pass on them, and fail on copies changed the way a forgotten
// `npm install` leaves them.
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as PackageManifest;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lockfile;
const copy = <T>(v: T): T => structuredClone(v);

describe('checkNodeVersion', () => {
  it('passes when the running Node satisfies engines.node', () => {
    expect(checkNodeVersion('v22.3.0', { engines: { node: '>=20.12' } }).status).toBe('pass');
  });
  it('fails when it does not, naming both', () => {
    const r = checkNodeVersion('v18.20.0', { engines: { node: '>=20.12' } });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('v18.20.0');
    expect(r.detail).toContain('>=20.12');
  });
  it('warns when package.json declares no engines', () => {
    expect(checkNodeVersion('v22.3.0', {}).status).toBe('warn');
  });
});

describe('checkLockfile', () => {
  it("passes on this project's package.json and package-lock.json", () => {
    expect(checkLockfile(manifest, lock)).toMatchObject({ status: 'pass' });
  });
  it('fails on a dependency added to package.json but not locked', () => {
    const m = copy(manifest);
    m.dependencies = { ...m.dependencies, 'left-pad': '^1.3.0' };
    const r = checkLockfile(m, lock);
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('left-pad not in the lockfile');
  });
  it('fails on a range changed in package.json only', () => {
    const m = copy(manifest);
    m.dependencies = { ...m.dependencies, fastify: '^4.0.0' };
    expect(checkLockfile(m, lock).detail).toContain('fastify ^4.0.0 vs');
  });
  it('fails on a locked version outside its range', () => {
    const l = copy(lock);
    l.packages!['node_modules/fastify']!.version = '4.28.0';
    expect(checkLockfile(manifest, l).detail).toContain('fastify locked at 4.28.0');
  });
  it('fails on a dependency removed from package.json but still locked', () => {
    const m = copy(manifest);
    delete m.dependencies!.tar;
    expect(checkLockfile(m, lock).detail).toContain('tar locked but not in package.json');
  });
  it('fails when there is no lockfile or an old format', () => {
    expect(checkLockfile(manifest, undefined).status).toBe('fail');
    expect(checkLockfile(manifest, { lockfileVersion: 1 }).status).toBe('fail');
  });
});
