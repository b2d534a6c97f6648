/**
 * The cache port: in-process (lru-cache) by default, Redis when REDIS_URL is set so every instance sees the same
 * entries. Values are JSON; test/adapters/cache/cache-behaviour.ts runs one suite against both drivers.
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
  delete(key: string): Promise<boolean>;
  deleteByPrefix(prefix: string): Promise<number>;
  deleteByTag(tag: string): Promise<number>;
  /** Removes every entry of this blog's cache (and nothing else in a shared Redis); returns how many. */
  clear(): Promise<number>;
  close(): Promise<void>;
}
