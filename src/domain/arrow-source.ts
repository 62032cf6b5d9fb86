import crypto from 'node:crypto';
import { ArrowApiError, ArrowClient, type ArrowCustomer, type ArrowLicense, type BillingExport, type ConsumptionLines } from '../arrow/client.js';
import { ArrowUnavailableError } from './errors.js';

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
}

/**
 * The gateway's one way to Arrow: a client per settings (so the in-flight cap is per settings),
 * and a short cache shared across requests. Concurrent askers of the same thing share one call.
 * Failures are not cached. `invalidate` drops what a mutation made stale.
 */
export class ArrowSource {
  private readonly clients = new Map<string, ArrowClient>();
  private readonly cache = new Map<string, { expires: number; value: Promise<unknown> }>();
  /** The last listing that Arrow did give, per settings and kind: served, marked stale, when Arrow fails. */
  private readonly lastGood = new Map<string, { value: unknown; fetchedAt: Date }>();

  constructor(private readonly options: ArrowSourceOptions) {}

  client(settings: ArrowCredentials): ArrowClient {
    // A changed URL or key gets a new client
    const key = identity(settings);
    let client = this.clients.get(key);
    if (!client) {
      for (const k of this.clients.keys()) if (k.startsWith(`${settings.uuid}|`)) this.clients.delete(k);
      client = new ArrowClient({ apiUrl: settings.apiUrl, apiKey: settings.apiKey, ...this.options });
      this.clients.set(key, client);
    }
    return client;
  }

  customers(settings: ArrowCredentials): Promise<ArrowCustomer[]> {
    return this.customersListing(settings).then((l) => l.items);
  }

  licenses(settings: ArrowCredentials): Promise<ArrowLicense[]> {
    return this.licensesListing(settings).then((l) => l.items);
  }

  /** Arrow's customers; while the circuit is open, the last good listing, marked stale. */
  customersListing(settings: ArrowCredentials): Promise<Listing<ArrowCustomer>> {
    return this.listing(settings, 'customers', () => this.client(settings).listCustomers());
  }

  /** Arrow's licences; while the circuit is open, the last good listing, marked stale. */
  licensesListing(settings: ArrowCredentials): Promise<Listing<ArrowLicense>> {
    return this.listing(settings, 'licenses', () => this.client(settings).listLicenses());
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
      if (!last || !this.client(settings).circuitOpen) throw err;
      return { items: last.value as T[], fetchedAt: last.fetchedAt, stale: true, staleBecause: err instanceof Error ? err.message : String(err) };
    });
  }

  billingExport(settings: ArrowCredentials, exportTypeReference: string, period: string): Promise<BillingExport> {
    return this.cached(settings, `billing|${exportTypeReference}|${period}`, () =>
      this.client(settings).billingExport({ exportTypeReference, from: period, to: period }),
    );
  }

  monthlyConsumption(settings: ArrowCredentials, licenseReference: string, period: string): Promise<ConsumptionLines> {
    return this.cached(settings, `consumption|${licenseReference}|${period}`, () => this.client(settings).monthlyConsumption(licenseReference, period));
  }

  /** Drops everything cached for these settings (or for all), stale fallbacks included. */
  invalidate(settingsUuid?: string) {
    for (const map of [this.cache, this.lastGood]) {
      for (const key of map.keys()) if (!settingsUuid || key.startsWith(`${settingsUuid}|`)) map.delete(key);
    }
  }

  /**
   * Shares one call among everyone asking while it runs, then keeps its answer for the TTL
   * (counted from when it arrived). Failures are not kept.
   */
  private cached<T>(settings: ArrowCredentials, what: string, load: () => Promise<T>): Promise<T> {
    const key = `${identity(settings)}|${what}`;
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) {
      this.options.onCache?.(true);
      return hit.value as Promise<T>;
    }
    this.options.onCache?.(false);
    const entry = { expires: Number.POSITIVE_INFINITY, value: undefined as unknown as Promise<T> };
    entry.value = load().then(
      (value) => {
        entry.expires = Date.now() + this.options.cacheTtlMs;
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
