import { LRUCache } from 'lru-cache';
import type { Cache } from './cache-port.js';

interface Entry {
  json: string;
  tags: readonly string[];
}

/** The in-process driver: bounded by entry count, per-entry TTL. Values are stored as JSON, as in Redis. */
export function createMemoryCache(options: { maxEntries?: number } = {}): Cache {
  const tagged = new Map<string, Set<string>>();
  const untag = (key: string, entry: Entry) => {
    for (const tag of entry.tags) tagged.get(tag)?.delete(key);
  };
  const lru = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    ttlAutopurge: false,
    dispose: (entry, key) => untag(key, entry),
  });
  return {
    driver: 'memory',
    get<T>(key: string) {
      const entry = lru.get(key);
      return Promise.resolve(entry === undefined ? undefined : (JSON.parse(entry.json) as T));
    },
    set(key, value, opts = {}) {
      const tags = opts.tags ?? [];
      lru.set(key, { json: JSON.stringify(value ?? null), tags }, { ttl: opts.ttlMs });
      for (const tag of tags) {
        let keys = tagged.get(tag);
        if (!keys) tagged.set(tag, (keys = new Set()));
        keys.add(key);
      }
      return Promise.resolve();
    },
    delete: (key) => Promise.resolve(lru.delete(key)),
    deleteByPrefix(prefix) {
      let n = 0;
      for (const key of [...lru.keys()]) if (key.startsWith(prefix) && lru.delete(key)) n += 1;
      return Promise.resolve(n);
    },
    deleteByTag(tag) {
      let n = 0;
      for (const key of [...(tagged.get(tag) ?? [])]) if (lru.delete(key)) n += 1;
      tagged.delete(tag);
      return Promise.resolve(n);
    },
    clear() {
      const n = lru.size;
      lru.clear();
      tagged.clear();
      return Promise.resolve(n);
    },
    close: () => Promise.resolve(),
  };
}
