import crypto from 'node:crypto';
import net from 'node:net';
import type http from 'node:http';
import { tokenFrom } from './graphql/context.js';
import { findViewerByToken, hashToken, tokenOwners } from './domain/users.js';
import type { Prisma } from './db/database.js';

/**
 * Rate limit: a token bucket per key refilled at `perMinute`, as deep as one minute of it. A
 * valid token's user has a bucket of its own; anonymous callers and tokens not known valid share
 * their address's (40 made-up tokens are one caller). At most `maxKeys` buckets: the least
 * recently used goes first, one at a time, never all at once. In memory: each replica on its own.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly maxKeys = 100_000,
  ) {}

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(key: string, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    // most recently used last: the first key is the one to evict
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / rate / 1000);
  }

  /** Gives back a request taken from this key (it was another key's to pay). */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.perMinute, bucket.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }
}

export function rateLimitKey(req: http.IncomingMessage): string {
  const token = tokenFrom(req.headers.authorization);
  const owner = token ? tokenOwners.owner(hashToken(token)) : undefined;
  return owner ? `user:${owner}` : `addr:${req.socket.remoteAddress ?? '?'}`;
}

/**
 * Seconds the request must wait (0: go ahead). A token not yet known valid is first charged to
 * its address, so made-up tokens cost the database no more lookups than the address may make;
 * found valid, the address gets its request back and the token's user pays instead.
 */
export async function rateLimitWait(limiter: RateLimiter, req: http.IncomingMessage, prisma: Prisma): Promise<number> {
  const key = rateLimitKey(req);
  const wait = limiter.take(key);
  const token = tokenFrom(req.headers.authorization);
  if (wait > 0 || !token || key.startsWith('user:')) return wait;
  const viewer = await findViewerByToken(prisma, token).catch(() => null);
  if (!viewer) return 0;
  limiter.refund(key);
  return limiter.take(`user:${viewer.uuid}`);
}

/**
 * CSRF: a browser sends Origin on cross-site requests; only the gateway's own origin (GraphiQL,
 * the console) and configured ones may call. Scripts send no Origin and are not affected. "Its own"
 * is not just "the Host header says so": a page on a name an attacker controls can point that name
 * at the gateway (DNS rebinding) and send a matching Host. So a same-origin request counts only on
 * a host that is an address or localhost, or the host of PUBLIC_BASE_URL; any other name is listed
 * in ALLOWED_ORIGINS or set as PUBLIC_BASE_URL.
 */
export function originAllowed(req: http.IncomingMessage, allowed: string[], publicBaseUrl?: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const o = new URL(origin);
    if (allowed.includes(o.origin)) return true;
    if (o.host !== req.headers.host) return false;
    if (publicBaseUrl) return o.host === new URL(publicBaseUrl).host;
    const name = o.hostname.replace(/^\[|\]$/g, '');
    return name === 'localhost' || net.isIP(name) !== 0;
  } catch {
    return false;
  }
}

/** Whether /metrics may be read: open without METRICS_TOKEN, else with `Authorization: Bearer <it>` (or Token). */
export function metricsAllowed(req: http.IncomingMessage, metricsToken?: string): boolean {
  if (!metricsToken) return true;
  const given = req.headers.authorization?.match(/^(?:Bearer|Token)\s+(\S+)\s*$/i)?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(metricsToken);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
