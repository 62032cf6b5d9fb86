import crypto from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ArrowApiError, ArrowClient, type ArrowCustomer, type ArrowLicense, type CustomersPage, type BillingExport, type ConsumptionLines } from '../arrow/client.js';
import { ArrowUnavailableError } from './errors.js';
import { groupBy } from './collections.js';
import { customerReferenceForms } from './arrow-customers.js';
import type { SharedCache } from './shared-cache.js';
import { CustomerSuggestions } from './customer-suggestions.js';

/** What the domain needs to know of an ArrowSettings row to talk to Arrow. */
export interface ArrowCredentials {
  uuid: string;
  apiUrl: string;
  apiKey: string;
}

export interface ArrowSourceOptions {
  timeoutMs: number;
  retries: number;
  maxInFlight: number;
  /** How long listings, exports and consumption are reused across requests. */
  cacheTtlMs: number;
  retryBaseMs?: number;
  onRequest?: (event: { endpoint: string; status: number; ms: number }) => void;
  /** Called on every cache lookup (metrics). */
  onCache?: (hit: boolean) => void;
  /** Called with how many names were matched in full for customer suggestions (metrics). */
  onMatched?: (names: number) => void;
  /**
   * Where this process actually sends a settings' API URL: the demo's settings name a fixed URL
   * that each gateway routes to its own in-process simulator, so replicas sharing a database
   * never rewrite the settings to their own simulator's port.
   */
  routes?: Record<string, string>;
  /**
   * Where replicas share what Arrow answered (REDIS_URL): a fetch by one serves all, a drop by
   * one drops it for all. Without it the cache is this process's own.
   */
  shared?: SharedCache;
  /** Settings' URLs may not reach loopback, private or link-local addresses (src/http/address-policy.ts). */
  publicOnly?: boolean;
}

/**
 * What one request read of Arrow (a GraphQL response cache asks): the cached answers it used, so
 * a response is kept no longer than the first of them; `uncacheable` when it asked Arrow around
 * the cache or was served a stale listing.
 */
export interface ArrowReads {
  used: { expires: number }[];
  uncacheable: boolean;
}
export const arrowReads = new AsyncLocalStorage<ArrowReads>();

/**
 * The answer being computed reads something the data version does not follow (long work's
 * progress, the Waldur sync's own state): the response cache must not keep it.
 */
export function answerNotKept(): void {
  const reads = arrowReads.getStore();
  if (reads) reads.uncacheable = true;
}

/**
 * The gateway's one way to Arrow: a client per settings (so the in-flight cap is per settings),
 * and a short cache shared across requests. Concurrent askers of the same thing share one call.
 * Failures are not cached. `invalidate` drops what a mutation made stale.
 */
export class ArrowSource {
  private readonly clients = new Map<string, ArrowClient>();
  /** `alone`: fetched while the shared cache was away, so kept here, and trusted only until it returns. */
  private readonly cache = new Map<string, { expires: number; value: Promise<unknown>; alone?: boolean }>();
  /** The last listing that Arrow did give, per settings and kind: served, marked stale, when Arrow fails. */
  private readonly lastGood = new Map<string, { value: unknown; fetchedAt: Date }>();

  /** Arrow customers' best Waldur customers, remembered per set of Waldur customers (shared like the listings). */
  readonly suggestions: CustomerSuggestions;

  constructor(private readonly options: ArrowSourceOptions) {
    this.suggestions = new CustomerSuggestions(options.shared, options.onMatched);
  }

  /** A client for asking Arrow directly (not through the cache): a response that does is never cached. */
  client(settings: ArrowCredentials): ArrowClient {
    const reads = arrowReads.getStore();
    if (reads) reads.uncacheable = true;
    return this.clientOf(settings);
  }

