// What a valid user looks like, checked the same way by the CLI and the API.

const EMAIL = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:.]{2,}$/u;

export const EMAIL_MAX = 191;
export const NAME_MAX = 120;
export const BIO_MAX = 2000;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= EMAIL_MAX && EMAIL.test(email);
}

/** A display name from the address when none is given: "jane.doe@x" -> "jane.doe". */
export function nameFromEmail(email: string): string {
  return (email.split('@')[0] ?? email).slice(0, NAME_MAX);
}
