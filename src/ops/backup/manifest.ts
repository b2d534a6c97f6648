import type { KeyParams } from '../../adapters/crypto/part-cipher.js';

export type PartKind = 'database' | 'pages' | 'page-hashes' | 'binlog' | 'files' | 'env' | 'redis';

export interface PartInfo {
  name: string;
  kind: PartKind;
  /** The file as stored (name plus .zst/.enc). */
  file: string;
  size: number;
  sha256: string;
  compression: 'zstd' | 'none';
  /** GCM nonce of this part (hex) when encrypted. */
  iv: string | null;
}

export type Coordinates =
  | { type: 'binlog'; start: { file: string; pos: number }; end: { file: string; pos: number } | null }
  | { type: 'sqlite-pages'; pageSize: number; pageCount: number; changedPages: number | null }
  | { type: 'none' };

/** Everything needed to trust, find and restore one backup set; stored as manifest.json beside its parts. */
export interface BackupManifest {
  format: 1;
  id: string;
  kind: 'full' | 'incremental';
  /** The full set at the start of this set's chain (null for a full). */
  baseId: string | null;
  /** The set this incremental continues from (null for a full). */
  parentId: string | null;
  /** Taken automatically before a restore. */
  safety: boolean;
  createdAt: string;
  durationMs: number;
  app: { version: string; commit: string | null };
  lastMigration: string | null;
  dialect: 'sqlite' | 'mysql' | 'postgres';
  contents: { database: boolean; files: boolean; env: boolean; redis: boolean };
  tables: Record<string, number>;
  parts: PartInfo[];
  coordinates: Coordinates;
  encryption: KeyParams | null;
  destinations: string[];
  verified: boolean;
  notes: string[];
}

/** Set ids sort by time to the millisecond (two runs in one second must still sort in order): 20261125T140300123Z-a1b2. */
export function newSetId(now: Date, random: string): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
}

export function parseManifest(text: string): BackupManifest | undefined {
  try {
    const m = JSON.parse(text) as BackupManifest;
    return m && m.format === 1 && typeof m.id === 'string' && Array.isArray(m.parts) ? m : undefined;
  } catch {
    return undefined;
  }
}

export function totalSize(m: BackupManifest): number {
  return m.parts.reduce((n, p) => n + p.size, 0);
}

/** The sets to restore for `id`, full first; throws with the missing link when the chain is incomplete. */
export function chainOf(id: string, byId: ReadonlyMap<string, BackupManifest>): BackupManifest[] {
  const chain: BackupManifest[] = [];
  let cur = byId.get(id);
  if (!cur) throw new Error(`backup ${id} not found`);
  while (cur) {
    chain.unshift(cur);
    if (cur.kind === 'full') return chain;
    const parentId: string | null = cur.parentId;
    const parent: BackupManifest | undefined = parentId ? byId.get(parentId) : undefined;
    if (!parent) throw new Error(`backup ${id} cannot be restored: its chain misses ${parentId ?? 'a base'}`);
    cur = parent;
  }
  return chain;
}
