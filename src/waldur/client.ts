import type { z } from 'zod';
import * as wire from './wire.js';
import { ResilientHttp, type ResilientOptions, type UpstreamAnswer } from '../http/resilient.js';
import { settleAll } from '../domain/collections.js';

export class WaldurApiError extends Error {
  override name = 'WaldurApiError';
  constructor(
    readonly endpoint: string,
    /** HTTP status, or 0 when no answer came. */
    readonly status: number,
    readonly waldurMessage: string,
  ) {
    super(`Waldur ${endpoint} failed${status ? ` (HTTP ${status})` : ''}: ${waldurMessage}`);
  }
}

export interface WaldurClientOptions extends ResilientOptions {
  /** Waldur's root: paths begin with /api/. */
  apiUrl: string;
  /** A staff integration user's token; sent as `Authorization: Token …`, never logged. */
  token: string;
  /** Rows per list page (Waldur caps it at 300). */
  pageSize?: number;
}

/** Parameters of a list: repeated where given as a list (Waldur's choice filters). */
export type ListParams = Record<string, string | string[] | undefined>;

/** Changes since a moment: Waldur's `modified` filter is "on or after", as ISO-8601 in UTC. */
export function since(moment: Date | undefined): ListParams {
  return moment ? { modified: moment.toISOString() } : {};
}

/**
 * Waldur's REST API as the gateway's mirror and writes use it (WALDUR.md): paged lists (page 1,
 * then the rest at once, as X-Result-Count says), set_backend_id, and the backend-resources
 * import. Reads are retried; the import's two writes are sent once (the caller looks up before
 * retrying).
 */
export class WaldurClient {
  private readonly base: string;
  private readonly pageSize: number;
  private readonly http: ResilientHttp<WaldurApiError>;

  constructor(private readonly options: WaldurClientOptions) {
    // Waldur's root; a URL ending in /api/ (as Waldur's site agent is configured) names the same Waldur
    this.base = options.apiUrl.replace(/\/+$/, '').replace(/\/api$/, '');
    this.pageSize = Math.min(300, options.pageSize ?? 300);
    this.http = new ResilientHttp({ name: 'Waldur', error: (endpoint, status, message) => new WaldurApiError(endpoint, status, message), describe: wire.describeError }, { maxInFlight: 4, ...options });
  }

  get circuitOpen(): boolean {
    return this.http.circuitOpen;
  }

  customers(params: ListParams = {}) {
    return this.listAll('customers', params, wire.customer);
  }

  /** Projects, soft-deleted ones too (is_removed), so the mirror sees them go. */
  projects(params: ListParams = {}) {
    return this.listAll('projects', { include_terminated: 'true', ...params }, wire.project);
  }

  offerings(params: ListParams = {}) {
    return this.listAll('offerings', params, wire.offering);
  }

  resources(params: ListParams = {}) {
    return this.listAll('resources', params, wire.resource);
  }

  orders(params: ListParams = {}) {
    return this.listAll('orders', params, wire.order);
  }

  /**
   * The customers' change feed: their creation, update and deletion events from a moment on
   * (`created_from`, epoch seconds), oldest first (WALDUR.md §6; waldur_core.logging EventFilter).
   */
  customerEvents(from: Date) {
    return this.listAll('events', customerEventParams(from), wire.event);
  }

  /** How many events the customers' feed holds from a moment on: one request (the probe). */
  customerEventCount(from: Date) {
    return this.count('events', customerEventParams(from));
  }

  /** One customer as Waldur has it now. */
  async customer(uuid: string) {
    const answer = await this.send('customers', 'GET', `${LISTS.customers}${uuid.replace(/-/g, '')}/`, undefined, true);
    return this.parse('customers', answer, wire.customer);
  }

  /** How many objects a list holds (X-Result-Count of a one-row page): one request. */
  async count(entity: keyof typeof LISTS, params: ListParams = {}): Promise<number> {
    const answer = await this.send(entity, 'GET', `${LISTS[entity]}?${query({ ...params, page_size: '1' })}`, undefined, true);
    return resultCount(entity, answer);
  }

  /** Sets a resource's backend_id (idempotent: the same value answers "not changed"). */
  async setBackendId(resourceUuid: string, backendId: string): Promise<string> {
    const answer = await this.send('setBackendId', 'POST', `/api/marketplace-provider-resources/${resourceUuid.replace(/-/g, '')}/set_backend_id/`, { backend_id: backendId }, true);
    return this.parse('setBackendId', answer, wire.status).status;
  }

  /**
   * Whether a backend_id passes the offering's backend_id_rules (format and uniqueness in their
   * scope, terminated resources counted unless the rules say not), as set_backend_id and
   * import_resource will judge it (WM docs/core-concepts/offering.md §Backend ID Validation). A read.
   */
  async checkBackendId(offeringUuid: string, backendId: string) {
    const answer = await this.send('checkBackendId', 'POST', `/api/marketplace-provider-offerings/${offeringUuid.replace(/-/g, '')}/check_unique_backend_id/`, { backend_id: backendId, use_offering_rules: true }, true);
    return this.parse('checkBackendId', answer, wire.backendIdCheck);
  }

