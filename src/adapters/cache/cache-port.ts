/**
 * The cache port: in-process (lru-cache) by default, Redis when REDIS_URL is set so every instance sees the same
 * entries. Values are JSON (get/set) or raw bytes (getBuffer/setBuffer: a hot path such as the page cache writes
 * what it stored without parsing it). One entry is one value: getBuffer of a JSON entry gives its JSON bytes, get of
 * a byte entry parses its bytes as JSON, on both drivers. test/adapters/cache/cache.test.ts runs one suite against
 * both drivers.
 */
export interface SetOptions {
  /** Time to live; unset = until evicted or cleared. */
  ttlMs?: number;
  /** Entries tagged alike go together (deleteByTag), e.g. every page that lists an article. */
  tags?: readonly string[];
}

export interface Cache {
  readonly driver: 'memory' | 'redis';
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /**
   * The stored bytes, as they were given to setBuffer. The memory driver hands back the same Buffer on every hit,
   * so callers must not change it (and may memoise what they derive from it by identity).
   */
  getBuffer(key: string): Promise<Buffer | undefined>;
  /**
   * getBuffer without the promise, where the driver can answer at once (the memory driver; Redis cannot): the page
   * cache's front door answers a hit in the same tick it arrived (http/page-cache/cache-front.ts).
   */
  getBufferNow?(key: string): Buffer | undefined;
  setBuffer(key: string, value: Buffer, options?: SetOptions): Promise<void>;
  delete(key: string): Promise<boolean>;
  deleteByPrefix(prefix: string): Promise<number>;
  deleteByTag(tag: string): Promise<number>;
  /** Removes every entry of this blog's cache (and nothing else in a shared Redis); returns how many. */
  clear(): Promise<number>;
  close(): Promise<void>;
}
