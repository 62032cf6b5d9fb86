import fs from 'node:fs';
import http from 'node:http';
import { builtGraphiQLPage } from './graphql/graphiql.js';
import { topLevelStringLength } from './http/json-scan.js';
import type { Database } from './db/database.js';
import type { ArrowSource } from './domain/arrow-source.js';
import type { WaldurClient } from './waldur/client.js';
import { createGraphQLHandler, requestContext, UNSUPPORTED_MEDIA_TYPE } from './graphql/yoga.js';
import { requestActors } from './domain/audit.js';
import { handleRest, isRestPath } from './rest/router.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { pendingMigrations } from './db/migrate.js';
import crypto from 'node:crypto';
import { createLogger, type Logger } from './observability/logger.js';
import { metricsAllowed, originAllowed, RateLimiter, rateLimitWait } from './http-guards.js';
import { DOCUMENT_LIMITS, queryTooLong, type IntrospectionAccess } from './graphql/document-limits.js';
import { MAX_BODY_BYTES, validHost } from './rest/http.js';
import { BackgroundWork } from './domain/background.js';
import { serveConsole } from './http/console.js';

export interface GatewayDeps {
  db: Database;
  arrow: ArrowSource;
  /** The Waldur the gateway mirrors and writes through to. */
  waldur: WaldurClient;
  maxPageSize?: number;
  /** GraphQL executions running at once; the rest wait their turn. */
  maxConcurrentExecutions?: number;
  publicBaseUrl?: string;
  metrics?: Metrics;
  logger?: Logger;
  /** Requests per minute per token (0: no limit). */
  rateLimitPerMinute?: number;
  /** Why the gateway cannot serve yet besides the database (the first Waldur sync), or null. */
  notReady?: () => string | null;
  /** Browser origins besides the gateway's own that may call it. */
  allowedOrigins?: string[];
  /** Where the 202 actions run their flows (one per process; awaited on shutdown). */
  background?: BackgroundWork;
  /** Keep whole GraphQL query answers while the data they show stands (off when absent). */
  responseCache?: { entries: number; maxAgeMs: number };
  /** GraphQL takes only the console's trusted documents, plus any document from a staff token. */
  trustedDocumentsOnly?: boolean;
  /** Honour X-Forwarded-Proto/-Host in REST hyperlinks (TRUST_PROXY: a proxy in front sets them). */
  trustProxy?: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <this>`. */
  metricsToken?: string;
  /** Who may ask for the schema (INTROSPECTION). */
  introspection?: IntrospectionAccess;
}

function routeOf(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/api/')) return 'rest';
  if (['/metrics', '/healthz', '/readyz'].includes(path)) return path.slice(1);
  return 'other';
}

/** One node:http server: /graphql (Yoga), Waldur's REST paths under /api/, metrics and probes. */
export function createGateway(deps: GatewayDeps) {
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false });
  const stopCounting = deps.db.onQuery(() => metrics.sqlStatements.inc());
  const logger = deps.logger ?? createLogger('silent');
  const background = deps.background ?? new BackgroundWork(logger);
  const yoga = createGraphQLHandler({ db: deps.db, arrow: deps.arrow, waldur: deps.waldur, maxPageSize: deps.maxPageSize, maxConcurrentExecutions: deps.maxConcurrentExecutions, metrics, logger, responseCache: deps.responseCache, background, trustedDocumentsOnly: deps.trustedDocumentsOnly, introspection: deps.introspection });
  const limiter = new RateLimiter(deps.rateLimitPerMinute ?? 0);
  const restDeps = { db: deps.db, prisma: deps.db.prisma, arrow: deps.arrow, waldur: deps.waldur, publicBaseUrl: deps.publicBaseUrl, trustProxy: deps.trustProxy, logger, background };
  const readiness = readinessProbe(deps.db, deps.notReady ?? (() => null));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routeOf(path);
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    res.setHeader('x-request-id', requestId);
    // every answer: never sniffed as another type, never framed by another site
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    req.headers['x-request-id'] = requestId; // read by the REST log lines and GraphQL's masked-error log
    const started = performance.now();
    const end = metrics.httpDuration.startTimer({ route });
    res.on('finish', () => {
      end();
      metrics.httpRequests.inc({ route, status: String(res.statusCode) });
      logger.info({ reqId: requestId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started), ...(requestActors.has(req) ? { user: requestActors.get(req) } : {}) }, 'request');
    });
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.headers.host !== undefined && !validHost(req.headers.host)) return json(res, 400, { detail: 'Bad Host header.' });
    if (route === 'graphql' || route === 'rest') {
      if (!originAllowed(req, deps.allowedOrigins ?? [], deps.publicBaseUrl)) {
        return json(res, 403, { detail: `Cross-origin request refused: origin ${String(req.headers.origin)} is not the gateway's own nor listed in ALLOWED_ORIGINS.` });
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return json(res, 413, { detail: 'Request body too large.' });
      if (limiter.enabled) {
        return void rateLimitWait(limiter, req, deps.db.prisma).then((wait) => {
          if (wait <= 0) return route === 'graphql' ? serveGraphQL(req, res, yoga, logger) : handleRest(req, res, restDeps);
          res.setHeader('retry-after', String(wait));
          json(res, 429, { detail: `Request was throttled. Expected available in ${wait} seconds.` });
        });
      }
    }
    if (path === '/readyz') return void readiness().then(([status, body]) => json(res, status, body));
    if (path === '/metrics') {
      if (!metricsAllowed(req, deps.metricsToken)) return json(res, 401, { detail: 'Send METRICS_TOKEN as "Authorization: Bearer <token>" to read the metrics.' });
      return void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
    }
    if (isRestPath(path)) return void handleRest(req, res, restDeps);
    if (route === 'other' && serveConsole(req, res, path)) return;
    // only the exact path reaches Yoga (it would answer any path ending in "graphql", past the guards above)
    if (route !== 'graphql') return json(res, 404, { detail: 'Not found.' });
    return void serveGraphQL(req, res, yoga, logger);
  });
  server.on('close', stopCounting);
  return { server, yoga, metrics, background };
}

