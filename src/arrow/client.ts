import type { z } from 'zod';
import * as wire from './wire.js';
import { ResilientHttp, type ResilientOptions } from '../http/resilient.js';

export type { ArrowCustomer, ArrowLicense } from './wire.js';

export class ArrowApiError extends Error {
  override name = 'ArrowApiError';
  constructor(
    readonly endpoint: string,
    /** HTTP status, or 0 when no answer came (timeout, connection refused). */
    readonly status: number,
    readonly arrowMessage: string,
  ) {
    super(`Arrow ${endpoint} failed${status ? ` (HTTP ${status})` : ''}: ${arrowMessage}`);
  }
}

export interface ArrowClientOptions extends ResilientOptions {
  apiUrl: string;
  apiKey: string;
  perPage?: number;
}

export interface BillingExportQuery {
  exportTypeReference: string;
  from: string;
  to: string;
  /** Only these customers' rows (filters.customerXspRefs); all customers when absent. */
  customerRefs?: string[];
}

/** Rows per billing export page: the most Arrow gives (Waldur's backend, PHP StatementsClient). */
export const BILLING_PAGE_SIZE = 1000;
/** Customer references per licence find request. */
export const FIND_REFS_PER_REQUEST = 100;
/**
 * Find pages before Arrow's search window ends: past page 9 the next licences are asked for as
 * page 1 of "id greater than the last one" (PHP public-api-client FindResult, SEARCH_AFTER_PAGE_LIMIT 10).
 */
export const FIND_WINDOW_PAGES = 9;

export interface BillingExport {
  headers: string[];
  rows: Record<string, string>[];
}

export interface CustomersPage {
  customers: z.output<typeof wire.customersPage>['data']['customers'];
  pages: number;
}

export interface ConsumptionLines {
  headers: string[];
  lines: Record<string, string>[];
}

/**
 * ArrowSphere's REST API. Reads are retried on 5xx, 429 (after Retry-After) and lost
 * connections, with exponential backoff and jitter; a call that gets no answer within the
 * timeout fails at once. At most `maxInFlight` requests run at a time for one client.
 */
export class ArrowClient {
  private readonly base: string;
  private readonly perPage: number;
  private readonly http: ResilientHttp<ArrowApiError>;

  constructor(private readonly options: ArrowClientOptions) {
    this.base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    this.perPage = options.perPage ?? 100;
    this.http = new ResilientHttp({ name: 'Arrow', error: (endpoint, status, message) => new ArrowApiError(endpoint, status, message), describe: describeError }, options);
  }

  /** Whether calls currently fail at once (the circuit is open). */
  get circuitOpen(): boolean {
    return this.http.circuitOpen;
  }

  async whoami() {
    const body = await this.request('whoami', 'GET', 'whoami', wire.whoami);
    return { reference: body.data.reference, companyName: body.data.companyName };
  }

  /**
   * Every customer; from a first page already read, the others (asked at once). `onPage` sees each
   * page as it comes, in any order, so work on a long listing may start before its last page.
   */
  async listCustomers(first?: CustomersPage, onPage?: (page: CustomersPage) => void) {
    const page1 = first ?? (await this.customersPage(1));
    onPage?.(page1);
    const rest = await Promise.all(
      Array.from({ length: page1.pages - 1 }, (_, i) =>
        this.customersPage(i + 2).then((page) => {
          onPage?.(page);
          return page;
        }),
      ),
    );
    return [page1, ...rest].flatMap((p) => p.customers);
  }

  /** One page of customers, and how many pages the listing has. */
  async customersPage(page: number): Promise<CustomersPage> {
    const body = await this.request('customers', 'GET', `customers?page=${page}&per_page=${this.perPage}`, wire.customersPage);
    return { customers: body.data.customers, pages: Math.max(1, body.pagination) };
  }

  async getCustomer(reference: string) {
    const body = await this.request('customer', 'GET', `customers/${encodeURIComponent(reference)}`, wire.customersPage.partial({ pagination: true }));
    const found = body.data.customers[0];
    if (!found) throw new ArrowApiError('customer', 404, `Customer ${reference} not found`);
    return found;
  }

  /** One customer's licences: `GET customers/{ref}/licenses` (one request where find would also be one). */
  customerLicenses(reference: string) {
    return this.allPages(
      'customerLicenses',
      (page) => this.request('customerLicenses', 'GET', `customers/${encodeURIComponent(reference)}/licenses${page > 1 ? `?page=${page}` : ''}`, wire.customerLicenses),
      (b) => b.data.licenses,
    );
  }

