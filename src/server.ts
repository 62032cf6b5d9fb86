import http from 'node:http';
import type { Database } from './db/database.js';
import type { ArrowSource } from './domain/arrow-source.js';
import type { WaldurClient } from './waldur/client.js';
import { createGraphQLHandler } from './graphql/yoga.js';
import { handleRest, isRestPath } from './rest/router.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { pendingMigrations } from './db/migrate.js';
import crypto from 'node:crypto';
import { createLogger, type Logger } from './observability/logger.js';
import { originAllowed, RateLimiter, rateLimitKey } from './http-guards.js';
import { MAX_BODY_BYTES } from './rest/http.js';
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
  const yoga = createGraphQLHandler({ db: deps.db, arrow: deps.arrow, waldur: deps.waldur, maxPageSize: deps.maxPageSize, maxConcurrentExecutions: deps.maxConcurrentExecutions, metrics, logger, responseCache: deps.responseCache, background, trustedDocumentsOnly: deps.trustedDocumentsOnly });
  const limiter = new RateLimiter(deps.rateLimitPerMinute ?? 0);
  const readiness = readinessProbe(deps.db, deps.notReady ?? (() => null));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routeOf(path);
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    const end = metrics.httpDuration.startTimer({ route });
    res.on('finish', () => {
      end();
      metrics.httpRequests.inc({ route, status: String(res.statusCode) });
      logger.info({ reqId: requestId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (route === 'graphql' || route === 'rest') {
      if (!originAllowed(req, deps.allowedOrigins ?? [])) {
        return json(res, 403, { detail: `Cross-origin request refused: origin ${String(req.headers.origin)} is not the gateway's own nor listed in ALLOWED_ORIGINS.` });
      }
      const wait = limiter.take(rateLimitKey(req));
      if (wait > 0) {
        res.setHeader('retry-after', String(wait));
        return json(res, 429, { detail: `Request was throttled. Expected available in ${wait} seconds.` });
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return json(res, 413, { detail: 'Request body too large.' });
    }
    if (path === '/readyz') return void readiness().then(([status, body]) => json(res, status, body));
    if (path === '/metrics') {
      return void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
    }
    if (isRestPath(path)) return void handleRest(req, res, { db: deps.db, prisma: deps.db.prisma, arrow: deps.arrow, waldur: deps.waldur, publicBaseUrl: deps.publicBaseUrl, logger, background });
    if (route === 'other' && serveConsole(req, res, path)) return;
    return yoga(req, res);
  });
  server.on('close', stopCounting);
  return { server, yoga, metrics, background };
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
