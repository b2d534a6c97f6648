import type { Role } from './roles.js';

/** Who is asking: a signed-in user (by session cookie or API token). */
export interface Actor {
  readonly id: number;
  readonly role: Role;
}

export const ACTIONS = [
  'article:create',
  'article:read-unpublished',
  'article:update',
  'article:publish',
  'article:delete',
  'comment:moderate',
  'tag:manage',
  'user:manage',
  'settings:manage',
  'token:manage-own',
  'ops:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions an author may take on their own articles only; editors and admins on every article. */
const OWN_ARTICLE_ACTIONS: ReadonlySet<Action> = new Set([
  'article:read-unpublished',
  'article:update',
  'article:publish',
  'article:delete',
]);

const EVERYONE: ReadonlySet<Action> = new Set(['article:create', 'token:manage-own']);
const EDITORS: ReadonlySet<Action> = new Set([...OWN_ARTICLE_ACTIONS, 'comment:moderate', 'tag:manage']);
const ADMINS: ReadonlySet<Action> = new Set([...EDITORS, 'user:manage', 'settings:manage', 'ops:manage']);

/**
 * The one place that decides who may do what. `owner` is the author id of the article acted on, when there is one.
 * Authors: their own articles. Editors: every article, comments and tags. Admins: also users, settings and ops.
 */
export function can(actor: Actor, action: Action, owner?: number): boolean {
  if (EVERYONE.has(action)) return true;
  switch (actor.role) {
    case 'admin':
      return ADMINS.has(action);
    case 'editor':
      return EDITORS.has(action);
    case 'author':
      return OWN_ARTICLE_ACTIONS.has(action) && owner !== undefined && owner === actor.id;
  }
}
