import type { Redis } from 'ioredis';
import { whileReachable } from '../redis.js';
import type { Database } from '../db/database.js';

/** A signed-in browser. `id` is the sha256 of the cookie value; the value itself is never stored. */
export interface SessionRecord {
  id: string;
  userId: number;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(id: string): Promise<SessionRecord | undefined>;
  touch(id: string, lastSeenAt: Date): Promise<void>;
  delete(id: string): Promise<void>;
  /** Removes expired sessions; returns how many (Redis expires its own). */
  prune(now: Date): Promise<number>;
}

export function createDatabaseSessionStore(db: Database): SessionStore {
  return {
    async create(s) {
      await db.primary
        .insertInto('sessions')
        .values({
          id: s.id,
          user_id: s.userId,
          csrf_token: s.csrfToken,
          ip: s.ip,
          user_agent: s.userAgent,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    async find(id) {
      // The primary, not the replica: a session made a moment ago must be found on the next request.
      const r = await db.primary.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      return {
        id: r.id,
        userId: Number(r.user_id),
        csrfToken: r.csrf_token,
        ip: r.ip,
        userAgent: r.user_agent,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
      };
    },
    async touch(id, lastSeenAt) {
      await db.primary.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();
    },
    async delete(id) {
      await db.primary.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async prune(now) {
      const r = await db.primary.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** Sessions as Redis strings that expire with the session: nothing to prune, shared by every instance. */
export function createRedisSessionStore(redis: Redis, prefix: string): SessionStore {
  const k = (id: string) => `${prefix}session:${id}`;
  const encode = (s: SessionRecord) => JSON.stringify(s);
  const decode = (raw: string): SessionRecord => {
    const s = JSON.parse(raw) as SessionRecord & { createdAt: string; lastSeenAt: string; expiresAt: string };
    return {
      ...s,
      createdAt: new Date(s.createdAt),
      lastSeenAt: new Date(s.lastSeenAt),
      expiresAt: new Date(s.expiresAt),
    };
  };
  // While Redis is down a session cannot be read or written: a 503 (redis.ts), not a bug's 500.
  const call = <T>(command: () => Promise<T>) => whileReachable(redis, 'sessions', command);
  return {
    async create(s) {
      await call(() => redis.set(k(s.id), encode(s), 'PXAT', s.expiresAt.getTime()));
    },
    async find(id) {
      const raw = await call(() => redis.get(k(id)));
      return raw === null ? undefined : decode(raw);
    },
    async touch(id, lastSeenAt) {
      const raw = await call(() => redis.get(k(id)));
      if (raw === null) return;
      const s = decode(raw);
      await call(() => redis.set(k(id), encode({ ...s, lastSeenAt }), 'PXAT', s.expiresAt.getTime(), 'XX'));
    },
    async delete(id) {
      await call(() => redis.del(k(id)));
    },
    prune: () => Promise.resolve(0),
  };
}