  /** Step 1 of an import: a backend resource (sent once; not idempotent). */
  async createBackendResource(input: { name: string; project: string; offering: string; backendId: string }) {
    const answer = await this.send('backendResources', 'POST', '/api/backend-resources/', { name: input.name, project: input.project, offering: input.offering, backend_id: input.backendId }, false);
    return this.parse('backendResources', answer, wire.backendResource);
  }

  /** Backend resources waiting for import with this backend_id in an offering and project (py-client backend_resources_list). */
  backendResources(params: { backend_id: string; offering_uuid: string; project_uuid: string }) {
    return this.listAll('backendResources', { backend_id: params.backend_id, offering_uuid: params.offering_uuid.replace(/-/g, ''), project_uuid: params.project_uuid.replace(/-/g, '') }, wire.backendResource);
  }

  /** Step 2: the staff import of that backend resource as a marketplace resource (sent once). */
  async importBackendResource(backendResourceUuid: string, plan?: string | null) {
    const answer = await this.send('importResource', 'POST', `/api/backend-resources/${backendResourceUuid.replace(/-/g, '')}/import_resource/`, plan ? { plan } : {}, false);
    return this.parse('importResource', answer, wire.resource);
  }

  /** One resource as Waldur has it now (a write's result is read back, so the mirror keeps Waldur's own `modified`). */
  async resource(uuid: string) {
    const answer = await this.send('resources', 'GET', `${LISTS.resources}${uuid.replace(/-/g, '')}/`, undefined, true);
    return this.parse('resources', answer, wire.resource);
  }

  /** Undoes step 1 of an import whose step 2 failed (204; py-client backend_resources_destroy). */
  async deleteBackendResource(uuid: string): Promise<void> {
    await this.send('backendResources', 'DELETE', `/api/backend-resources/${uuid.replace(/-/g, '')}/`, undefined, true);
  }

  /**
   * Items on customers' invoices of a month (staff; WALDUR-BILLING-IDENTITY.md §2): each becomes
   * quantity 1 at its unit_price; Waldur skips a zero price and an item whose name and article
   * code the invoice already has, and refuses items for an invoice no longer mutable (in
   * `errors`). Sent once: a repeat after a lost answer is skipped by Waldur, not made twice.
   */
  async importUsage(year: number, month: number, items: ImportUsageItem[]) {
    const answer = await this.send('importUsage', 'POST', '/api/invoices/import_usage/', { year, month, items }, false);
    return this.parse('importUsage', answer, wire.importUsageResult);
  }

  /**
   * Who an `Authorization` header belongs to in Waldur (`GET /api/users/me/`, sent with that header
   * and not the gateway's own token). A 401 is Waldur's refusal: an unknown, expired or inactive
   * user's token.
   */
  async me(authorization: string) {
    // asked once (no retries): it stands in the way of the caller's request, and the caller may retry
    const answer = await this.http.call('me', 'GET', `${this.base}/api/users/me/`, { headers: { authorization }, retry: false });
    return this.parse('me', answer, wire.me);
  }

  /** Who the gateway's own token belongs to in Waldur (its roles decide what Waldur shows it). */
  async whoAmI() {
    const answer = await this.send('me', 'GET', '/api/users/me/', undefined, true);
    return this.parse('me', answer, wire.me);
  }

  /** An offering's components and its plans' prices (one request; `?field=` keeps it small). */
  async offeringBilling(uuid: string) {
    const fields = Object.keys(wire.offeringBilling.shape).map((f) => `field=${f}`).join('&');
    const answer = await this.send('offerings', 'GET', `/api/marketplace-provider-offerings/${uuid.replace(/-/g, '')}/?${fields}`, undefined, true);
    return this.parse('offerings', answer, wire.offeringBilling);
  }

  /**
   * A resource's usage of the current month (WALDUR-BILLING-IDENTITY.md §2; offering manager or
   * staff): Waldur keeps one usage per resource, component and month and replaces it, so a
   * repeat after a lost answer changes nothing and the request may be retried. Answers 201, no body.
   */
  async setUsage(resourceUuid: string, usages: { type: string; amount: string; description?: string }[]): Promise<void> {
    await this.send('setUsage', 'POST', '/api/marketplace-component-usages/set_usage/', { resource: resourceUuid.replace(/-/g, ''), usages }, true);
  }

  /** A customer's invoices of a month (at most one; none before anything was billed). */
  invoices(params: { customer_uuid: string; year: number; month: number }) {
    return this.listAll('invoices', { customer_uuid: params.customer_uuid.replace(/-/g, ''), year: String(params.year), month: String(params.month) }, wire.invoice);
  }