  private clientOf(settings: ArrowCredentials): ArrowClient {
    // A changed URL or key gets a new client
    const key = identity(settings);
    let client = this.clients.get(key);
    if (!client) {
      for (const k of this.clients.keys()) if (k.startsWith(`${settings.uuid}|`)) this.clients.delete(k);
      const routed = this.options.routes?.[settings.apiUrl];
      // a route to the gateway's own simulator is its own doing, not a URL someone gave it
      client = new ArrowClient({ ...this.options, apiUrl: routed ?? settings.apiUrl, apiKey: settings.apiKey, publicOnly: routed ? false : this.options.publicOnly });
      this.clients.set(key, client);
    }
    return client;
  }

  customers(settings: ArrowCredentials): Promise<ArrowCustomer[]> {
    return this.customersListing(settings).then((l) => l.items);
  }

  /**
   * Arrow's customers; while the circuit is open, the last good listing, marked stale. `onPage`
   * sees the pages as they come when this call reads the listing (not when it was kept, or is
   * being read for another caller).
   */
  customersListing(settings: ArrowCredentials, onPage?: (page: CustomersPage) => void): Promise<Listing<ArrowCustomer>> {
    return this.listing(settings, 'customers', () => this.clientOf(settings).listCustomers(undefined, onPage));
  }

  /**
   * The customers a page of mappings names: the cached listing when there is one; else one
   * `customers/{ref}` lookup each for a few references (with and without XSP), else the listing.
   * A reference Arrow does not know directly may still match by internal reference or name, so
   * an empty lookup falls back to the listing.
   */
  async customersFor(settings: ArrowCredentials, references: readonly string[]): Promise<Listing<ArrowCustomer>> {
    const refs = [...new Set(references)];
    if (this.fresh(settings, 'customers')) return this.customersListing(settings);
    if (refs.length > DIRECT_CUSTOMER_LOOKUPS) {
      // the listing when it takes no more requests than looking the page's customers up: a page
      // of 100 mappings costs at most 101 requests however many customers Arrow has (20,000: 200 pages)
      const first = await this.cached(settings, 'customers|first page', () => this.clientOf(settings).customersPage(1)).catch(() => null);
      if (!first || first.pages <= refs.length) return this.listing(settings, 'customers', () => this.clientOf(settings).listCustomers(first ?? undefined));
    }
    const found = await Promise.all(refs.map((ref) => this.listing(settings, `customer|${ref}`, () => this.lookupCustomer(settings, ref))));
    if (found.some((f) => !f.items.length)) return this.customersListing(settings);
    return mergeListings(found);
  }

  private async lookupCustomer(settings: ArrowCredentials, reference: string): Promise<ArrowCustomer[]> {
    for (const candidate of customerReferenceForms(reference)) {
      try {
        return [await this.clientOf(settings).getCustomer(candidate)];
      } catch (err) {
        if (!(err instanceof ArrowApiError && err.status === 404)) throw err;
      }
    }
    return [];
  }

  /**
   * The licences of these customers, cached per customer: the ones not cached are asked for in one
   * go, `customers/{ref}/licenses` for one customer, `licenses/v2/find` by customer_ref for several.
   * While the circuit is open, the last good licences of each customer stand in, marked stale.
   */
  async licensesOf(settings: ArrowCredentials, customerReferences: readonly string[]): Promise<Listing<ArrowLicense>> {
    const refs = [...new Set(customerReferences)];
    const missing = refs.filter((ref) => !this.fresh(settings, `licenses|${ref}`));
    let batch: Promise<Map<string, ArrowLicense[]>> | undefined;
    const load = () =>
      (batch ??= (missing.length === 1 ? this.oneCustomersLicenses(settings, missing[0]!) : this.clientOf(settings).findLicenses(missing)).then((licences) =>
        groupBy(licences, (l) => l.customerReference),
      ));
    const perCustomer = await Promise.all(refs.map((ref) => this.listing(settings, `licenses|${ref}`, () => load().then((byCustomer) => byCustomer.get(ref) ?? []))));
    return mergeListings(perCustomer);
  }

