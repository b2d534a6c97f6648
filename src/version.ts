import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VersionInfo {
  version: string;
  commit: string | undefined;
}

// The nearest directory above this module that holds package.json: src/version.ts and dist/version.js sit one level
// below the package root, the bundle's chunks (dist/bundle/chunks/*.js) three.
export const PACKAGE_ROOT = findPackageRoot(fileURLToPath(new URL('.', import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir.endsWith('/') ? dir : `${dir}/`;
    if (dirname(dir) === dir) return resolve(from, '..') + '/';
  }
}

/**
 * The package version and the commit it was built from: `build-info.json` (written by the image build, where no
 * .git exists) or else the checkout's .git, read as files so no git binary is needed.
 */
export function readVersionInfo(root = PACKAGE_ROOT): VersionInfo {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, commit: readBuildCommit(root) ?? readGitCommit(root) };
}

function readBuildCommit(root: string): string | undefined {
  const file = join(root, 'build-info.json');
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as { commit?: unknown };
    return typeof info.commit === 'string' && info.commit !== '' ? info.commit : undefined;
  } catch {
    return undefined;
  }
}

function readGitCommit(root: string): string | undefined {
  try {
    const gitDir = resolveGitDir(join(root, '.git'));
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 12);
    const ref = head.slice(5);
    // A linked worktree keeps its HEAD in its own git dir and the refs in the shared one (named in `commondir`).
    const commonFile = join(gitDir, 'commondir');
    const common = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    for (const dir of [gitDir, common]) {
      const loose = join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, 'utf8').trim().slice(0, 12);
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line?.slice(0, 12);
  } catch {
    return undefined;
  }
}

/** `.git` is a directory in a clone and a file (`gitdir: <path>`) in a linked worktree or a submodule. */
function resolveGitDir(dotGit: string): string {
  if (!statSync(dotGit).isFile()) return dotGit;
  const target = readFileSync(dotGit, 'utf8')
    .trim()
    .replace(/^gitdir:\s*/, '');
  return resolve(dirname(dotGit), target);
}
