import type { z } from 'zod';
import * as wire from './wire.js';

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

export interface ArrowClientOptions {
  apiUrl: string;
  apiKey: string;
  timeoutMs?: number;
  retries?: number;
  /** First backoff step; doubles per retry, with jitter. */
  retryBaseMs?: number;
  maxInFlight?: number;
  perPage?: number;
  /** The most one call may take, retries and waits included (default: timeout + 5 s). */
  deadlineMs?: number;
  /** Consecutive failed calls (no answer, 429, 5xx) that open the circuit (default 5; 0: never). */
  breakerThreshold?: number;
  /** How long an open circuit fails calls at once before letting one through (default 30 s). */
  breakerCooldownMs?: number;
  /** Called once per HTTP request (metrics, tests). Never receives the key. */
  onRequest?: (event: { endpoint: string; status: number; ms: number }) => void;
}

export interface BillingExportQuery {
  exportTypeReference: string;
  from: string;
  to: string;
}

export interface BillingExport {
  headers: string[];
  rows: Record<string, string>[];
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
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly perPage: number;
  private readonly limit: Semaphore;
  private readonly deadlineMs: number;
  private readonly breakerThreshold: number;
  private readonly breakerCooldownMs: number;
  private consecutiveFailures = 0;
  private openUntil = 0;

  constructor(private readonly options: ArrowClientOptions) {
    this.base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.perPage = options.perPage ?? 100;
    this.limit = new Semaphore(options.maxInFlight ?? 8);
    this.deadlineMs = options.deadlineMs ?? this.timeoutMs + 5000;
    this.breakerThreshold = options.breakerThreshold ?? 5;
    this.breakerCooldownMs = options.breakerCooldownMs ?? 30_000;
  }

  /** Whether calls currently fail at once (the circuit is open). */
  get circuitOpen(): boolean {
    return Date.now() < this.openUntil;
  }

  /** Counts a call's outcome; enough failures in a row open the circuit for the cool-down. */
  private record(failedUpstream: boolean) {
    if (!failedUpstream) {
      this.consecutiveFailures = 0;
      return;
    }
    this.consecutiveFailures++;
    if (this.breakerThreshold > 0 && this.consecutiveFailures >= this.breakerThreshold) {
      this.openUntil = Date.now() + this.breakerCooldownMs;
      this.consecutiveFailures = this.breakerThreshold - 1; // after the cool-down one more failure reopens it
    }
  }

  async whoami() {
    const body = await this.request('whoami', 'GET', 'whoami', wire.whoami);
    return { reference: body.data.reference, companyName: body.data.companyName };
  }

  listCustomers() {
    return this.allPages('customers', (page) => this.request('customers', 'GET', `customers?page=${page}&per_page=${this.perPage}`, wire.customersPage), (b) => b.data.customers);
  }

  async getCustomer(reference: string) {
    const body = await this.request('customer', 'GET', `customers/${encodeURIComponent(reference)}`, wire.customersPage.partial({ pagination: true }));
    const found = body.data.customers[0];
    if (!found) throw new ArrowApiError('customer', 404, `Customer ${reference} not found`);
    return found;
  }

  listLicenses() {
    return this.allPages('licenses', (page) => this.request('licenses', 'GET', `licenses?page=${page}&per_page=${this.perPage}`, wire.licensesPage), (b) => b.data.licenses);
  }

  async exportTypes() {
    const body = await this.request('exportTypes', 'GET', 'billing/erp/exports/types', wire.exportTypes);
    return body.data.exportTypes.map((t) => ({ reference: t.reference, name: t.name }));
  }

  async billingExport(query: BillingExportQuery): Promise<BillingExport> {
    let headers: string[] = [];
    const rows = await this.allPages(
      'billingExport',
      (page) =>
        this.request('billingExport', 'POST', 'billing/erp/exports/sync', wire.billingPage, {
          exportTypeReference: query.exportTypeReference,
          filters: { reportPeriod: { from: query.from, to: query.to } },
          page,
        }),
      (b) => {
        if (!headers.length) headers = b.data.headers;
        return wire.rowsByHeader(b.data.headers, b.data.values);
      },
    );
    return { headers, rows };
  }

  /** One licence's consumption lines for one month (YYYY-MM). */
  async monthlyConsumption(licenseReference: string, period: string): Promise<ConsumptionLines> {
    const q = `reportPeriodStart=${period}&reportPeriodEnd=${period}`;
    const body = await this.request('consumptionMonthly', 'GET', `consumption/monthly/license/${encodeURIComponent(licenseReference)}?${q}`, wire.consumption);
    return { headers: body.data.headers, lines: wire.rowsByHeader(body.data.headers, body.data.lines) };
  }

