import { expect } from 'vitest';
import type { ApiHarness, TestUser } from '../../support/api.js';

export interface Published {
  id: number;
  slug: string;
  title: string;
}

type ArticleInput = { title: string; markdown: string; tags?: string[] };

/** Creates a draft through the API. */
export async function createDraft(h: ApiHarness, as: TestUser, input: ArticleInput): Promise<Published> {
  const created = await h.call({ method: 'POST', url: '/api/articles', as, payload: input });
  expect(created.statusCode).toBe(201);
  const a = created.json<Published>();
  return { id: a.id, slug: a.slug, title: a.title };
}

/** Creates an article through the API and publishes it now. */
export async function publish(h: ApiHarness, as: TestUser, input: ArticleInput): Promise<Published> {
  const a = await createDraft(h, as, input);
  const published = await h.call({ method: 'POST', url: `/api/articles/${a.id}/publish`, as, payload: {} });
  expect(published.statusCode).toBe(200);
  return { id: a.id, slug: a.slug, title: a.title };
}

/** The titles of the post cards on a listing page, in order, as the browser would show them. */
export function cardTitles(body: string): string[] {
  const cards = body.split('<article class="post-card"').slice(1);
  return cards.map((card) => {
    const m = /<h2>\s*<a href="[^"]*">\s*([^<]*?)\s*<\/a>\s*<\/h2>/.exec(card);
    if (!m) throw new Error(`a post card without an <h2> title link: ${card.slice(0, 200)}`);
    return unescapeHtml(m[1]!);
  });
}

export function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The content of a <meta> (by name or property) or <link rel> href. */
export function meta(body: string, key: string): string | undefined {
  const m =
    new RegExp(`<meta (?:name|property)="${key}" content="([^"]*)"`).exec(body) ??
    new RegExp(`<link rel="${key}" href="([^"]*)"`).exec(body);
  return m ? unescapeHtml(m[1]!) : undefined;
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
