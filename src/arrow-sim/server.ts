import http from 'node:http';
import { closeServer, readBody, rng, sendJson } from '../simulator-kit.js';
import type { AddressInfo } from 'node:net';
import { BILLING_HEADERS, CONSUMPTION_HEADERS, type ArrowFixture, type ArrowFixtureLicense } from './fixture.js';

/** What can go wrong upstream, set at start or at run time through POST /__sim/faults. */
export interface Faults {
  /** Added to every answer, in milliseconds. */
  latencyMs: number;
  /** Share of requests answered 500 or 503 (alternating). */
  errorRate: number;
  /** Share of requests answered 429 with Retry-After. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Share of requests that never answer. */
  hangRate: number;
  /** Share of requests answered 200 with a body that is not JSON. */
  malformedRate: number;
  /** Only these endpoints misbehave (all when empty). */
  endpoints: Endpoint[];
  /** After this many faulty answers the faults switch off by themselves (unlimited when null). */
  times: number | null;
}

export type Endpoint =
  | 'whoami' | 'customers' | 'customer' | 'customerLicenses' | 'licensesFind' | 'exportTypes' | 'programs'
  | 'billingExport' | 'consumptionMonthly' | 'consumptionPrediction';

/** Page sizes as the real API's clients use them (ARROWSPHERE.md §4). */
const CUSTOMERS_PER_PAGE = 100;
const FIND_PER_PAGE = 100;
const BILLING_PER_PAGE = 1000;
/**
 * Find is an Elasticsearch window: the official PHP client switches to "id greater than the last
 * one" at page 10 (FindResult SEARCH_AFTER_PAGE_LIMIT); past it the simulator refuses, so a client
 * that does not search after fails here rather than against Arrow.
 */
const FIND_LAST_PAGE = 10;

export interface SimulatorOptions {
  port?: number;
  host?: string;
  faults?: Partial<Faults>;
  /** Deterministic fault draws. */
  seed?: number;
}

export interface RunningSimulator {
  url: string;
  /** Base URL of the API, as configured in Arrow settings. */
  apiUrl: string;
  fixture: ArrowFixture;
  stats(): Record<string, number>;
  /** The most requests that were being answered at one moment since the last reset. */
  peakInFlight(): number;
  resetStats(): void;
  setFaults(faults: Partial<Faults>): void;
  close(): Promise<void>;
}

const NO_FAULTS: Faults = {
  latencyMs: 0, errorRate: 0, rateLimitRate: 0, retryAfterSeconds: 1, hangRate: 0, malformedRate: 0, endpoints: [], times: null,
};

