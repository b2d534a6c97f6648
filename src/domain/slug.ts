/**
 * A URL slug from any title. Letters and digits of every script are kept (a Chinese title stays readable as
 * Chinese in the address bar; browsers show the decoded form), everything else becomes single hyphens.
 */
export function slugify(title: string, maxLength = 120): string {
  const slug = title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const cut = Array.from(slug).slice(0, maxLength).join('').replace(/-+$/, '');
  return cut === '' ? 'untitled' : cut;
}
