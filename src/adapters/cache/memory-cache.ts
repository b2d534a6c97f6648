import { LRUCache } from 'lru-cache';
import type { Cache, SetOptions } from './cache-port.js';

/** A JSON value is kept as its text, raw bytes as the Buffer given (so a hit costs no parse and no copy). */
export interface MemoryCache extends Cache {
  /** What the entries count for now against maxBytes (see sizeCalculation). */
  readonly bytes: number;
  getBufferNow(key: string): Buffer | undefined;
}

interface Entry {
  value: string | Buffer;
  tags: readonly string[];
}

export const DEFAULT_CACHE_MEMORY_BYTES = 64 * 1024 * 1024;
/** What an entry costs beyond its value: the key, the entry object, the LRU's slots, its tag set memberships. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * The in-process driver, bounded by bytes (CACHE_MEMORY_MB), not by entry count: pages are ~25 KB each, so a count
 * bound said nothing about memory. Per-entry TTL; the least recently used entries go first.
 */
export function createMemoryCache(options: { maxBytes?: number } = {}): MemoryCache {
  const tagged = new Map<string, Set<string>>();
  const untag = (key: string, entry: Entry) => {
    for (const tag of entry.tags) {
      const keys = tagged.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) tagged.delete(tag);
    }
  };
  const lru = new LRUCache<string, Entry>({
    maxSize: options.maxBytes ?? DEFAULT_CACHE_MEMORY_BYTES,
    // A JSON text is counted at 2 bytes a character (V8 keeps non-Latin-1 strings as UTF-16); no string walk.
    sizeCalculation: (entry, key) =>
      (typeof entry.value === 'string' ? entry.value.length * 2 : entry.value.byteLength) +
      key.length * 2 +
      ENTRY_OVERHEAD_BYTES,
    ttlAutopurge: false,
    dispose: (entry, key) => untag(key, entry),
  });
  const put = (key: string, value: string | Buffer, opts: SetOptions) => {
    const tags = opts.tags ?? [];
    lru.set(key, { value, tags }, { ttl: opts.ttlMs });
    // An entry larger than the whole cache is not kept: then there is nothing to tag.
    if (!lru.has(key)) return;
    for (const tag of tags) {
      let keys = tagged.get(tag);
      if (!keys) tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
  };
  const bufferOf = (key: string) => {
    const value = lru.get(key)?.value;
    return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  };
  return {
    driver: 'memory',
    get bytes() {
      return lru.calculatedSize;
    },
    get<T>(key: string) {
      const value = lru.get(key)?.value;
      if (value === undefined) return Promise.resolve(undefined);
      return Promise.resolve(JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as T);
    },
    set(key, value, opts = {}) {
      put(key, JSON.stringify(value ?? null), opts);
      return Promise.resolve();
    },
    getBuffer(key) {
      return Promise.resolve(bufferOf(key));
    },
    getBufferNow: bufferOf,
    setBuffer(key, value, opts = {}) {
      put(key, value, opts);
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