export async function startArrowSimulator(fixture: ArrowFixture, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  let faults: Faults = { ...NO_FAULTS, ...options.faults };
  const counts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  let inFlight = 0;
  let peak = 0;
  // the same seed misbehaves the same way every run
  const random = rng(options.seed ?? 42);
  const customersByRef = new Map(fixture.customers.map((c) => [c.Reference, c]));
  // Arrow's internal licence ids, in fixture order unless the fixture gives them
  const licenceIds = new Map(fixture.licenses.map((l, i) => [l, typeof l.id === 'number' ? l.id : 100000 + i]));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const route = url.pathname.replace(/^\/index\.php/, '').replace(/^\/api/, '');
    if (route.startsWith('/__sim/')) return control(route, req, res);

    const match = matchRoute(req.method ?? 'GET', route);
    if (!match) return sendJson(res, 404, { status: 404, error: 'Not Found', messages: [`No route ${req.method} ${route}`] });
    counts.set(match.endpoint, (counts.get(match.endpoint) ?? 0) + 1);
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => inFlight--);
    const body = req.method === 'POST' ? await readBody(req) : '';

    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faultApplies(match.endpoint)) {
      const draw = random();
      let edge = faults.hangRate;
      if (draw < edge) return void (consumeFault(), hanging.add(res));
      edge += faults.rateLimitRate;
      if (draw < edge) {
        consumeFault();
        res.setHeader('Retry-After', String(faults.retryAfterSeconds));
        return sendJson(res, 429, { status: 429, error: 'Too Many Requests', messages: ['Rate limit exceeded'] });
      }
      edge += faults.errorRate;
      if (draw < edge) {
        consumeFault();
        const status = counts.get(match.endpoint)! % 2 ? 503 : 500;
        return sendJson(res, status, { status, error: status === 503 ? 'Service Unavailable' : 'Internal Server Error', messages: ['Upstream failure'] });
      }
      edge += faults.malformedRate;
      if (draw < edge) {
        consumeFault();
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"status": 200, "data": {"customers": [');
      }
    }
    if (req.headers['apikey'] !== fixture.apiKey) {
      return sendJson(res, 401, { status: 401, error: 'Unauthorized', messages: ['Your API key is not valid'] });
    }
    try {
      const [status, payload] = answer(match, url.searchParams, body);
      sendJson(res, status, payload);
    } catch {
      sendJson(res, 400, { status: 400, error: 'Bad Request', messages: ['Malformed request body'] });
    }
  });

  function faultApplies(endpoint: Endpoint) {
    if (faults.times !== null && faults.times <= 0) return false;
    return faults.endpoints.length === 0 || faults.endpoints.includes(endpoint);
  }
  function consumeFault() {
    if (faults.times !== null) faults.times -= 1;
  }

  /** One page of items: which, how many pages, the page asked for and its size. */
  function page<T>(items: T[], pageParam: unknown, perPageParam: unknown, perPageDefault: number) {
    const perPage = clampInt(perPageParam, perPageDefault, 1, 1000);
    const current = clampInt(pageParam, 1, 1, Number.MAX_SAFE_INTEGER);
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    return { slice: items.slice((current - 1) * perPage, current * perPage), perPage, current, pages, total: items.length };
  }

  /** A licence in the single-licence shape (nodejs-api-client LicenseGetFields), from the fixture. */
  function singleLicence(l: ArrowFixtureLicense) {
    const { id: _id, ...served } = l;
    return { vendor_code: '', statusCode: 86, ...served };
  }

  /** A licence as find answers it (PHP public-api-client testFind), from the fixture. */
  function foundLicence(l: ArrowFixtureLicense) {
    return {
      license: {
        id: licenceIds.get(l),
        partner_ref: l.license_id,
        friendly_name: l.friendlyName,
        customer_ref: l.customer_ref,
        customer_name: customersByRef.get(l.customer_ref)?.CompanyName ?? '',
        vendor_name: l.vendor_code ?? '',
        vendor_code: l.vendor_code ?? '',
        service_ref: l.service_ref,
        offer: l.name,
        sku: l.sku,
        seat: l.seats ?? null,
        status_code: l.state === 'suspended' ? 85 : 86,
        status_label: l.state ?? 'activation_ok',
        isEnabled: l.state !== 'suspended',
        price: { buy_price: 0, sell_price: 0, list_price: 0, currency: 'USD' },
      },
    };
  }

  /** Find's filters: a value or a list of values per field, or {gt, gte, lt, lte} for numbers. */
  function findMatches(filters: Record<string, unknown>) {
    const field = (l: ArrowFixtureLicense, name: string): unknown =>
      ({ 'license.customer_ref': l.customer_ref, 'license.partner_ref': l.license_id, 'license.id': licenceIds.get(l), 'license.vendor_code': l.vendor_code, 'license.sku': l.sku })[name];
    return (l: ArrowFixtureLicense) =>
      Object.entries(filters).every(([name, wanted]) => {
        const value = field(l, name);
        if (Array.isArray(wanted)) return wanted.includes(value);
        if (wanted && typeof wanted === 'object') {
          const range = wanted as { gt?: number; gte?: number; lt?: number; lte?: number };
          const n = Number(value);
          return (range.gt === undefined || n > range.gt) && (range.gte === undefined || n >= range.gte) && (range.lt === undefined || n < range.lt) && (range.lte === undefined || n <= range.lte);
        }
        return value === wanted;
      });
  }

  function answer(match: RouteMatch, params: URLSearchParams, body: string): [number, unknown] {
    switch (match.endpoint) {
      case 'whoami':
        return [200, { status: 200, data: { reference: fixture.partner.reference, companyName: fixture.partner.companyName } }];
      case 'customers': {
        // {status, data, pagination} with snake_case pagination and next/previous as URLs (PHP testGetCustomers)
        const p = page(fixture.customers, params.get('page'), params.get('per_page'), CUSTOMERS_PER_PAGE);
        const link = (n: number) => `/customers?per_page=${p.perPage}&page=${n}`;
        const pagination = { per_page: p.perPage, current_page: p.current, total_page: p.pages, total: p.total, next: p.current < p.pages ? link(p.current + 1) : null, previous: p.current > 1 ? link(p.current - 1) : null };
        return [200, { status: 200, data: { customers: p.slice }, pagination }];
      }
      case 'customer': {
        const customer = customersByRef.get(match.ref!);
        if (!customer) return [404, { status: 404, error: 'Not Found', messages: [`Customer ${match.ref} not found`] }];
        return [200, { status: 200, data: { customers: [customer] } }];
      }
      case 'customerLicenses': {
        if (!customersByRef.has(match.ref!)) return [404, { status: 404, error: 'Not Found', messages: [`Customer ${match.ref} not found`] }];
        return [200, { status: 200, data: { licenses: fixture.licenses.filter((l) => l.customer_ref === match.ref).map(singleLicence) } }];
      }
      case 'licensesFind': {
        // no envelope: results, filters and pagination at the top, totalPage singular (PHP testFind)
        const request = JSON.parse(body || '{}') as { filters?: Record<string, unknown> };
        const p0 = clampInt(params.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
        if (p0 > FIND_LAST_PAGE) return [400, { status: 400, error: 'Bad Request', messages: [`Result window is too large: past page ${FIND_LAST_PAGE}, search after the last license.id`] }];
        const matching = fixture.licenses.filter(findMatches(request.filters ?? {})).sort((a, b) => licenceIds.get(a)! - licenceIds.get(b)!);
        const p = page(matching, params.get('page'), params.get('per_page'), FIND_PER_PAGE);
        const link = (n: number) => `/licenses/v2/find?per_page=${p.perPage}&page=${n}`;
        const pagination = { perPage: p.perPage, currentPage: p.current, totalPage: p.pages, total: p.total, next: p.current < p.pages ? link(p.current + 1) : null, previous: p.current > 1 ? link(p.current - 1) : null };
        return [200, { results: p.slice.map(foundLicence), filters: [], pagination }];
      }
      case 'programs': {
        // {status, data[], pagination} as PHP ProgramClientTest shows it (snake_case pagination, as customers')
        const vendors = [...new Set(fixture.licenses.map((l) => l.vendor_code).filter((v): v is string => !!v))].sort();
        const programs = fixture.programs?.[match.ref!] ?? (match.ref === 'IAAS' ? vendors.map((name) => ({ reference: name.toLowerCase().replace(/\W+/g, '-'), name })) : []);
        const p = page(programs, params.get('page'), params.get('per_page'), 100);
        const link = (n: number) => `/catalog/categories/${match.ref}/programs?per_page=${p.perPage}&page=${n}`;
        const pagination = { per_page: p.perPage, current_page: p.current, total_page: p.pages, total: p.total, next: p.current < p.pages ? link(p.current + 1) : null, previous: p.current > 1 ? link(p.current - 1) : null };
        return [200, { status: 200, data: p.slice.map((x) => ({ ...x, category: match.ref })), pagination }];
      }
      case 'exportTypes':
        // the real answer: billing's {code, message, data} envelope and a map of reference → name
        return [200, { code: 0, message: 'success', data: { exportTypes: Object.fromEntries((fixture.exportTypes ?? []).map((t) => [t.reference, t.name])) } }];
      case 'billingExport': {
        // billing's {code, message, data, pagination} with camelCase pagination (PHP ErpExportsClient);
        // the page and its size may come in the query (PHP) or the body (Waldur)
        const request = JSON.parse(body || '{}') as { exportTypeReference?: string; filters?: { reportPeriod?: { from?: string; to?: string }; customerXspRefs?: string[] }; page?: number; perPage?: number };
        const known = (fixture.exportTypes ?? []).some((t) => t.reference === request.exportTypeReference);
        if (!known) return [400, { code: 400, message: `Unknown export type ${request.exportTypeReference ?? ''}`, status: 400, error: 'Bad Request', messages: [`Unknown export type ${request.exportTypeReference ?? ''}`] }];
        const from = (request.filters?.reportPeriod?.from ?? '0000-00').slice(0, 7);
        const to = (request.filters?.reportPeriod?.to ?? '9999-99').slice(0, 7);
        const customers = request.filters?.customerXspRefs ? new Set(request.filters.customerXspRefs) : null;
        const rows = Object.entries(fixture.billing ?? {})
          .filter(([period]) => period >= from && period <= to)
          .sort(([a], [b]) => a.localeCompare(b))
          .flatMap(([, r]) => r)
          .filter((row) => !customers || customers.has(String(row['End User Company ID'] ?? '')));
        const headers = unionHeaders(BILLING_HEADERS, rows);
        const p = page(rows, params.get('page') ?? request.page, params.get('perPage') ?? request.perPage, BILLING_PER_PAGE);
        const link = (n: number) => `/billing/erp/exports/sync?page=${n}&perPage=${p.perPage}`;
        const pagination = { total: p.total, perPage: p.perPage, currentPage: p.current, totalPages: p.pages, prevUrl: p.current > 1 ? link(p.current - 1) : '', nextUrl: p.current < p.pages ? link(p.current + 1) : '' };
        return [200, { code: 0, message: 'success', data: { headers, values: p.slice.map((row) => headers.map((h) => row[h] ?? '')) }, pagination }];
      }
      case 'consumptionMonthly': {
        const from = params.get('reportPeriodStart') ?? params.get('billingMonthStart') ?? '0000-00';
        const to = params.get('reportPeriodEnd') ?? params.get('billingMonthEnd') ?? '9999-99';
        const byPeriod = fixture.consumption?.[match.ref!];
        if (!byPeriod && !fixture.licenses.some((l) => l.license_id === match.ref)) {
          return [404, { status: 404, error: 'Not Found', messages: [`License ${match.ref} not found`] }];
        }
        const lines = Object.entries(byPeriod ?? {})
          .filter(([period]) => period >= from.slice(0, 7) && period <= to.slice(0, 7))
          .flatMap(([, l]) => l);
        const headers = unionHeaders(CONSUMPTION_HEADERS, lines);
        return [200, { status: 200, data: { headers, lines: lines.map((line) => headers.map((h) => line[h] ?? '')) } }];
      }
      case 'consumptionPrediction': {
        // Waldur's backend reads data.values[] and sums every value's consumed figures
        const prediction = fixture.predictions?.[match.ref!];
        if (!prediction) return [404, { status: 404, error: 'Not Found', messages: [`No prediction for license ${match.ref}`] }];
        const values = (Array.isArray(prediction) ? prediction : [prediction]).map((consumed) => ({ granularity: params.get('granularity') ?? 'monthly', consumed }));
        return [200, { status: 200, data: { currency: 'EUR', values } }];
      }
    }
  }

  async function control(route: string, req: http.IncomingMessage, res: http.ServerResponse) {
    if (route === '/__sim/stats') {
      if (req.method === 'DELETE') (counts.clear(), (peak = inFlight));
      return sendJson(res, 200, { counts: Object.fromEntries(counts), total: [...counts.values()].reduce((a, b) => a + b, 0), peakInFlight: peak });
    }
    if (route === '/__sim/faults') {
      if (req.method === 'POST' || req.method === 'PUT') {
        try {
          const update = JSON.parse((await readBody(req)) || '{}') as Partial<Faults>;
          faults = { ...(req.method === 'PUT' ? NO_FAULTS : faults), ...update };
        } catch {
          return sendJson(res, 400, { error: 'faults must be a JSON object' });
        }
      }
      return sendJson(res, 200, faults);
    }
    sendJson(res, 404, { error: 'unknown control route' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // a port in use is the caller's to report
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => (server.off('error', reject), resolve()));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiUrl: `${url}/index.php/api/`,
    fixture,
    stats: () => Object.fromEntries(counts),
    peakInFlight: () => peak,
    resetStats: () => (counts.clear(), (peak = inFlight), undefined),
    setFaults: (update) => void (faults = { ...NO_FAULTS, ...update }),
    close: () => closeServer(server, hanging),
  };
}

interface RouteMatch {
  endpoint: Endpoint;
  ref?: string;
}

function matchRoute(method: string, route: string): RouteMatch | null {
  const path = route.replace(/\/+$/, '');
  let m: RegExpMatchArray | null;
  if (method === 'GET' && path === '/whoami') return { endpoint: 'whoami' };
  if (method === 'GET' && path === '/customers') return { endpoint: 'customers' };
  if (method === 'GET' && (m = path.match(/^\/customers\/([^/]+)$/))) return { endpoint: 'customer', ref: decodeURIComponent(m[1]!) };
  if (method === 'GET' && (m = path.match(/^\/customers\/([^/]+)\/licenses$/))) return { endpoint: 'customerLicenses', ref: decodeURIComponent(m[1]!) };
  if (method === 'POST' && path === '/licenses/v2/find') return { endpoint: 'licensesFind' };
  if (method === 'GET' && path === '/billing/erp/exports/types') return { endpoint: 'exportTypes' };
  if (method === 'GET' && (m = path.match(/^\/catalog\/categories\/([^/]+)\/programs$/))) return { endpoint: 'programs', ref: decodeURIComponent(m[1]!) };
  if (method === 'POST' && path === '/billing/erp/exports/sync') return { endpoint: 'billingExport' };
  if (method === 'GET' && (m = path.match(/^\/consumption\/monthly\/license\/([^/]+)$/))) return { endpoint: 'consumptionMonthly', ref: decodeURIComponent(m[1]!) };
  if (method === 'GET' && (m = path.match(/^\/consumption\/license\/([^/]+)\/prediction$/))) return { endpoint: 'consumptionPrediction', ref: decodeURIComponent(m[1]!) };
  return null;
}

function unionHeaders(base: readonly string[], rows: Record<string, unknown>[]): string[] {
  const headers = [...base];
  const seen = new Set(headers);
  for (const row of rows) for (const key of Object.keys(row)) if (!seen.has(key)) (seen.add(key), headers.push(key));
  return headers;
}

function clampInt(value: unknown, fallback: number, min: number, max: number) {
  const n = Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
