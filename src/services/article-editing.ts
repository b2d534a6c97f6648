import type { ArticleUpdate } from '../adapters/db/schema.js';
import { isUniqueViolation } from '../adapters/db/sql-errors.js';
import { makeExcerpt, plainText, readingMinutes } from '../domain/article-text.js';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors.js';
import { can } from '../domain/policy.js';
import { nextFreeSlug, slugify } from '../domain/slug.js';
import type { RenderMarkdown } from './content/markdown.js';
import type { ArticleFull } from '../adapters/db/repositories/articles.js';
import { isLiveAt, type ArticleAccess } from './article-access.js';
import type { ArticleService, ArticleServiceDeps } from './articles.js';

// Writing articles: create, update, delete, with the checks, derived fields and free slugs that go with them.

export const TITLE_MAX = 300;
export const MARKDOWN_MAX = 500_000;

/** Derived fields of an article body, computed once on write. */
export function renderBody(render: RenderMarkdown, markdown: string) {
  const html = render(markdown);
  const text = plainText(html);
  return { html, excerpt: makeExcerpt(text), reading_minutes: readingMinutes(text) };
}

function checkTitle(title: string): string {
  const t = title.trim();
  if (t === '' || Array.from(t).length > TITLE_MAX) {
    throw new ValidationError(`title must be 1 to ${TITLE_MAX} characters`);
  }
  return t;
}

function checkMarkdown(markdown: string): string {
  if (markdown.length > MARKDOWN_MAX) throw new ValidationError(`body must be at most ${MARKDOWN_MAX} characters`);
  return markdown;
}

export function createArticleEditing(
  deps: ArticleServiceDeps,
  access: ArticleAccess,
): Pick<ArticleService, 'create' | 'update' | 'delete'> {
  const { articles } = deps;
  const changed = (articleId: number, isPublic: boolean) =>
    deps.changed?.({ kind: 'article', articleId, public: isPublic });
  const wasLive = (article: ArticleFull) => isLiveAt(article, deps.now());

  async function insertWithFreeSlug(make: (slug: string) => Promise<number>, title: string): Promise<number> {
    const base = slugify(title);
    // Two writers may pick the same free slug at once; the unique index decides, and the loser tries again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const slug = nextFreeSlug(base, await articles.slugsLike(base));
      try {
        return await make(slug);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    throw new ConflictError('slug_taken', 'could not find a free slug for this title; try again');
  }

  return {
    async create(actor, input) {
      if (!can(actor, 'article:create')) throw new ForbiddenError();
      const title = checkTitle(input.title);
      const markdown = checkMarkdown(input.markdown);
      const tagIds = await deps.tags.resolve(input.tags ?? []);
      const now = deps.now();
      const id = await insertWithFreeSlug(
        (slug) =>
          articles.insert(
            {
              author_id: actor.id,
              title,
              slug,
              markdown,
              ...renderBody(deps.render, markdown),
              status: 'draft',
              published_at: null,
              cover_media_id: input.coverMediaId ?? null,
              created_at: now,
              updated_at: now,
            },
            tagIds,
          ),
        title,
      );
      // Every article starts as a draft.
      await changed(id, false);
      return access.load(id);
    },

    async update(actor, id, patch) {
      const article = await access.loadFor(actor, id, 'article:update');
      const change: ArticleUpdate = { updated_at: deps.now() };
      if (patch.title !== undefined) change.title = checkTitle(patch.title);
      if (patch.markdown !== undefined) {
        change.markdown = checkMarkdown(patch.markdown);
        Object.assign(change, renderBody(deps.render, change.markdown));
      }
      if (patch.coverMediaId !== undefined) change.cover_media_id = patch.coverMediaId;
      const tagIds = patch.tags === undefined ? undefined : await deps.tags.resolve(patch.tags);
      // The slug stays what it was once published: links out there keep working. A draft follows its title.
      if (change.title !== undefined && article.status === 'draft' && change.title !== article.title) {
        await insertWithFreeSlug(async (slug) => {
          await articles.update(id, { ...change, slug }, tagIds);
          return id;
        }, change.title);
      } else {
        await articles.update(id, change, tagIds);
      }
      await changed(id, wasLive(article));
      return access.load(id);
    },

    async delete(actor, id) {
      const before = await access.loadFor(actor, id, 'article:delete');
      await articles.delete(id);
      await changed(id, wasLive(before));
    },
  };
}
