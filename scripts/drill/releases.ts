import { execFileSync } from 'node:child_process';
import { copyAssets } from '../build/copy-assets.js';
import { cpSync, mkdirSync, readFileSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Releases {
  a: string;
  b: string;
}

/**
 * Version A and version B for the drill, as release directories the way a server holds them: package.json, bin/,
 * dist/ and node_modules. Both come from one compile of this checkout. B differs from A in its version label and
 * in one extra migration (a table it creates and drops), appended to the migration list the way a release adds
 * one: B's migrations/index.js re-exports A's list plus the new one. So "deploy B" runs a real migration and
 * "roll back to A" must really roll it back.
 */
export function buildReleases(root: string, drillDir: string, log: (line: string) => void): Releases {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const versions: Releases = { a: `${pkg.version}-drill.a`, b: `${pkg.version}-drill.b` };
  const compiled = join(drillDir, 'compiled');
  log('compiling this checkout once for both releases (tsc)...');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', compiled], {
    cwd: root,
    stdio: 'inherit',
  });
  copyAssets(root, compiled);
  const modules = realpathSync(join(root, 'node_modules'));
  for (const [label, version] of Object.entries(versions) as [keyof Releases, string][]) {
    const dir = join(drillDir, 'releases', version);
    mkdirSync(dir, { recursive: true });
    cpSync(compiled, join(dir, 'dist'), { recursive: true });
    cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
    writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ commit: `drill-${label}` }));
    symlinkSync(modules, join(dir, 'node_modules'));
    if (label === 'b') addReleaseBMigration(join(dir, 'dist/adapters/db/migrations'));
  }
  return versions;
}

export const RELEASE_B_TABLE = 'drill_release_b';

function addReleaseBMigration(migrationsDir: string): void {
  writeFileSync(
    join(migrationsDir, '9999_drill_release_b.js'),
    `export const drillReleaseB = {
  name: '9999_drill_release_b',
  async up(db) {
    await db.schema.createTable('${RELEASE_B_TABLE}')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('note', 'varchar(64)')
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('${RELEASE_B_TABLE}').execute();
  },
};
`,
  );
  renameSync(join(migrationsDir, 'index.js'), join(migrationsDir, 'index-a.js'));
  writeFileSync(
    join(migrationsDir, 'index.js'),
    `import { migrations as releaseA } from './index-a.js';
import { drillReleaseB } from './9999_drill_release_b.js';
export const migrations = [...releaseA, drillReleaseB];
`,
  );
}
