import { GraphQLError } from 'graphql';
import type { YogaInitialContext } from 'graphql-yoga';
import type { Database, Prisma } from '../db/database.js';
import type { ArrowSource } from '../domain/arrow-source.js';
import type { WaldurClient } from '../waldur/client.js';
import type { Viewer } from '../domain/users.js';
import { findViewerByToken } from '../domain/users.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { Logger } from '../observability/logger.js';
import type { BackgroundWork } from '../domain/background.js';

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

export async function viewerFrom(prisma: Prisma, header: string | null | undefined): Promise<Viewer | null> {
  const token = tokenFrom(header);
  return token ? findViewerByToken(prisma, token) : null;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ request }: YogaInitialContext): Promise<GraphQLContext> => ({
    db: deps.db,
    prisma: deps.db.prisma,
    arrow: deps.arrow,
    waldur: deps.waldur,
    logger: deps.logger,
    background: deps.background,
    tokenSent: tokenFrom(request.headers.get('authorization')) !== null,
    viewer: await viewerFrom(deps.db.prisma, request.headers.get('authorization')),
    loaders: createLoaders({ prisma: deps.db.prisma, arrow: deps.arrow, waldur: deps.waldur }),
    limits: QUERY_LIMITS,
    maxPageSize: deps.maxPageSize ?? 300,
  });
}

/** Why a caller who is not staff is refused: anonymous, an unknown token, or a user. */
export function notStaffError(ctx: Pick<GraphQLContext, 'viewer' | 'tokenSent'>): GraphQLError {
  return ctx.viewer
    ? new GraphQLError('Only staff users may do this.', { extensions: { code: 'FORBIDDEN' } })
    : ctx.tokenSent
      ? new GraphQLError('Invalid token.', { extensions: { code: 'UNAUTHENTICATED' } })
      : new GraphQLError('Authentication required: send "Authorization: Token <key>".', { extensions: { code: 'UNAUTHENTICATED' } });
}