  /**
   * A list a page at a time, in order, for a reader that keeps no more than a page (the mirror's
   * sync of 200,000 resources): at most PAGES_AHEAD pages are asked ahead of the one read.
   */
  pages<E extends keyof typeof PAGED>(entity: E, params: ListParams = {}): AsyncGenerator<z.output<(typeof PAGED)[E]['shape']>[]> {
    const list = PAGED[entity];
    return this.pagesOf(entity, { ...list.params, ...params }, list.shape as (typeof PAGED)[E]['shape']);
  }

  /** Every page of a list: page 1 says how many rows there are, the other pages are asked at once. */
  private async listAll<S extends z.ZodObject>(endpoint: keyof typeof LISTS, params: ListParams, shape: S): Promise<z.output<S>[]> {
    const page = this.pageReader(endpoint, params, shape);
    const first = await page(1);
    const pages = Math.max(1, Math.ceil(resultCount(endpoint, first) / this.pageSize));
    const rest = await settleAll(Array.from({ length: pages - 1 }, (_, i) => page(i + 2)));
    return [first, ...rest].flatMap((answer) => this.parse(endpoint, answer, shape.array()) as z.output<S>[]);
  }

  private async *pagesOf<S extends z.ZodObject>(endpoint: keyof typeof LISTS, params: ListParams, shape: S): AsyncGenerator<z.output<S>[]> {
    const page = this.pageReader(endpoint, params, shape);
    const first = await page(1);
    const pages = Math.max(1, Math.ceil(resultCount(endpoint, first) / this.pageSize));
    yield this.parse(endpoint, first, shape.array()) as z.output<S>[];
    const ahead: Promise<UpstreamAnswer>[] = [];
    let asked = 1;
    const askAhead = () => {
      while (ahead.length < PAGES_AHEAD && asked < pages) {
        const next = page(++asked);
        next.catch(() => undefined); // its failure is thrown where it is read
        ahead.push(next);
      }
    };
    try {
      for (askAhead(); ahead.length; askAhead()) yield this.parse(endpoint, await ahead.shift()!, shape.array()) as z.output<S>[];
    } finally {
      await Promise.allSettled(ahead); // nothing of ours still under way once the reader stops
    }
  }

  /** Page n of a list, with only the keys the mirror keeps. */
  private pageReader(endpoint: keyof typeof LISTS, params: ListParams, shape: z.ZodObject) {
    // `?field=` (WALDUR.md §8): a resource is some 40 keys in full, and a full sync of 20,000 of
    // them held hundreds of megabytes of JSON it never read
    const fields = Object.keys(shape.shape);
    return (n: number) => this.send(endpoint, 'GET', `${LISTS[endpoint]}?${query({ ...params, field: fields, page_size: String(this.pageSize), ...(n > 1 ? { page: String(n) } : {}) })}`, undefined, true);
  }

  private send(endpoint: string, method: string, path: string, body: unknown, retry: boolean) {
    return this.http.call(endpoint, method, this.base + path, { headers: { authorization: `Token ${this.options.token}` }, body, retry });
  }

  private parse<S extends z.ZodTypeAny>(endpoint: string, answer: { status: number; json: unknown }, shape: S): z.output<S> {
    const parsed = shape.safeParse(answer.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new WaldurApiError(endpoint, answer.status, `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }
}

/** Pages asked ahead of the one being read. */
const PAGES_AHEAD = 4;

/** The lists the mirror reads a page at a time: their shapes, and the parameters each always carries. */
const PAGED = {
  customers: { shape: wire.customer, params: {} },
  // soft-deleted projects too (is_removed), so the mirror sees them go
  projects: { shape: wire.project, params: { include_terminated: 'true' } },
  offerings: { shape: wire.offering, params: {} },
  resources: { shape: wire.resource, params: {} },
  orders: { shape: wire.order, params: {} },
} satisfies Record<string, { shape: z.ZodObject; params: ListParams }>;

/** Waldur's list paths, by entity. */
const LISTS = {
  customers: '/api/customers/',
  projects: '/api/projects/',
  offerings: '/api/marketplace-provider-offerings/',
  resources: '/api/marketplace-resources/',
  orders: '/api/marketplace-orders/',
  events: '/api/events/',
  invoices: '/api/invoices/',
  backendResources: '/api/backend-resources/',
} as const;

export interface ImportUsageItem {
  name: string;
  /** A decimal, negative for a credit. */
  unit_price: string;
  customer_uuid: string;
  article_code?: string;
}

const customerEventParams = (from: Date): ListParams => ({ feature: 'customers', created_from: String(Math.floor(from.getTime() / 1000)), o: 'created' });

function resultCount(endpoint: string, answer: { status: number; headers: Headers }): number {
  const count = Number(answer.headers.get('x-result-count'));
  if (!Number.isInteger(count) || count < 0) throw new WaldurApiError(endpoint, answer.status, 'the list has no X-Result-Count header');
  return count;
}

/** A query string; list values become repeated parameters. */
function query(params: ListParams): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, v);
  }
  return q.toString();
}
