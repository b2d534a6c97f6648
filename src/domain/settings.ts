/** What an admin can change about the site at run time. Everything else is configuration (env). */
export interface SiteSettings {
  /** The blog's name in page titles, the header and feeds. */
  title: string;
  /** One or two sentences: the home page's meta description and the feeds' description. */
  description: string;
  /** Articles per page on the home, tag and author pages. */
  postsPerPage: number;
  /** Whether readers may post new comments (existing ones stay visible). */
  commentsOpen: boolean;
}

export const SETTING_NAMES = ['title', 'description', 'postsPerPage', 'commentsOpen'] as const satisfies ReadonlyArray<
  keyof SiteSettings
>;

export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 300;
export const POSTS_PER_PAGE_MAX = 50;

export function defaultSettings(appName: string): SiteSettings {
  return { title: appName, description: '', postsPerPage: 10, commentsOpen: true };
}

/** The problems with a patch, as `{ path, message }` (empty when it is valid). */
export function settingsProblems(patch: Partial<SiteSettings>): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (patch.title !== undefined) {
    const n = Array.from(patch.title.trim()).length;
    if (n === 0 || n > TITLE_MAX) problems.push({ path: '/title', message: `1 to ${TITLE_MAX} characters` });
  }
  if (patch.description !== undefined && Array.from(patch.description).length > DESCRIPTION_MAX) {
    problems.push({ path: '/description', message: `at most ${DESCRIPTION_MAX} characters` });
  }
  if (
    patch.postsPerPage !== undefined &&
    (!Number.isInteger(patch.postsPerPage) || patch.postsPerPage < 1 || patch.postsPerPage > POSTS_PER_PAGE_MAX)
  ) {
    problems.push({ path: '/postsPerPage', message: `a whole number from 1 to ${POSTS_PER_PAGE_MAX}` });
  }
  return problems;
}
