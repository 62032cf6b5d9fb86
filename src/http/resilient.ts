import { AsyncLocalStorage } from 'node:async_hooks';
import { fetch as undiciFetch } from 'undici';
import { checkUrlAddress, PrivateAddressRefused, publicOnlyDispatcher } from './address-policy.js';

/**
 * HTTP to an upstream that may fail (ArrowSphere, Waldur): a timeout per request and a deadline
 * per call (retries and the wait for a connection included), retries with exponential backoff and
 * jitter on 5xx, 429 (after Retry-After) and lost connections, at most `maxInFlight` requests at
 * once, and a circuit breaker that fails calls at once after repeated failures.
 */
export interface ResilientOptions {
  timeoutMs?: number;
  retries?: number;
  /** First backoff step; doubles per retry, with jitter. */
  retryBaseMs?: number;
  maxInFlight?: number;
  /** The most one call may take, retries and waits included (default: timeout + 5 s). */
  deadlineMs?: number;
  /** Consecutive failed calls (no answer, 429, 5xx) that open the circuit (default 5; 0: never). */
  breakerThreshold?: number;
  /** How long an open circuit fails calls at once before letting one through (default 30 s). */
  breakerCooldownMs?: number;
  /** Refuse loopback, private and link-local addresses (address-policy.ts); default: allowed (simulators, tests). */
  publicOnly?: boolean;
  /** The largest answer read (default 16 MiB); a larger one fails without being held. */
  maxBodyBytes?: number;
  /** Called once per HTTP request (metrics, tests). Never receives a credential. */
  onRequest?: (event: { endpoint: string; status: number; ms: number }) => void;
}

/** How an upstream names its failures: its error class, and the message its error bodies carry. */
export interface UpstreamDialect<E extends Error> {
  /** The upstream's name in messages ("Arrow", "Waldur"). */
  name: string;
  error(endpoint: string, status: number, message: string): E;
  describe(json: unknown): string | undefined;
}

export interface UpstreamAnswer {
  status: number;
  json: unknown;
  headers: Headers;
}

export class ResilientHttp<E extends Error> {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly limit: Semaphore;
  private readonly deadlineMs: number;
  private readonly breakerThreshold: number;
  private readonly breakerCooldownMs: number;
  private consecutiveFailures = 0;
  private openUntil = 0;

