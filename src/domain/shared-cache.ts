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
  /**
   * False while the shared store is slow or gone: reads then find nothing, claims are granted and
   * writes are skipped, so each replica works on its own (its own cache, its own Arrow calls).
   */
  readonly sharing: boolean;
}

export interface RedisCacheOptions {
  namespace?: string;
  /** The most one Redis call may take before the gateway goes on without it (ms). */
  timeoutMs?: number;
  /** How often a Redis found slow or gone is asked again (ms). */
  probeEveryMs?: number;
  /** Told when sharing stops (with why) and starts again. */
  onState?: (sharing: boolean, reason?: string) => void;
}

const revive = (key: string, value: unknown) => (key === 'fetchedAt' && typeof value === 'string' ? new Date(value) : value);

/**
 * Redis is a helper, never a point of failure: every call has a short timeout (a paused or
 * unreachable Redis fails it, never the request), and a failure stops sharing until a probe
 * answers. On its return every key of the namespace is dropped before anything is shared again:
 * a drop some replica could not make while Redis was away may have been missed, so no entry
 * from before the outage is trusted.
 */
export function redisSharedCache(url: string, options: RedisCacheOptions | string = {}): SharedCache {
  const { namespace = 'gateway:arrow:', timeoutMs = 500, probeEveryMs = 2000, onState } = typeof options === 'string' ? { namespace: options } : options;
  // a call waits for a connection at most timeoutMs (commandTimeout counts from the call)
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 0, enableOfflineQueue: true, commandTimeout: timeoutMs, connectTimeout: 2000 });
  redis.on('error', () => undefined); // said through onState; ioredis reconnects by itself
  const raw = rawCache(redis, namespace);
  let sharing = true;
  let prober: NodeJS.Timeout | undefined;
  // while away, Redis is asked again every probeEveryMs on a timer of its own (the gateway makes no
  // Redis calls meanwhile); on its return, the namespace is dropped before sharing resumes
  const probe = async () => {
    try {
      await redis.ping();
      await raw.drop('');
      clearInterval(prober);
      prober = undefined;
      sharing = true;
      onState?.(true);
    } catch {
      // still away
    }
  };
  const fail = (err: unknown) => {
    if (!sharing) return;
    sharing = false;
    prober = setInterval(() => void probe(), probeEveryMs).unref();
    onState?.(false, err instanceof Error ? err.message : String(err));
  };
  /** fn through Redis while it answers; `away` when it does not (and until a probe finds it back). */
  const guarded = async <T>(fn: () => Promise<T>, away: T): Promise<T> => {
    if (!sharing) return away;
    try {
      return await fn();
    } catch (err) {
      fail(err);
      return away;
    }
  };
  return {
    get sharing() {
      return sharing;
    },
    get: (key) => guarded(() => raw.get(key), null),
    set: (key, value, ttlMs) => guarded(() => raw.set(key, value, ttlMs), undefined),
    claim: (key, ms) => guarded(() => raw.claim(key, ms), true),
    release: (key) => guarded(() => raw.release(key), undefined),
    drop: (prefix) => guarded(() => raw.drop(prefix), undefined),
    getFields: (key, fields) => guarded(() => raw.getFields(key, fields), fields.map(() => null)),
    setFields: (key, entries, ttlMs) => guarded(() => raw.setFields(key, entries, ttlMs), undefined),
    async close() {
      clearInterval(prober);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The calls themselves, each failing when Redis does. */
function rawCache(redis: Redis, namespace: string) {
  const k = (key: string) => namespace + key;
  return {
    async get(key: string) {
      const [[getError, raw], [, ttl]] = (await redis.multi().get(k(key)).pttl(k(key)).exec()) as [[Error | null, string | null], [unknown, number]];
      if (getError) throw getError;
      return raw === null ? null : { value: JSON.parse(raw, revive) as unknown, ttlMs: Math.max(0, ttl) };
    },
    async set(key: string, value: unknown, ttlMs: number) {
      if (ttlMs > 0) await redis.set(k(key), JSON.stringify(value), 'PX', Math.ceil(ttlMs));
    },
    async claim(key: string, ms: number) {
      return (await redis.set(k(`claim:${key}`), String(process.pid), 'PX', ms, 'NX')) === 'OK';
    },
    async release(key: string) {
      await redis.del(k(`claim:${key}`));
    },
    async drop(prefix: string) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${k(prefix)}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    async getFields(key: string, fields: string[]) {
      return fields.length ? redis.hmget(k(key), ...fields) : [];
    },
    async setFields(key: string, entries: [string, string][], ttlMs: number) {
      if (!entries.length) return;
      await redis.multi().hset(k(key), Object.fromEntries(entries)).pexpire(k(key), Math.ceil(ttlMs)).exec();
    },
  } satisfies Omit<SharedCache, 'close' | 'sharing'>;
}
