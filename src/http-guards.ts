import type http from 'node:http';
import { tokenFrom } from './graphql/context.js';
import { hashToken } from './domain/users.js';

/**
 * Per-token rate limit: a token bucket refilled at `perMinute`, as deep as one minute of it.
 * Anonymous callers share a bucket per address. In memory: each replica limits on its own.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perMinute: number) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(key: string, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear(); // bounded memory under a flood of keys
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / rate / 1000);
  }
}

export function rateLimitKey(req: http.IncomingMessage): string {
  const token = tokenFrom(req.headers.authorization);
  return token ? `token:${hashToken(token)}` : `addr:${req.socket.remoteAddress ?? '?'}`;
}

/**
 * CSRF: a browser sends Origin on cross-site requests; only the gateway's own origin (GraphiQL)
 * and configured ones may call. Scripts send no Origin and are not affected.
 */
export function originAllowed(req: http.IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const o = new URL(origin);
    if (o.host === req.headers.host) return true;
    return allowed.includes(o.origin);
  } catch {
    return false;
  }
}
