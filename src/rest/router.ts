import type http from 'node:http';
import type { Prisma } from '../db/database.js';
import type { ArrowSource } from '../domain/arrow-source.js';
import { ArrowUnavailableError, ConflictError, DomainError, isFromWaldur, NotFoundError, ValidationError, WaldurUnavailableError } from '../domain/errors.js';
import { viewerFrom, credentialsSent } from '../graphql/context.js';
import { actorLabel, auditTarget, recordAudit, requestActors } from '../domain/audit.js';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../db/unavailable.js';
import { baseUrlOf, readJsonBody, refuseNulParameters, RestError, sendJson } from './http.js';
import { Links } from './serializers.js';
import { mappingRoutes } from './mappings.js';
import { lookupRoutes } from './lookups.js';
import { settingsRoutes } from './settings.js';
import { vendorMappingRoutes } from './vendor-mappings.js';
import { billingRoutes } from './billing.js';
import { billingActionRoutes } from './billing-actions.js';

export interface RestDeps {
  logger?: import('../observability/logger.js').Logger;
  db: import('../db/database.js').Database;
  prisma: Prisma;
  background: import('../domain/background.js').BackgroundWork;
  arrow: ArrowSource;
  waldur: import('../waldur/client.js').WaldurClient;
  publicBaseUrl?: string;
  /** Honour X-Forwarded-Proto/-Host (a proxy in front sets them; nobody else may). */
  trustProxy?: boolean;
  /** The request's id, for the log line of an unexpected error. */
  requestId?: string;
}

export interface RestRequest {
  req: http.IncomingMessage;
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  links: Links;
  /** The full URL asked for, for pagination links. */
  url: URL;
  viewerUuid: string;
  body(): Promise<Record<string, unknown>>;
}

export interface RestAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Path with `:name` placeholders; a trailing slash is optional. */
  path: string;
  handle(r: RestRequest, deps: RestDeps): Promise<RestAnswer>;
  /** How this action words its failures (Waldur's actions answer `{"error": …}`). */
  errorStyle?: 'error' | 'detail';
}

