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

/** `base` if free, else `base-2`, `base-3`, … : the first suffix not in `taken`. */
export function nextFreeSlug(base: string, taken: Iterable<string>): string {
  const used = taken instanceof Set ? (taken as ReadonlySet<string>) : new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
