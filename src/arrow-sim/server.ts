import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BILLING_HEADERS, CONSUMPTION_HEADERS, type ArrowFixture } from './fixture.js';

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

export type PaginationStyle = 'total_page' | 'totalPages';

export type Endpoint =
  | 'whoami' | 'customers' | 'customer' | 'licenses' | 'exportTypes'
  | 'billingExport' | 'consumptionMonthly' | 'consumptionPrediction';

export interface SimulatorOptions {
  port?: number;
  host?: string;
  faults?: Partial<Faults>;
  paginationStyle?: PaginationStyle;
  /** Page size when the caller gives none (customers and licences), and of billing exports. */
  defaultPerPage?: number;
  billingPerPage?: number;
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
  setPaginationStyle(style: PaginationStyle): void;
  close(): Promise<void>;
}

const NO_FAULTS: Faults = {
  latencyMs: 0, errorRate: 0, rateLimitRate: 0, retryAfterSeconds: 1, hangRate: 0, malformedRate: 0, endpoints: [], times: null,
};

export async function startArrowSimulator(fixture: ArrowFixture, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  let faults: Faults = { ...NO_FAULTS, ...options.faults };
  let paginationStyle: PaginationStyle = options.paginationStyle ?? 'total_page';
  const defaultPerPage = options.defaultPerPage ?? 25;
  const billingPerPage = options.billingPerPage ?? 100;
  const counts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  let inFlight = 0;
  let peak = 0;
  let rngState = (options.seed ?? 42) >>> 0;
  const random = () => {
    // mulberry32: the same seed misbehaves the same way every run
    rngState = (rngState + 0x6d2b79f5) >>> 0;
    let t = rngState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const customersByRef = new Map(fixture.customers.map((c) => [c.Reference, c]));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const route = url.pathname.replace(/^\/index\.php/, '').replace(/^\/api/, '');
    if (route.startsWith('/__sim/')) return control(route, req, res);

    const match = matchRoute(req.method ?? 'GET', route);
    if (!match) return send(res, 404, { status: 404, error: 'Not Found', messages: [`No route ${req.method} ${route}`] });
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
        return send(res, 429, { status: 429, error: 'Too Many Requests', messages: ['Rate limit exceeded'] });
      }
      edge += faults.errorRate;
      if (draw < edge) {
        consumeFault();
        const status = counts.get(match.endpoint)! % 2 ? 503 : 500;
        return send(res, status, { status, error: status === 503 ? 'Service Unavailable' : 'Internal Server Error', messages: ['Upstream failure'] });
      }
      edge += faults.malformedRate;
      if (draw < edge) {
        consumeFault();
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"status": 200, "data": {"customers": [');
      }
    }
    if (req.headers['apikey'] !== fixture.apiKey) {
      return send(res, 401, { status: 401, error: 'Unauthorized', messages: ['Your API key is not valid'] });
    }
    try {
      const [status, payload] = answer(match, url.searchParams, body);
      send(res, status, payload);
    } catch {
      send(res, 400, { status: 400, error: 'Bad Request', messages: ['Malformed request body'] });
    }
  });

  function faultApplies(endpoint: Endpoint) {
    if (faults.times !== null && faults.times <= 0) return false;
    return faults.endpoints.length === 0 || faults.endpoints.includes(endpoint);
  }
  function consumeFault() {
    if (faults.times !== null) faults.times -= 1;
  }

  function paginate<T>(items: T[], params: URLSearchParams, perPageDefault: number) {
    const perPage = clampInt(params.get('per_page') ?? params.get('perPage'), perPageDefault, 1, 1000);
    const page = clampInt(params.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const pagination =
      paginationStyle === 'total_page'
        ? { per_page: perPage, current_page: page, total_page: pages, total: items.length, next: page < pages ? page + 1 : null, previous: page > 1 ? page - 1 : null }
        : { perPage, currentPage: page, totalPages: pages, total: items.length };
    return { slice, pagination };
  }

  function answer(match: RouteMatch, params: URLSearchParams, body: string): [number, unknown] {
    switch (match.endpoint) {
      case 'whoami':
        return [200, { status: 200, data: { reference: fixture.partner.reference, companyName: fixture.partner.companyName } }];
      case 'customers': {
        const { slice, pagination } = paginate(fixture.customers, params, defaultPerPage);
        return [200, { status: 200, data: { customers: slice }, pagination }];
      }
      case 'customer': {
        const customer = customersByRef.get(match.ref!);
        if (!customer) return [404, { status: 404, error: 'Not Found', messages: [`Customer ${match.ref} not found`] }];
        return [200, { status: 200, data: { customers: [customer] } }];
      }
      case 'licenses': {
        const { slice, pagination } = paginate(fixture.licenses, params, defaultPerPage);
        return [200, { status: 200, data: { licenses: slice }, pagination }];
      }
      case 'exportTypes':
        return [200, { status: 200, data: { exportTypes: fixture.exportTypes ?? [] } }];
      case 'billingExport': {
        const request = JSON.parse(body || '{}') as { exportTypeReference?: string; filters?: { reportPeriod?: { from?: string; to?: string } }; page?: number };
        const known = (fixture.exportTypes ?? []).some((t) => t.reference === request.exportTypeReference);
        if (!known) return [400, { status: 400, error: 'Bad Request', messages: [`Unknown export type ${request.exportTypeReference ?? ''}`] }];
        const from = (request.filters?.reportPeriod?.from ?? '0000-00').slice(0, 7);
        const to = (request.filters?.reportPeriod?.to ?? '9999-99').slice(0, 7);
        const rows = Object.entries(fixture.billing ?? {})
          .filter(([period]) => period >= from && period <= to)
          .sort(([a], [b]) => a.localeCompare(b))
          .flatMap(([, r]) => r);
        const headers = unionHeaders(BILLING_HEADERS, rows);
        const pageParams = new URLSearchParams({ page: String(request.page ?? 1), per_page: String(billingPerPage) });
        const { slice, pagination } = paginate(rows, pageParams, billingPerPage);
        return [200, { status: 200, data: { headers, values: slice.map((row) => headers.map((h) => row[h] ?? '')) }, pagination }];
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
        const prediction = fixture.predictions?.[match.ref!];
        if (!prediction) return [404, { status: 404, error: 'Not Found', messages: [`No prediction for license ${match.ref}`] }];
        return [200, { status: 200, data: { values: [{ granularity: params.get('granularity') ?? 'monthly', consumed: prediction }] } }];
      }
    }
  }

  async function control(route: string, req: http.IncomingMessage, res: http.ServerResponse) {
    if (route === '/__sim/stats') {
      if (req.method === 'DELETE') (counts.clear(), (peak = inFlight));
      return send(res, 200, { counts: Object.fromEntries(counts), total: [...counts.values()].reduce((a, b) => a + b, 0), peakInFlight: peak });
    }
    if (route === '/__sim/faults') {
      if (req.method === 'POST' || req.method === 'PUT') {
        try {
          const update = JSON.parse((await readBody(req)) || '{}') as Partial<Faults> & { paginationStyle?: PaginationStyle };
          if (update.paginationStyle) paginationStyle = update.paginationStyle;
          faults = { ...(req.method === 'PUT' ? NO_FAULTS : faults), ...update };
        } catch {
          return send(res, 400, { error: 'faults must be a JSON object' });
        }
      }
      return send(res, 200, { ...faults, paginationStyle });
    }
    send(res, 404, { error: 'unknown control route' });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
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
    setPaginationStyle: (style) => void (paginationStyle = style),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
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
  if (method === 'GET' && path === '/licenses') return { endpoint: 'licenses' };
  if (method === 'GET' && path === '/billing/erp/exports/types') return { endpoint: 'exportTypes' };
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

function clampInt(value: string | null, fallback: number, min: number, max: number) {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}