  /**
   * The licences of these customers: `POST licenses/v2/find` with `filters: {"license.customer_ref":
   * [refs]}`, sorted by licence id, up to FIND_REFS_PER_REQUEST references a request.
   */
  async findLicenses(customerRefs: string[]): Promise<wire.ArrowLicense[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < customerRefs.length; i += FIND_REFS_PER_REQUEST) chunks.push(customerRefs.slice(i, i + FIND_REFS_PER_REQUEST));
    return (await Promise.all(chunks.map((refs) => this.findAll({ 'license.customer_ref': refs })))).flat();
  }

  /** Licences by their own references (`filters: {"license.partner_ref": [refs]}`), whoever's they are. */
  findLicensesByReference(licenseRefs: string[]): Promise<wire.ArrowLicense[]> {
    return this.findAll({ 'license.partner_ref': licenseRefs });
  }

  /** Every page of one find: pages 1–9 (2–9 at once), then search after the last id, and so on. */
  private async findAll(filters: Record<string, unknown>): Promise<wire.ArrowLicense[]> {
    const ask = (page: number, f: Record<string, unknown>) =>
      this.request('licensesFind', 'POST', `licenses/v2/find?page=${page}&per_page=${this.perPage}`, wire.findPage, { filters: f, sort: { 'license.id': 'asc' } });
    const found: wire.ArrowLicense[] = [];
    let current = filters;
    for (;;) {
      const first = await ask(1, current);
      const pages = Math.max(1, first.pagination);
      const window = Math.min(pages, FIND_WINDOW_PAGES);
      const rest = await Promise.all(Array.from({ length: window - 1 }, (_, i) => ask(i + 2, current)));
      const results = [first, ...rest].flatMap((b) => b.results);
      found.push(...results.map((r) => r.license));
      if (pages <= window || !results.length) return found;
      current = { ...filters, 'license.id': { gt: results.at(-1)!.id } };
    }
  }

  /** A catalog category's programs, i.e. its vendors (`GET catalog/categories/{category}/programs`, 100 a page). */
  programs(category: string) {
    return this.allPages(
      'programs',
      (page) => this.request('programs', 'GET', `catalog/categories/${encodeURIComponent(category)}/programs?${page > 1 ? `page=${page}&` : ''}per_page=100`, wire.programsPage),
      (b) => b.data.map((p) => ({ reference: p.reference, name: p.name })),
    );
  }

  async exportTypes() {
    const body = await this.request('exportTypes', 'GET', 'billing/erp/exports/types', wire.exportTypes);
    return body.data.exportTypes.map((t) => ({ reference: t.reference, name: t.name }));
  }

  /**
   * The billing export for a period range, every page. The page goes in the query (as the PHP
   * client sends it) and in the body (as Waldur's backend does): which the server reads is unknown.
   */
  async billingExport(query: BillingExportQuery): Promise<BillingExport> {
    let headers: string[] = [];
    const filters = { reportPeriod: { from: query.from, to: query.to }, ...(query.customerRefs ? { customerXspRefs: query.customerRefs } : {}) };
    const rows = await this.allPages(
      'billingExport',
      (page) =>
        this.request('billingExport', 'POST', `billing/erp/exports/sync?page=${page}&perPage=${BILLING_PAGE_SIZE}`, wire.billingPage, {
          exportTypeReference: query.exportTypeReference,
          filters,
          page,
          perPage: BILLING_PAGE_SIZE,
        }),
      (b) => {
        if (!headers.length) headers = b.data.headers;
        return wire.rowsByHeader(b.data.headers, b.data.values);
      },
    );
    return { headers, rows };
  }

  /** The columns of an export type: page 1 of one month's export (discover_customers' probe). */
  async billingExportHeaders(exportTypeReference: string, period: string): Promise<string[]> {
    const body = await this.request('billingExport', 'POST', `billing/erp/exports/sync?page=1&perPage=${BILLING_PAGE_SIZE}`, wire.billingPage, {
      exportTypeReference,
      filters: { reportPeriod: { from: period, to: period } },
      page: 1,
      perPage: BILLING_PAGE_SIZE,
    });
    return body.data.headers;
  }

  /** One licence's consumption lines for one month (YYYY-MM). */
  async monthlyConsumption(licenseReference: string, period: string): Promise<ConsumptionLines> {
    const q = `reportPeriodStart=${period}&reportPeriodEnd=${period}`;
    const body = await this.request('consumptionMonthly', 'GET', `consumption/monthly/license/${encodeURIComponent(licenseReference)}?${q}`, wire.consumption);
    return { headers: body.data.headers, lines: wire.rowsByHeader(body.data.headers, body.data.lines) };
  }

  /** The month's predicted consumption values (the domain sums them all, as Waldur's backend does). */
  async consumptionPrediction(licenseReference: string): Promise<{ sell: string; buy: string }[]> {
    const body = await this.request('consumptionPrediction', 'GET', `consumption/license/${encodeURIComponent(licenseReference)}/prediction?granularity=monthly`, wire.prediction);
    if (!body.data.values.length) throw new ArrowApiError('consumptionPrediction', 200, `No prediction for ${licenseReference}`);
    return body.data.values.map((v) => v.consumed);
  }

  /** Page 1 says how many pages there are; the rest are fetched concurrently (bounded by the semaphore). */
  private async allPages<B extends { pagination: number }, T>(_endpoint: string, fetchPage: (page: number) => Promise<B>, items: (body: B) => T[]): Promise<T[]> {
    const first = await fetchPage(1);
    const pages = Math.max(1, first.pagination);
    const rest = await Promise.all(Array.from({ length: pages - 1 }, (_, i) => fetchPage(i + 2)));
    return [first, ...rest].flatMap(items);
  }

  /** One call through the resilient HTTP layer, its answer validated against the wire shape. */
  private async request<S extends z.ZodTypeAny>(endpoint: string, method: 'GET' | 'POST', path: string, shape: S, body?: unknown): Promise<z.output<S>> {
    const answer = await this.http.call(endpoint, method, this.base + path, { headers: { apiKey: this.options.apiKey }, body });
    const parsed = shape.safeParse(answer.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ArrowApiError(endpoint, answer.status, `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }
}

function describeError(json: unknown): string | undefined {
  const parsed = wire.errorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const { messages, message, error } = parsed.data;
  return [error, message, ...(messages ?? [])].filter(Boolean).join(': ') || undefined;
}
