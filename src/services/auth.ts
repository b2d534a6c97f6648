import type { SessionStore } from '../adapters/sessions/session-store.js';
import type { RateLimiter } from '../adapters/rate-limit/rate-limiter.js';
import type { ApiTokenRecord, ApiTokensRepository } from '../adapters/db/repositories/api-tokens.js';
import type { UserRecord, UsersRepository } from '../adapters/db/repositories/users.js';
import type { PasswordHasher } from '../adapters/crypto/passwords.js';
import { NotFoundError, RateLimitedError, UnauthorizedError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/policy.js';
import { normalizeEmail } from '../domain/user.js';

export interface Secrets {
  random(): string;
  hash(value: string): string;
  equal(a: string, b: string): boolean;
}

export interface LoginLimits {
  maxPerIp: number;
  maxFailuresPerAccount: number;
  windowMs: number;
}

export interface SignedIn {
  actor: Actor;
  via: 'session' | 'token';
  /** For sessions: the token a cookie-authenticated write must echo in X-CSRF-Token. */
  csrfToken?: string;
  sessionId?: string;
}

export interface AuthService {
  login(input: {
    email: string;
    password: string;
    ip: string;
    userAgent?: string;
  }): Promise<{ sessionToken: string; csrfToken: string; user: UserRecord; expiresAt: Date }>;
  logout(sessionToken: string): Promise<void>;
  fromSessionToken(sessionToken: string): Promise<SignedIn | undefined>;
  fromApiToken(token: string): Promise<SignedIn | undefined>;
  currentUser(actor: Actor): Promise<UserRecord>;
  createApiToken(actor: Actor, name: string, expiresAt?: Date): Promise<{ token: string; record: ApiTokenRecord }>;
  listApiTokens(actor: Actor): Promise<ApiTokenRecord[]>;
  revokeApiToken(actor: Actor, id: number): Promise<void>;
}

const TOKEN_PREFIX = 'ink_';
// How stale last_seen_at / last_used_at may get: writing on every request would put a write on every read.
const TOUCH_AFTER_MS = 5 * 60_000;
// A real argon2id hash of a random string: unknown emails cost the same verify time as known ones.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$O9A+loaMIa4T+PbS7fG9lQ$12SEGTM8n1h2MBss3dhHRfl0YPPlNdqVps6zm/av7yY';

export function createAuthService(deps: {
  users: UsersRepository;
  sessions: SessionStore;
  tokens: ApiTokensRepository;
  limiter: RateLimiter;
  hasher: PasswordHasher;
  secrets: Secrets;
  limits: LoginLimits;
  sessionTtlMs: number;
  now: () => Date;
}): AuthService {
  const { users, sessions, tokens, limiter, secrets } = deps;

  return {
    async login({ email, password, ip, userAgent }) {
      const account = normalizeEmail(email);
      const { windowMs, maxPerIp, maxFailuresPerAccount } = deps.limits;
      const perIp = await limiter.hit(`login:ip:${ip}`, maxPerIp, windowMs);
      if (!perIp.allowed) {
        throw new RateLimitedError('too many sign-in attempts from this address', perIp.retryAfterSeconds);
      }
      const accountKey = `login:account:${secrets.hash(account)}`;
      if ((await limiter.peek(accountKey)) >= maxFailuresPerAccount) {
        const r = await limiter.hit(accountKey, maxFailuresPerAccount, windowMs);
        throw new RateLimitedError('too many failed sign-ins for this account', r.retryAfterSeconds);
      }
      const user = await users.findCredentialsByEmail(account);
      const ok = await deps.hasher.verify(user?.password_hash ?? DUMMY_HASH, password);
      if (!user || !ok) {
        await limiter.hit(accountKey, maxFailuresPerAccount, windowMs);
        throw new UnauthorizedError('email or password is wrong');
      }
      await limiter.reset(accountKey);
      const now = deps.now();
      const sessionToken = secrets.random();
      const csrfToken = secrets.random();
      const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
      await sessions.create({
        id: secrets.hash(sessionToken),
        userId: user.id,
        csrfToken,
        ip: ip.slice(0, 45),
        userAgent: userAgent?.slice(0, 255) ?? null,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
      });
      const { password_hash: _hidden, ...record } = user;
      return { sessionToken, csrfToken, user: record, expiresAt };
    },

    async logout(sessionToken) {
      await sessions.delete(secrets.hash(sessionToken));
    },

    async fromSessionToken(sessionToken) {
      const id = secrets.hash(sessionToken);
      const session = await sessions.find(id);
      const now = deps.now();
      if (!session) return undefined;
      if (session.expiresAt.getTime() <= now.getTime()) {
        await sessions.delete(id);
        return undefined;
      }
      const user = await users.findById(session.userId);
      if (!user) return undefined;
      if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) await sessions.touch(id, now);
      return { actor: { id: user.id, role: user.role }, via: 'session', csrfToken: session.csrfToken, sessionId: id };
    },

    async fromApiToken(token) {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      const now = deps.now();
      const owner = await tokens.findOwner(secrets.hash(token), now);
      if (!owner) return undefined;
      if (!owner.lastUsedAt || now.getTime() - owner.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
        await tokens.touch(owner.tokenId, now);
      }
      return { actor: { id: owner.userId, role: owner.role }, via: 'token' };
    },

    async currentUser(actor) {
      const user = await users.findById(actor.id);
      if (!user) throw new UnauthorizedError();
      return user;
    },

    async createApiToken(actor, name, expiresAt) {
      const clean = name.trim();
      if (clean === '' || clean.length > 120) throw new ValidationError('a token name must be 1 to 120 characters');
      if (expiresAt && expiresAt.getTime() <= deps.now().getTime()) {
        throw new ValidationError('a token must expire in the future');
      }
      const token = `${TOKEN_PREFIX}${secrets.random()}`;
      const createdAt = deps.now();
      const tokenPrefix = token.slice(0, 12);
      const id = await tokens.insert({
        userId: actor.id,
        name: clean,
        tokenHash: secrets.hash(token),
        tokenPrefix,
        expiresAt: expiresAt ?? null,
        createdAt,
      });
      return {
        token,
        record: { id, name: clean, tokenPrefix, lastUsedAt: null, expiresAt: expiresAt ?? null, createdAt },
      };
    },

    listApiTokens: (actor) => tokens.listByUser(actor.id),

    async revokeApiToken(actor, id) {
      if (!(await tokens.revoke(actor.id, id))) throw new NotFoundError('token');
    },
  };
}
