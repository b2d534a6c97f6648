import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Cache } from '../../cache/cache-port.js';
import type { DB } from '../schema.js';
import type { TagRef } from './articles.js';

/**
 * Every tag's name and slug by id, kept in process. An article's statement reads its tags as a list of ids (see
 * article-tag-ids.ts) and the names come from here: aggregating each article's tags to JSON in SQL, parsing that
 * JSON and building the same few tag objects again for every row cost the most of any one part of an uncached page
 * of 15 summaries (SQLite, 10,000 articles: 428 -> 364 µs of server CPU a request with this directory).
 *
 * A blog has tens or hundreds of tags, which change seldom; articles name them on every read. Instances share one
 * version token in the cache port, tagged like the pages that show tag names: a rename or merge drops it with them
 * (services/content-changes.ts), and the next read on any instance loads the tags again. An id missing from the copy
 * (a tag made since) loads them again too. Without a cache (a transaction's repository, scripts), every read loads.
 */
export interface TagDirectory {
  /**
   * The tags of each article, for a page's `tags` columns as the statement read them (ids as text, `1,5,7`; a JSON
   * array of ids, as text or parsed; null for none) or lists of ids, each list sorted as the engine's `ORDER BY name`
   * sorts; ids of tags that are gone are left out. `reader` is the handle that read the ids, so a load sees the tags
   * they name.
   */
  tagsOf(reader: Kysely<DB>, lists: readonly unknown[]): Promise<TagRef[][]>;
}

export interface SharedTagVersion {
  cache: Cache;
  /** The cache tag whose invalidation means the tags changed (content-changes' `content`). */
  invalidatedBy: string;
}

const TAG_VERSION_KEY = 'tags:version';
/** A backstop: a copy loaded from a lagging replica just after a rename is dropped by this much later at worst. */
export const TAG_VERSION_TTL_MS = 60_000;

interface Entry {
  ref: TagRef;
  /** Its place in the engine's name order (ties by id). */
  rank: number;
}

type Directory = Map<number, Entry>;

/** Without `shared`, a directory that loads the tags on every read. */
export function createTagDirectory(shared?: SharedTagVersion): TagDirectory {
  let kept: { version: string; byId: Directory } | undefined;

  async function load(reader: Kysely<DB>): Promise<Directory> {
    const rows = await reader.selectFrom('tags').select(['id', 'name', 'slug']).orderBy('name').orderBy('id').execute();
    // Frozen: one object stands for the tag in every article that has it.
    return new Map(
      rows.map((r, rank) => [
        Number(r.id),
        { ref: Object.freeze({ id: Number(r.id), name: r.name, slug: r.slug }), rank },
      ]),
    );
  }

  /** The directory as of now: the kept copy while the shared version is the one it was loaded under. */
  async function current(reader: Kysely<DB>, force: boolean): Promise<Directory> {
    if (!shared) return load(reader);
    const { cache, invalidatedBy } = shared;
    // A cache that cannot be reached costs a load, never the read.
    const version = await cache.get<string>(TAG_VERSION_KEY).catch(() => undefined);
    if (!force && version !== undefined && kept?.version === version) return kept.byId;
    // A new version is stored before the load, never after it: a rename that commits while the load runs then drops
    // the version it would be kept under (renames drop it after their commit), and the next read loads again.
    const next = version ?? randomUUID();
    if (version === undefined) {
      await cache
        .set(TAG_VERSION_KEY, next, { ttlMs: TAG_VERSION_TTL_MS, tags: [invalidatedBy] })
        .catch(() => undefined);
    }
    const byId = await load(reader);
    kept = { version: next, byId };
    return byId;
  }

  return {
    async tagsOf(reader, lists) {
      const idLists = lists.map(tagIds);
      let byId = await current(reader, false);
      if (idLists.some((ids) => ids.some((id) => !byId.has(id)))) byId = await current(reader, true);
      return idLists.map((ids) => {
        const entries: Entry[] = [];
        for (const id of ids) {
          const entry = byId.get(id);
          if (entry !== undefined) entries.push(entry);
        }
        if (entries.length > 1) entries.sort((a, b) => a.rank - b.rank);
        return entries.map((e) => e.ref);
      });
    },
  };
}

/** The ids in one `tags` column: SQLite's and PostgreSQL's text list, MySQL's JSON array (text on MariaDB). */
function tagIds(value: unknown): number[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value !== 'string') throw new TypeError(`an article's tag ids read as ${typeof value}`);
  if (value.startsWith('[')) return (JSON.parse(value) as unknown[]).map(Number);
  return value.split(',').map(Number);
}
