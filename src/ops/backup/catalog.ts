import type { Destination } from '../../adapters/storage/destination.js';
import type { BackupDeps } from './deps.js';
import { parseManifest, type BackupManifest } from './manifest.js';

export interface CatalogEntry {
  manifest: BackupManifest;
  /** Destinations holding this set, in the configured order. */
  on: Destination[];
}

/** Every committed set on every configured destination, oldest first (the manifests are the source of truth). */
export async function readCatalog(deps: BackupDeps): Promise<CatalogEntry[]> {
  const byId = new Map<string, CatalogEntry>();
  for (const dest of deps.destinations) {
    for (const text of await dest.listManifests()) {
      const m = parseManifest(text);
      if (!m) continue;
      const entry = byId.get(m.id);
      if (entry) entry.on.push(dest);
      else byId.set(m.id, { manifest: m, on: [dest] });
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      Date.parse(a.manifest.createdAt) - Date.parse(b.manifest.createdAt) || a.manifest.id.localeCompare(b.manifest.id),
  );
}