  async consumptionPrediction(licenseReference: string): Promise<{ sell: string; buy: string }> {
    const body = await this.request('consumptionPrediction', 'GET', `consumption/license/${encodeURIComponent(licenseReference)}/prediction?granularity=monthly`, wire.prediction);
    const first = body.data.values[0];
    if (!first) throw new ArrowApiError('consumptionPrediction', 200, `No prediction for ${licenseReference}`);
    return first.consumed;
  }

  /** Page 1 says how many pages there are; the rest are fetched concurrently (bounded by the semaphore). */
  private async allPages<B extends { pagination: number }, T>(_endpoint: string, fetchPage: (page: number) => Promise<B>, items: (body: B) => T[]): Promise<T[]> {
    const first = await fetchPage(1);
    const pages = Math.max(1, first.pagination);
    const rest = await Promise.all(Array.from({ length: pages - 1 }, (_, i) => fetchPage(i + 2)));
    return [first, ...rest].flatMap(items);
  }

  private async request<S extends z.ZodTypeAny>(endpoint: string, method: 'GET' | 'POST', path: string, shape: S, body?: unknown): Promise<z.output<S>> {
    if (this.circuitOpen) {
      throw new ArrowApiError(endpoint, 0, `Arrow is failing; not asking again for ${Math.ceil((this.openUntil - Date.now()) / 1000)} s (circuit open)`);
    }
    const deadline = Date.now() + this.deadlineMs;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.limit
        .run(deadline, () => this.once(endpoint, method, path, body, Math.max(1, Math.min(this.timeoutMs, deadline - Date.now()))))
        .catch((err: unknown) => {
          if (err instanceof DeadlinePassed) return { ok: false as const, retryable: false, retryAfterMs: undefined, error: new ArrowApiError(endpoint, 0, `no free connection to Arrow within ${this.deadlineMs} ms`) };
          throw err;
        });
      if (outcome.ok) {
        this.record(false);
        const parsed = shape.safeParse(outcome.json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ArrowApiError(endpoint, outcome.status, `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
        }
        return parsed.data;
      }
      const error = outcome.error;
      const backoff = this.retryBaseMs * 2 ** attempt;
      const delay = outcome.retryAfterMs ?? backoff / 2 + Math.random() * backoff;
      if (!outcome.retryable || attempt >= this.retries || Date.now() + delay >= deadline) {
        this.record(outcome.retryable || error.status === 0);
        throw error;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async once(endpoint: string, method: string, path: string, body: unknown, timeoutMs: number): Promise<
    | { ok: true; status: number; json: unknown }
    | { ok: false; error: ArrowApiError; retryable: boolean; retryAfterMs?: number }
  > {
    const started = performance.now();
    let status = 0;
    try {
      const res = await fetch(this.base + path, {
        method,
        headers: { apiKey: this.options.apiKey, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      const raw = await res.text();
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : null;
      } catch {
        return { ok: false, retryable: false, error: new ArrowApiError(endpoint, status, 'response is not valid JSON') };
      }
      if (res.ok) return { ok: true, status, json };
      const message = describeError(json) ?? res.statusText ?? 'error';
      const error = new ArrowApiError(endpoint, status, message);
      if (status === 429) return { ok: false, error, retryable: true, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
      return { ok: false, error, retryable: status >= 500 };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        return { ok: false, retryable: false, error: new ArrowApiError(endpoint, 0, `no answer within ${timeoutMs} ms`) };
      }
      return { ok: false, retryable: true, error: new ArrowApiError(endpoint, 0, `connection failed (${e.cause?.code ?? e.message})`) };
    } finally {
      this.options.onRequest?.({ endpoint, status, ms: performance.now() - started });
    }
  }
}

function describeError(json: unknown): string | undefined {
  const parsed = wire.errorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const { messages, message, error } = parsed.data;
  return [error, message, ...(messages ?? [])].filter(Boolean).join(': ') || undefined;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.min(60_000, Math.max(0, seconds * 1000));
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.min(60_000, Math.max(0, date - Date.now())) : undefined;
}

class DeadlinePassed extends Error {}

/** At most `max` calls at once; a call still queued at its deadline gives up its place. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(turn), 1);
          reject(new DeadlinePassed());
        }, Math.max(0, deadline - Date.now()));
        this.waiting.push(turn);
      });
    }
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
