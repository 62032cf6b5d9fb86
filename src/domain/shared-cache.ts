import { Redis } from 'ioredis';

/**
 * A cache shared by every gateway process (Redis), so that one Arrow fetch serves all replicas and
 * a drop in one is a drop in all. Values are JSON; `fetchedAt` comes back as a Date.
 */
export interface SharedCache {
  /** The value and how long it has left, or null. */
  get(key: string): Promise<{ value: unknown; ttlMs: number } | null>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** The right to load this key now (true), unless another process took it in the last `ms`. */
  claim(key: string, ms: number): Promise<boolean>;
  release(key: string): Promise<void>;
  /** Drops every key that starts with this prefix. */
  drop(prefix: string): Promise<void>;
  /** Some fields of a hash (null where absent). */
  getFields(key: string, fields: string[]): Promise<(string | null)[]>;
  /** Sets fields of a hash, which then lives `ttlMs` from now. */
  setFields(key: string, entries: [string, string][], ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

const revive = (key: string, value: unknown) => (key === 'fetchedAt' && typeof value === 'string' ? new Date(value) : value);

export function redisSharedCache(url: string, namespace = 'gateway:arrow:'): SharedCache {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const k = (key: string) => namespace + key;
  return {
    async get(key) {
      const [[, raw], [, ttl]] = (await redis.multi().get(k(key)).pttl(k(key)).exec()) as [[unknown, string | null], [unknown, number]];
      return raw === null ? null : { value: JSON.parse(raw, revive), ttlMs: Math.max(0, ttl) };
    },
    async set(key, value, ttlMs) {
      if (ttlMs > 0) await redis.set(k(key), JSON.stringify(value), 'PX', Math.ceil(ttlMs));
    },
    async claim(key, ms) {
      return (await redis.set(k(`claim:${key}`), String(process.pid), 'PX', ms, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.del(k(`claim:${key}`));
    },
    async drop(prefix) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${k(prefix)}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    async getFields(key, fields) {
      return fields.length ? redis.hmget(k(key), ...fields) : [];
    },
    async setFields(key, entries, ttlMs) {
      if (!entries.length) return;
      await redis.multi().hset(k(key), Object.fromEntries(entries)).pexpire(k(key), Math.ceil(ttlMs)).exec();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
