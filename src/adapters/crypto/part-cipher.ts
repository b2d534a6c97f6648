import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, type CipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BackupError } from '../../domain/backup-errors.js';

/** How a backup set's key was derived; stored in its manifest (never the key itself). */
export interface KeyParams {
  cipher: 'aes-256-gcm';
  kdf: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
  /** A hash of the derived key, so a wrong password is refused before any part is read. */
  keyCheck: string;
}

const TAG_BYTES = 16;

function deriveRaw(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, 32, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function keyCheckOf(key: Buffer): string {
  return createHash('sha256').update(key).update('inkstone-backup-key-check').digest('hex').slice(0, 32);
}

/** A fresh key for a new backup set. */
export async function newKey(password: string): Promise<{ key: Buffer; params: KeyParams }> {
  const salt = randomBytes(16);
  // N=2^14 (16 MB, the "interactive" cost): on two busy cores 2^15 added most of a second to every backup and restore.
  const [N, r, p] = [1 << 14, 8, 1];
  const key = await deriveRaw(password, salt, N, r, p);
  return {
    key,
    params: { cipher: 'aes-256-gcm', kdf: 'scrypt', salt: salt.toString('hex'), N, r, p, keyCheck: keyCheckOf(key) },
  };
}

/** The key of an existing set; refuses a wrong password before anything is decrypted. */
export async function keyFor(password: string | undefined, params: KeyParams, setId: string): Promise<Buffer> {
  if (password === undefined) {
    throw new BackupError('password_required', `backup ${setId} is encrypted: set BACKUP_PASSWORD to restore it`);
  }
  const key = await deriveRaw(password, Buffer.from(params.salt, 'hex'), params.N, params.r, params.p);
  if (keyCheckOf(key) !== params.keyCheck) {
    throw new BackupError('wrong_password', `wrong BACKUP_PASSWORD for backup ${setId}`);
  }
  return key;
}

/**
 * Encrypts a stream: output is the ciphertext followed by the 16-byte GCM tag. The key may still be being derived
 * (scrypt takes a few hundred ms): the first chunk waits for it while the dump upstream is already running.
 */
export function encryptStream(key: Buffer | Promise<Buffer>, iv: Buffer): Transform {
  let cipher: CipherGCM | undefined;
  const ready = Promise.resolve(key).then((k) => {
    cipher = createCipheriv('aes-256-gcm', k, iv);
    return cipher;
  });
  ready.catch(() => {});
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      if (cipher) return cb(null, cipher.update(chunk));
      ready.then((c) => cb(null, c.update(chunk)), cb);
    },
    flush(cb: TransformCallback) {
      ready.then((c) => {
        this.push(c.final());
        cb(null, c.getAuthTag());
      }, cb);
    },
  });
}

/** Decrypts what encryptStream wrote, holding back the last 16 bytes (the tag) until the end. */
export function decryptStream(key: Buffer, iv: Buffer, partName: string): Transform {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  let tail = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      const all = Buffer.concat([tail, chunk]);
      const keep = Math.min(TAG_BYTES, all.length);
      tail = all.subarray(all.length - keep);
      cb(null, decipher.update(all.subarray(0, all.length - keep)));
    },
    flush(cb: TransformCallback) {
      try {
        decipher.setAuthTag(tail);
        cb(null, decipher.final());
      } catch {
        cb(new BackupError('part_corrupt', `part ${partName} failed authentication (corrupt or wrong key)`));
      }
    },
  });
}