  private listing<T>(settings: ArrowCredentials, what: string, load: () => Promise<T[]>): Promise<Listing<T>> {
    const key = `${settings.uuid}|${what}`;
    return this.cached(settings, what, async () => {
      const items = await load();
      const fetchedAt = new Date();
      this.lastGood.set(key, { value: items, fetchedAt });
      return { items, fetchedAt, stale: false };
    }).catch((err: unknown) => {
      // Only once the circuit is open (Arrow failing again and again) do older listings stand in.
      const last = this.lastGood.get(key);
      if (!last || !this.clientOf(settings).circuitOpen) throw err;
      const reads = arrowReads.getStore();
      if (reads) reads.uncacheable = true;
      return { items: last.value as T[], fetchedAt: last.fetchedAt, stale: true, staleBecause: err instanceof Error ? err.message : String(err) };
    });
  }

  /** One customer's licences; a reference Arrow does not know as a customer has none (404), as find would say. */
  private oneCustomersLicenses(settings: ArrowCredentials, reference: string): Promise<ArrowLicense[]> {
    return this.clientOf(settings)
      .customerLicenses(reference)
      .catch((err: unknown) => {
        if (err instanceof ArrowApiError && err.status === 404) return [];
        throw err;
      });
  }

  /** Whether a fresh answer for this is cached (asking would cost no request). */
  private fresh(settings: ArrowCredentials, what: string): boolean {
    return this.usable(this.cache.get(`${identity(settings)}|${what}`));
  }

  /**
   * Whether a kept answer may be served. With Redis away, this replica caches on its own, as
   * without Redis; once it is back, what was cached alone may have missed another replica's
   * drop, and is asked for again.
   */
  private usable(hit: { expires: number; alone?: boolean } | undefined): hit is { expires: number; value: Promise<unknown>; alone?: boolean } {
    return !!hit && hit.expires > Date.now() && !(hit.alone && this.options.shared?.sharing);
  }

  /** A month's billing export; with `customerRefs`, only those customers' rows (filters.customerXspRefs). */
  billingExport(settings: ArrowCredentials, exportTypeReference: string, period: string, customerRefs?: readonly string[]): Promise<BillingExport> {
    const refs = customerRefs ? [...new Set(customerRefs)].sort() : undefined;
    const key = `billing|${exportTypeReference}|${period}|${refs ? crypto.createHash('sha256').update(refs.join('\n')).digest('hex').slice(0, 16) : 'all'}`;
    return this.cached(settings, key, () => this.clientOf(settings).billingExport({ exportTypeReference, from: period, to: period, customerRefs: refs }));
  }

  monthlyConsumption(settings: ArrowCredentials, licenseReference: string, period: string): Promise<ConsumptionLines> {
    return this.cached(settings, `consumption|${licenseReference}|${period}`, () => this.clientOf(settings).monthlyConsumption(licenseReference, period));
  }

  /** Moves whenever cached answers are dropped before their time: what was built on them is stale. */
  generation = 0;
  /** Told of every drop (the gateway moves the database's data version: other replicas' answers built on them are stale too). */
  onDrop?: () => Promise<void>;

  /** Drops the cached licences of these customers only (a licence may be new since they were fetched). */
  async forgetLicensesOf(settings: ArrowCredentials, customerReferences: readonly string[]) {
    this.generation++;
    for (const ref of customerReferences) this.cache.delete(`${identity(settings)}|licenses|${ref}`);
    await Promise.all(customerReferences.map((ref) => this.options.shared?.drop(`${identity(settings)}|licenses|${ref}`)));
    await this.onDrop?.();
  }

  /** Drops everything cached for these settings (or for all), stale fallbacks included. */
  async invalidate(settingsUuid?: string) {
    this.generation++;
    for (const map of [this.cache, this.lastGood]) {
      for (const key of map.keys()) if (!settingsUuid || key.startsWith(`${settingsUuid}|`)) map.delete(key);
    }
    await this.options.shared?.drop(settingsUuid ? `${settingsUuid}|` : '');
    await this.onDrop?.();
  }

