import crypto from 'node:crypto';
import { WaldurApiError, type WaldurClient } from '../waldur/client.js';
import { WaldurUnavailableError } from './errors.js';
import type { Viewer } from './users.js';

/** How long Waldur's word on a token is kept: a demotion or deactivation takes effect within it. */
export const IDENTITY_TTL_MS = 60_000;
/** A refusal is kept for less: a token just made in Waldur works within seconds. */
export const REFUSAL_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

/**
 * Waldur users signing in as themselves (README "Who may do what"): a token the gateway does not
 * know (or an OIDC `Bearer` access token) is asked of the attached Waldur once, with the caller's
 * own header, at `GET /api/users/me/`; the answer is kept by the header's SHA-256 for a minute (a
 * refusal for 10 s). Staff are staff here, support users may read everything and change nothing,
 * inactive users and refused tokens are nobody. Concurrent requests with one token share one
 * question. The header itself is never kept, logged, or sent anywhere but the attached Waldur.
 */
export class WaldurIdentities {
  private readonly known = new Map<string, { viewer: Viewer | null; until: number }>();
  private readonly asking = new Map<string, Promise<Viewer | null>>();

  private readonly ttlMs: number;

  constructor(
    private readonly waldur: WaldurClient,
    options: { ttlMs?: number } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = Math.min(options.ttlMs ?? IDENTITY_TTL_MS, IDENTITY_TTL_MS);
  }

  /** Waldur's user for the header, null when Waldur refuses it; WaldurUnavailableError when Waldur cannot say. */
  async viewer(authorization: string): Promise<Viewer | null> {
    const key = crypto.createHash('sha256').update(authorization).digest('hex');
    const known = this.known.get(key);
    if (known && known.until > this.now()) return known.viewer;
    let asked = this.asking.get(key);
    if (!asked) {
      asked = this.ask(key, authorization).finally(() => this.asking.delete(key));
      this.asking.set(key, asked);
    }
    return asked;
  }

  private async ask(key: string, authorization: string): Promise<Viewer | null> {
    let viewer: Viewer | null;
    try {
      const me = await this.waldur.me(authorization);
      viewer = me.is_active ? { uuid: me.uuid, username: me.username, isStaff: me.is_staff, isSupport: me.is_support && !me.is_staff, source: 'waldur' } : null;
    } catch (err) {
      if (err instanceof WaldurApiError && (err.status === 401 || err.status === 403)) viewer = null;
      else throw new WaldurUnavailableError(`Waldur could not say who this token belongs to (${err instanceof Error ? err.message : String(err)}); try again shortly.`, 5);
    }
    this.known.delete(key);
    this.known.set(key, { viewer, until: this.now() + (viewer ? this.ttlMs : Math.min(REFUSAL_TTL_MS, this.ttlMs)) });
    if (this.known.size > MAX_ENTRIES) this.known.delete(this.known.keys().next().value!);
    return viewer;
  }
}

const byClient = new WeakMap<WaldurClient, WaldurIdentities>();

/** The process's identities for an attached Waldur (one cache per Waldur, shared by GraphQL and REST); options apply when first asked. */
export function identitiesOf(waldur: WaldurClient, options?: { ttlMs?: number }): WaldurIdentities {
  let identities = byClient.get(waldur);
  if (!identities) byClient.set(waldur, (identities = new WaldurIdentities(waldur, options)));
  return identities;
}
