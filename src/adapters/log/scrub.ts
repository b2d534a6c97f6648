/** Masks the password in any `scheme://user:password@host` inside a string (DSNs in messages and stacks). */
export function scrubUrlPasswords<T extends string | undefined>(text: T): T {
  return typeof text === 'string' && text.includes('://')
    ? (text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:\s/@]*:)[^@\s/]+@/gi, '$1***@') as T)
    : text;
}
