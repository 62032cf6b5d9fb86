import { GraphQLError } from 'graphql';
import type { YogaInitialContext } from 'graphql-yoga';
import type { Database, Prisma } from '../db/database.js';
import type { ArrowSource } from '../domain/arrow-source.js';
import type { WaldurClient } from '../waldur/client.js';
import type { Viewer } from '../domain/users.js';
import { findViewerByToken, hashToken, tokenOwners } from '../domain/users.js';
import { identitiesOf } from '../domain/waldur-identity.js';
import { actorLabel, requestActors } from '../domain/audit.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { Logger } from '../observability/logger.js';
import type { BackgroundWork } from '../domain/background.js';
import { WaldurUnavailableError } from '../domain/errors.js';

export interface GraphQLContext {
  db: Database;
  prisma: Prisma;
  arrow: ArrowSource;
  waldur: WaldurClient;
  viewer: Viewer | null;
  loaders: Loaders;
  limits: { depth: number; breadth: number; complexity: number };
  maxPageSize: number;
  /** A token was sent (valid or not): an unknown one is "invalid", not "missing". */
  tokenSent: boolean;
  /** The request's id (x-request-id), for the audit log and log lines. */
  requestId?: string;
  /** Waldur could not say who the caller is (the request is answered 503 WALDUR_UNAVAILABLE). */
  identityUnavailable?: Error;
  logger?: Logger;
  /** Where started work runs (awaited on shutdown). */
  background: BackgroundWork;
}

export interface ContextDeps {
  db: Database;
  /** Keep whole query answers (src/graphql/response-cache.ts); off when absent or 0 entries. */
  responseCache?: { entries: number; maxAgeMs: number };
  metrics?: import('../observability/metrics.js').Metrics;
  arrow: ArrowSource;
  waldur: WaldurClient;
  maxPageSize?: number;
  /** GraphQL executions running at once (src/graphql/execution-gate.ts); default 4. */
  maxConcurrentExecutions?: number;
  logger?: Logger;
  background: BackgroundWork;
  /** Take only the console's trusted documents, plus any document from a staff token. */
  trustedDocumentsOnly?: boolean;
  /** Who may ask for the schema (default everyone: it is published with the code, and GraphiQL reads it before a token is pasted). */
  introspection?: import('./document-limits.js').IntrospectionAccess;
}

export const QUERY_LIMITS = { depth: 12, breadth: 300, complexity: 100_000 };

/** `Authorization: Token <key>` (Waldur's scheme); anything else is anonymous. */
export function tokenFrom(header: string | null | undefined): string | null {
  const match = header?.match(/^Token\s+(\S+)\s*$/i);
  return match ? match[1]! : null;
}

/** `Authorization: Bearer <access token>` (Waldur's OIDC); only Waldur can say whose it is. */
export function bearerFrom(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1]! : null;
}

/** Credentials were sent, in a scheme the gateway knows. */
export function credentialsSent(header: string | null | undefined): boolean {
  return tokenFrom(header) !== null || bearerFrom(header) !== null;
}

/**
 * Who the caller is: a token of the gateway's own users first (one statement), else, when a
 * Waldur is attached, Waldur's user for the header (asked once a minute per token; WaldurIdentities).
 * Throws WaldurUnavailableError when Waldur cannot say.
 */
export async function viewerFrom(prisma: Prisma, header: string | null | undefined, waldur?: WaldurClient): Promise<Viewer | null> {
  const token = tokenFrom(header);
  const local = token ? await findViewerByToken(prisma, token) : null;
  if (local || !waldur || !credentialsSent(header)) return local;
  const viewer = await identitiesOf(waldur).viewer(token ? `Token ${token}` : `Bearer ${bearerFrom(header)}`);
  if (viewer && token) tokenOwners.remember(hashToken(token), viewer.uuid);
  return viewer;
}

export function createContextFactory(deps: ContextDeps) {
  return async (initial: YogaInitialContext): Promise<GraphQLContext> => {
    const { request } = initial;
    const header = request.headers.get('authorization');
    let identityUnavailable: Error | undefined;
    const viewer = await viewerFrom(deps.db.prisma, header, deps.waldur).catch((err: unknown) => {
      if (!(err instanceof WaldurUnavailableError)) throw err;
      identityUnavailable = err;
      return null;
    });
    // the node request, when served by the HTTP server: its log line names the caller
    const nodeRequest = (initial as { req?: object }).req;
    if (viewer && nodeRequest) requestActors.set(nodeRequest, actorLabel(viewer));
    return {
    db: deps.db,
    prisma: deps.db.prisma,
    arrow: deps.arrow,
    waldur: deps.waldur,
    logger: deps.logger,
    background: deps.background,
    tokenSent: credentialsSent(header),
    requestId: request.headers.get('x-request-id') ?? undefined,
    viewer,
    identityUnavailable,
    loaders: createLoaders({ prisma: deps.db.prisma, arrow: deps.arrow, waldur: deps.waldur }),
    limits: QUERY_LIMITS,
    maxPageSize: deps.maxPageSize ?? 300,
    };
  };
}

/** Why a caller who is not staff is refused: anonymous, an unknown token, or a user. */
export function notStaffError(ctx: Pick<GraphQLContext, 'viewer' | 'tokenSent'>): GraphQLError {
  return ctx.viewer
    ? new GraphQLError('Only staff users may do this.', { extensions: { code: 'FORBIDDEN' } })
    : ctx.tokenSent
      ? new GraphQLError('Invalid token.', { extensions: { code: 'UNAUTHENTICATED' } })
      : new GraphQLError('Authentication required: send "Authorization: Token <key>".', { extensions: { code: 'UNAUTHENTICATED' } });
}
