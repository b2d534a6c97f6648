import type { TagsRepository, TagRecord } from '../adapters/db/repositories/tags.js';
import { isUniqueViolation } from '../adapters/db/sql-errors.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { slugify } from '../domain/slug.js';
import { can, type Actor } from '../domain/policy.js';
import { ForbiddenError } from '../domain/errors.js';
import type { ContentChanged } from './content-changes.js';

export const TAG_NAME_MAX = 100;

export interface TagService {
  /** Tag ids for names, creating the tags that do not exist yet (tags are made on the fly when writing). */
  resolve(names: string[]): Promise<number[]>;
  list(): Promise<TagRecord[]>;
  rename(actor: Actor, id: number, name: string): Promise<TagRecord>;
  merge(actor: Actor, fromId: number, intoId: number): Promise<TagRecord>;
}

export function cleanTagName(name: string): string {
  const clean = name.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (clean === '' || Array.from(clean).length > TAG_NAME_MAX) {
    throw new ValidationError(`a tag name must be 1 to ${TAG_NAME_MAX} characters`);
  }
  return clean;
}

export function createTagService(deps: {
  tags: TagsRepository;
  now: () => Date;
  /** Told after a rename or merge: any page may name the tag. */
  changed?: ContentChanged;
}): TagService {
  const { tags } = deps;
  async function findRecord(id: number): Promise<TagRecord> {
    const all = await tags.list();
    const found = all.find((t) => t.id === id);
    if (!found) throw new NotFoundError('tag');
    return found;
  }
  return {
    async resolve(names) {
      const wanted = new Map<string, string>();
      for (const n of names) {
        const name = cleanTagName(n);
        wanted.set(slugify(name, 60), name);
      }
      const existing = await tags.findBySlugs([...wanted.keys()]);
      const ids = existing.map((t) => t.id);
      const have = new Set(existing.map((t) => t.slug));
      for (const [slug, name] of wanted) {
        if (have.has(slug)) continue;
        try {
          ids.push(await tags.insert(name, slug, deps.now()));
        } catch (err) {
          // Another request made the same tag a moment ago: use theirs.
          if (!isUniqueViolation(err)) throw err;
          const [made] = await tags.findBySlugs([slug]);
          if (!made) throw err;
          ids.push(made.id);
        }
      }
      return ids;
    },
    list: () => tags.list(),
    async rename(actor, id, name) {
      if (!can(actor, 'tag:manage')) throw new ForbiddenError('only editors and admins manage tags');
      const clean = cleanTagName(name);
      const current = await tags.findById(id);
      if (!current) throw new NotFoundError('tag');
      const slug = slugify(clean, 60);
      const clash = (await tags.findBySlugs([slug])).find((t) => t.id !== id);
      if (clash) throw new ConflictError('tag_exists', `tag "${clash.name}" already has that name; merge instead`);
      await tags.rename(id, clean, slug);
      await deps.changed?.({ kind: 'tags' });
      return findRecord(id);
    },
    async merge(actor, fromId, intoId) {
      if (!can(actor, 'tag:manage')) throw new ForbiddenError('only editors and admins manage tags');
      if (fromId === intoId) throw new AppError('merge_into_self', 'a tag cannot be merged into itself', 422);
      const [from, into] = await Promise.all([tags.findById(fromId), tags.findById(intoId)]);
      if (!from || !into) throw new NotFoundError('tag');
      await tags.merge(fromId, intoId);
      await deps.changed?.({ kind: 'tags' });
      return findRecord(intoId);
    },
  };
}