  /**
   * Shares one call among everyone asking while it runs, then keeps its answer for the TTL
   * (counted from when it arrived). Failures are not kept.
   */
  private cached<T>(settings: ArrowCredentials, what: string, load: () => Promise<T>): Promise<T> {
    const key = `${identity(settings)}|${what}`;
    const hit = this.cache.get(key);
    const reads = arrowReads.getStore();
    const shared = this.options.shared?.sharing === false ? undefined : this.options.shared;
    if (this.usable(hit)) {
      this.options.onCache?.(true);
      reads?.used.push(hit);
      return hit.value as Promise<T>;
    }
    const entry = { expires: Number.POSITIVE_INFINITY, value: undefined as unknown as Promise<T>, alone: !shared && !!this.options.shared };
    reads?.used.push(entry);
    entry.value = (shared ? this.sharedLoad(shared, key, load) : this.fetched(load)).then(
      ({ value, ttlMs }) => {
        entry.expires = Date.now() + ttlMs;
        // shared: every read asks the shared cache again, so a drop by any replica is seen at once
        if (this.options.shared && this.cache.get(key) === entry) {
          if (this.options.shared.sharing) this.cache.delete(key);
          else entry.alone = true;
        }
        return value;
      },
      (err: unknown) => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
        throw asUnavailable(err);
      },
    );
    this.cache.set(key, entry);
    return entry.value;
  }

  /** Asks Arrow (a cache miss). */
  private async fetched<T>(load: () => Promise<T>): Promise<{ value: T; ttlMs: number }> {
    this.options.onCache?.(false);
    return { value: await load(), ttlMs: this.options.cacheTtlMs };
  }

  /**
   * Through the shared cache: its answer while it has one; else one replica asks Arrow (the
   * first to claim the key) while the others wait for its answer, asking Arrow themselves only if
   * the claim runs out without one.
   */
  private async sharedLoad<T>(shared: SharedCache, key: string, load: () => Promise<T>): Promise<{ value: T; ttlMs: number }> {
    const deadline = Date.now() + this.options.timeoutMs + 5000;
    for (;;) {
      const found = await shared.get(key);
      if (found && found.ttlMs > 0) {
        this.options.onCache?.(true);
        return { value: found.value as T, ttlMs: found.ttlMs };
      }
      if (Date.now() > deadline || (await shared.claim(key, this.options.timeoutMs + 5000))) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      const answer = await this.fetched(load);
      await shared.set(key, answer.value, answer.ttlMs);
      return answer;
    } finally {
      await shared.release(key);
    }
  }

}

/** Up to this many customers a page asks Arrow for one by one rather than through the listing. */
export const DIRECT_CUSTOMER_LOOKUPS = 5;

/** Several listings as one: fetched when the oldest was, stale when any is. */
function mergeListings<T>(listings: Listing<T>[]): Listing<T> {
  const stale = listings.filter((l) => l.stale);
  return {
    items: listings.flatMap((l) => l.items),
    fetchedAt: new Date(Math.min(...listings.map((l) => l.fetchedAt.getTime()), Date.now())),
    stale: stale.length > 0,
    ...(stale[0]?.staleBecause ? { staleBecause: stale[0].staleBecause } : {}),
  };
}

export interface Listing<T> {
  items: T[];
  fetchedAt: Date;
  /** Arrow failed just now; these are the last items it gave. */
  stale: boolean;
  staleBecause?: string;
}

export function asUnavailable(err: unknown): Error {
  if (err instanceof ArrowApiError) return new ArrowUnavailableError(err.message);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Settings and the credentials they had when asked: a changed URL or key is another client and
 * another cache entry. The key is hashed in, never kept.
 */
function identity(settings: ArrowCredentials) {
  return `${settings.uuid}|${crypto.createHash('sha256').update(`${settings.apiUrl}\n${settings.apiKey}`).digest('hex').slice(0, 16)}`;
}
