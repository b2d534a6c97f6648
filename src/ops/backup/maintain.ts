import type { BackupDeps } from './deps.js';
import { readCatalog } from './catalog.js';
import { totalSize, type BackupManifest } from './manifest.js';
import { setsToKeep, type RetentionPolicy } from './retention.js';

export interface ListedBackup {
  id: string;
  kind: BackupManifest['kind'];
  baseId: string | null;
  safety: boolean;
  createdAt: string;
  ageMs: number;
  size: number;
  destinations: string[];
  verified: boolean;
  contents: BackupManifest['contents'];
}

export async function listBackups(deps: BackupDeps): Promise<ListedBackup[]> {
  const now = deps.now().getTime();
  return (await readCatalog(deps)).map(({ manifest: m, on }) => ({
    id: m.id,
    kind: m.kind,
    baseId: m.baseId,
    safety: m.safety,
    createdAt: m.createdAt,
    ageMs: now - Date.parse(m.createdAt),
    size: totalSize(m),
    destinations: on.map((d) => d.name),
    verified: m.verified,
    contents: m.contents,
  }));
}

export interface CleanResult {
  kept: string[];
  removed: string[];
  dryRun: boolean;
}

/** Applies the retention policy on every destination (or only says what it would remove with dryRun). */
export async function cleanBackups(deps: BackupDeps, policy: RetentionPolicy, dryRun: boolean): Promise<CleanResult> {
  const catalog = await readCatalog(deps);
  const keep = setsToKeep(
    catalog.map(({ manifest: m }) => ({
      id: m.id,
      createdAt: new Date(m.createdAt),
      parentId: m.parentId,
      size: totalSize(m),
    })),
    deps.now(),
    policy,
  );
  const removed: string[] = [];
  for (const { manifest, on } of catalog) {
    if (keep.has(manifest.id)) continue;
    removed.push(manifest.id);
    if (!dryRun) for (const dest of on) await dest.remove(manifest.id);
  }
  return { kept: catalog.map((e) => e.manifest.id).filter((id) => keep.has(id)), removed, dryRun };
}

export interface MonitorResult {
  ok: boolean;
  newest: { id: string; createdAt: string; ageMs: number } | null;
  maxAgeMs: number;
  totalBytes: number;
  maxBytes: number;
  problems: string[];
}

/** Healthy when the newest regular backup is younger than BACKUP_MAX_AGE and all of them fit BACKUP_MAX_MB. */
export async function monitorBackups(deps: BackupDeps): Promise<MonitorResult> {
  return judgeBackups(await listBackups(deps), deps.config);
}

/** monitorBackups on a list already read (the app shares one catalog read between the dashboard and health). */
export function judgeBackups(
  list: readonly ListedBackup[],
  limits: Pick<BackupDeps['config'], 'maxAgeMs' | 'maxBytes'>,
): MonitorResult {
  const regular = list.filter((b) => !b.safety);
  const newest = regular.at(-1);
  const totalBytes = list.reduce((n, b) => n + b.size, 0);
  const problems: string[] = [];
  const { maxAgeMs, maxBytes } = limits;
  if (!newest) problems.push('no backup found');
  else if (newest.ageMs > maxAgeMs) {
    problems.push(`newest backup ${newest.id} is ${hours(newest.ageMs)} old (limit ${hours(maxAgeMs)})`);
  }
  if (totalBytes > maxBytes) {
    problems.push(`backups take ${mb(totalBytes)} MB (limit ${mb(maxBytes)} MB)`);
  }
  return {
    ok: problems.length === 0,
    newest: newest ? { id: newest.id, createdAt: newest.createdAt, ageMs: newest.ageMs } : null,
    maxAgeMs,
    totalBytes,
    maxBytes,
    problems,
  };
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