/** GraphiQL's page is served offline with its scripts and styles inline; it calls only this origin and may be framed by nobody. */
const GRAPHIQL_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A GraphQL request's body is read here, counted as it arrives (a chunked body declares no
 * length), before Yoga sees it; only JSON (and GraphQL text) is taken: a form-encoded or
 * multipart POST is what a cross-site page can send without a preflight.
 */
async function serveGraphQL(req: http.IncomingMessage, res: http.ServerResponse, yoga: ReturnType<typeof createGraphQLHandler>, logger: Logger) {
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && type !== 'application/graphql-response+json' && type !== 'application/graphql') {
      req.resume();
      return json(res, 415, { errors: [{ message: UNSUPPORTED_MEDIA_TYPE, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) {
          res.setHeader('connection', 'close');
          return json(res, 413, { detail: 'Request body too large.' });
        }
        chunks.push(chunk as Buffer);
      }
    } catch {
      return; // the client went away mid-body
    }
    // whatwg-node takes an already-read body from req.body instead of the (now consumed) stream;
    // a JSON object is parsed once, here, and handed over parsed (Yoga's request.json() answers it)
    const body = Buffer.concat(chunks);
    // a document over the limit is refused off the bytes, before any string of its size is made
    if (body.length > DOCUMENT_LIMITS.bytes && (topLevelStringLength(body, 'query') ?? 0) > DOCUMENT_LIMITS.bytes) {
      return json(res, 400, { errors: [{ message: queryTooLong(), extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
    }
    const parsed = type === 'application/json' ? jsonObject(body) : null;
    (req as http.IncomingMessage & { body?: unknown }).body = parsed ?? body;
  }
  // GraphiQL's page (a GET asking for HTML) runs its own inline scripts and talks only to us
  if (req.method === 'GET' && req.headers.accept?.includes('text/html')) {
    res.setHeader('content-security-policy', GRAPHIQL_CSP);
    const page = builtGraphiQLPage();
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      return void fs.createReadStream(page).on('error', () => res.destroy()).pipe(res);
    }
  }
  return requestContext.run({ requestId: String(req.headers['x-request-id'] ?? ''), logger }, () => yoga(req, res));
}

/** A JSON object with at least one key, or null (anything else is Yoga's to refuse in its own words). */
function jsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Ready when the database answers, every migration is applied and nothing else holds it back (the first Waldur sync). */
function readinessProbe(db: Database, notReady: () => string | null): () => Promise<[number, unknown]> {
  // migrations only move forward: once all are applied, probes need not read them again
  let migrated = false;
  return async () => {
    try {
      await db.prisma.$queryRawUnsafe('SELECT 1');
      if (!migrated) {
        const pending = await pendingMigrations(db);
        if (pending.length) return [503, { status: 'migrations pending', pending }];
        migrated = true;
      }
      const reason = notReady();
      if (reason) return [503, { status: reason }];
      return [200, { status: 'ready' }];
    } catch {
      return [503, { status: 'database unreachable' }];
    }
  };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