  constructor(
    private readonly dialect: UpstreamDialect<E>,
    private readonly options: ResilientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 200;
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

  /**
   * One call: a 2xx answer, or the upstream's error. `retry` false sends a write once (a retried
   * write is the caller's to make safe).
   */
  async call(endpoint: string, method: string, url: string, init: { headers?: Record<string, string>; body?: unknown; retry?: boolean } = {}): Promise<UpstreamAnswer> {
    if (this.circuitOpen) {
      throw this.dialect.error(endpoint, 0, `${this.dialect.name} is failing; not asking again for ${Math.ceil((this.openUntil - Date.now()) / 1000)} s (circuit open)`);
    }
    const deadline = Date.now() + this.deadlineMs;
    const retries = init.retry === false ? 0 : this.retries;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.limit
        .run(deadline, () => this.once(endpoint, method, url, init, Math.max(1, Math.min(this.timeoutMs, deadline - Date.now()))))
        .catch((err: unknown) => {
          if (err instanceof DeadlinePassed) return { ok: false as const, retryable: false, retryAfterMs: undefined, error: this.dialect.error(endpoint, 0, `no free connection to ${this.dialect.name} within ${this.deadlineMs} ms`) };
          throw err;
        });
      if (outcome.ok) {
        this.record(false);
        return outcome.answer;
      }
      const backoff = this.retryBaseMs * 2 ** attempt;
      const delay = outcome.retryAfterMs ?? backoff / 2 + Math.random() * backoff;
      if (!outcome.retryable || attempt >= retries || Date.now() + delay >= deadline) {
        this.record(outcome.retryable || (outcome.error as E & { status?: number }).status === 0);
        throw outcome.error;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async once(endpoint: string, method: string, url: string, init: { headers?: Record<string, string>; body?: unknown }, timeoutMs: number): Promise<
    { ok: true; answer: UpstreamAnswer } | { ok: false; error: E; retryable: boolean; retryAfterMs?: number }
  > {
    const started = performance.now();
    let status = 0;
    try {
      const request = {
        method,
        headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        // a redirect is never followed: the credentials in the headers would go with it
        redirect: 'manual' as const,
      };
      if (this.options.publicOnly) checkUrlAddress(url);
      const res = (this.options.publicOnly ? await undiciFetch(url, { ...request, dispatcher: publicOnlyDispatcher() }) : await fetch(url, request)) as Response;
      status = res.status;
      if (status >= 300 && status < 400) {
        void res.body?.cancel();
        return { ok: false, retryable: false, error: this.dialect.error(endpoint, status, `answered with a redirect, which is not followed (credentials go only to the URL they were saved with)`) };
      }
      const raw = await readCapped(res, this.options.maxBodyBytes ?? 16 * 1024 * 1024);
      if (raw === null) return { ok: false, retryable: false, error: this.dialect.error(endpoint, status, `answer larger than ${Math.round((this.options.maxBodyBytes ?? 16 * 1024 * 1024) / 1024 / 1024)} MiB, not read`) };
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : null;
      } catch {
        return { ok: false, retryable: false, error: this.dialect.error(endpoint, status, 'response is not valid JSON') };
      }
      if (res.ok) return { ok: true, answer: { status, json, headers: res.headers } };
      const error = this.dialect.error(endpoint, status, this.dialect.describe(json) ?? (res.statusText || 'error'));
      if (status === 429) return { ok: false, error, retryable: true, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
      return { ok: false, error, retryable: status >= 500 };
    } catch (err) {
      if (err instanceof PrivateAddressRefused) return { ok: false, retryable: false, error: this.dialect.error(endpoint, 0, err.message) };
      const e = err as Error & { cause?: { code?: string } };
      if (e.cause instanceof PrivateAddressRefused) return { ok: false, retryable: false, error: this.dialect.error(endpoint, 0, e.cause.message) };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        return { ok: false, retryable: false, error: this.dialect.error(endpoint, 0, `no answer within ${timeoutMs} ms`) };
      }
      const code = e.cause?.code ?? e.message;
      // a name no DNS knows, or a certificate refused, is the same on every try: not retried
      return { ok: false, retryable: !PERMANENT_CONNECTION_FAILURES.test(code), error: this.dialect.error(endpoint, 0, `connection failed (${code})`) };
    } finally {
      this.options.onRequest?.({ endpoint, status, ms: performance.now() - started });
    }
  }
}

/** The answer's text, or null when it is longer than `max` bytes (read no further). */
async function readCapped(res: Response, max: number): Promise<string | null> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) {
    void res.body?.cancel();
    return null;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** getaddrinfo's "no such name" and TLS's refusals (Node's and OpenSSL's codes). */
const PERMANENT_CONNECTION_FAILURES = /^(ENOTFOUND|EAI_FAIL|EAI_NONAME|ERR_TLS_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+|ERR_SSL_\w+)$/;

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.min(60_000, Math.max(0, seconds * 1000));
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.min(60_000, Math.max(0, date - Date.now())) : undefined;
}

class DeadlinePassed extends Error {}

/**
 * Work nobody is waiting to see (flows, the Waldur mirror's sync) runs inside `inBackground`: its
 * upstream requests wait behind those of requests someone is waiting for. A consumption sync asks
 * Arrow a thousand times; a screen asked after it began had waited for all of them (section 13
 * of the bench: every screen 9.7 s late while a sync ran).
 */
const background = new AsyncLocalStorage<boolean>();
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return background.run(true, fn);
}

/** Whether the caller is background work (inBackground). */
export function isBackground(): boolean {
  return background.getStore() === true;
}

/**
 * At most `max` calls at once; a call still queued at its deadline gives up its place. A turn that
 * frees goes to the longest waiting foreground call, else to background work's.
 */
class Semaphore {
  private active = 0;
  private readonly waiting = { foreground: [] as (() => void)[], background: [] as (() => void)[] };
  constructor(private readonly max: number) {}
  async run<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      const queue = background.getStore() ? this.waiting.background : this.waiting.foreground;
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(turn), 1);
          reject(new DeadlinePassed());
        }, Math.max(0, deadline - Date.now()));
        queue.push(turn);
      });
    } else this.active++;
    try {
      return await fn();
    } finally {
      // the turn passes on as it is (a caller arriving meanwhile cannot take it first)
      const next = this.waiting.foreground.shift() ?? this.waiting.background.shift();
      if (next) next();
      else this.active--;
    }
  }
}