const routes: { route: Route; pattern: RegExp; names: string[] }[] = [...mappingRoutes, ...settingsRoutes, ...vendorMappingRoutes, ...billingActionRoutes, ...billingRoutes, ...lookupRoutes].map((route) => {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/\/$/, '').replace(/:(\w+)/g, (_m, name: string) => (names.push(name), '([^/]+)'))}/?$`,
  );
  return { route, pattern, names };
});

export function isRestPath(path: string) {
  return path.startsWith('/api/');
}

/**
 * Waldur-compatible REST: authenticate (401/403 with `{"detail"}`), route, call the domain through
 * the route's handler, and turn domain errors into Waldur's status codes and bodies.
 */
export async function handleRest(req: http.IncomingMessage, res: http.ServerResponse, deps: RestDeps) {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const headOnly = req.method === 'HEAD';
  try {
    const matches = routes.map((r) => ({ r, m: url.pathname.match(r.pattern) })).filter((x) => x.m);
    if (!matches.length) throw new RestError(404, { detail: 'Not found.' });
    const header = req.headers.authorization;
    if (!credentialsSent(header)) throw new RestError(401, { detail: 'Authentication credentials were not provided.' });
    const viewer = await viewerFrom(deps.prisma, header, deps.waldur).catch((err: unknown) => {
      if (err instanceof WaldurUnavailableError) throw new RestError(503, { detail: err.message }, { 'retry-after': String(err.retryAfterSeconds) });
      throw err;
    });
    if (!viewer) throw new RestError(401, { detail: 'Invalid token.' });
    requestActors.set(req, actorLabel(viewer));
    if (!viewer.isStaff && !viewer.isSupport) throw new RestError(403, { detail: 'You do not have permission to perform this action.' });
    // Waldur's support users read; every write is staff's
    if (!viewer.isStaff && method !== 'GET') throw new RestError(403, { detail: 'Support users may read everything and change nothing.' });
    const hit = matches.find((x) => x.r.route.method === method);
    if (!hit) throw new RestError(405, { detail: `Method "${req.method}" not allowed.` });
    refuseNulParameters(url.searchParams);
    const params = Object.fromEntries(hit.r.names.map((n, i) => [n, decodePathPart(hit.m![i + 1]!)]));
    const base = baseUrlOf(req, deps.publicBaseUrl, deps.trustProxy);
    let body: unknown;
    // a write is recorded in the audit log once it has ended, with the identifiers of its path and body
    const audit = (outcome: string) =>
      method === 'GET'
        ? Promise.resolve()
        : recordAudit(deps.prisma, [{ viewer, operation: `${method} ${hit.r.route.path}`, target: auditTarget({ ...params, ...(body && typeof body === 'object' ? body : {}) }), outcome, requestId: String(req.headers['x-request-id'] ?? '') }]).catch((err: unknown) =>
            deps.logger?.error({ reqId: req.headers['x-request-id'], path: url.pathname, error: err instanceof Error ? err.message : String(err) }, 'audit: the entry could not be written'),
          );
    const answer = await hit.r.route
      .handle(
        { req, method, params, query: url.searchParams, links: new Links(base), url: new URL(url.pathname + url.search, base), viewerUuid: viewer.uuid, body: async () => (body = await readJsonBody(req)) },
        deps,
      )
      .catch(async (err: unknown) => {
        const e = toRestError(err, hit.r.route.errorStyle ?? 'detail');
        if (isFromWaldur(err)) deps.logger?.warn({ reqId: req.headers['x-request-id'], path: url.pathname, error: err.message }, 'waldur: the write was refused or failed');
        if (e.status >= 500 && e.status !== 503) deps.logger?.error({ reqId: req.headers['x-request-id'], path: url.pathname, error: err instanceof Error ? err.message : String(err) }, 'unexpected REST error');
        await audit(String(e.status));
        throw e;
      });
    await audit(answer.status < 400 ? 'ok' : String(answer.status));
    sendJson(res, answer.status, answer.body, answer.headers, headOnly);
  } catch (err) {
    const e = err instanceof RestError ? err : toRestError(err, 'detail');
    if (!(err instanceof RestError) && e.status >= 500) deps.logger?.error({ reqId: req.headers['x-request-id'], path: url.pathname, error: err instanceof Error ? err.message : String(err) }, 'unexpected REST error');
    sendJson(res, e.status, e.body, e.headers, headOnly);
  }
}

/** A path segment; one that is not valid percent-encoding names nothing that exists. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RestError(404, { detail: 'Not found.' });
  }
}

/** One mapping from domain errors to Waldur's answers. */
export function toRestError(err: unknown, style: 'error' | 'detail'): RestError {
  if (err instanceof RestError) return err;
  if (err instanceof DomainError) {
    const text = (message: string) => (style === 'error' ? { error: message } : { detail: message });
    if (err instanceof ValidationError) return new RestError(400, Object.keys(err.fields).length ? err.fields : text(err.message));
    // Waldur answers a conflicting write 400 (a duplicate mapping, an imported licence): every
    // conflict does here, on every route, so clients need one rule
    if (err instanceof ConflictError && 'fields' in err) return new RestError(400, err.fields as Record<string, string[]>);
    if (err instanceof ConflictError) return new RestError(400, text(err.message));
    if (err instanceof NotFoundError) return new RestError(404, text(err.message));
    // Arrow failing is not the gateway failing: a 400 with Arrow's text, as Waldur's sync_from_arrow answers
    if (err instanceof ArrowUnavailableError) return new RestError(400, text(err.message));
    // Waldur failing is the gateway unable to write: 503 and when to try again (sent as Retry-After)
    if (err instanceof WaldurUnavailableError) return new RestError(503, { detail: err.message }, { 'retry-after': String(err.retryAfterSeconds) });
  }
  if (isDatabaseUnavailable(err)) return new RestError(503, { detail: DATABASE_UNAVAILABLE_MESSAGE }, { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });
  return new RestError(500, { detail: 'A server error occurred.' });
}
