import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the library exports it as an ambient const enum, which isolated modules cannot read.
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id with the library's defaults (OWASP's 19 MiB, t=2, p=1); runs off the event loop in native threads. */
export function createArgon2Hasher(): PasswordHasher {
  return {
    hash: (password) => hash(password, { algorithm: ARGON2ID }),
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        // A malformed stored hash is a failed check, not a crash.
        return false;
      }
    },
  };
}
