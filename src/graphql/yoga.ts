import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../observability/logger.js';
import { createYoga, maskError as defaultMaskError, type GraphiQLOptions } from 'graphql-yoga';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, getOperationAST, getVariableValues, visit, type DocumentNode, type ExecutionArgs, type StringValueNode } from 'graphql';
import { hasNul, NUL_MESSAGE, nulPath } from '../domain/text-filter.js';
import { useDocumentLimits } from './document-limits.js';
import { DocumentCache, NO_ERROR_CACHE } from './document-cache.js';
import { schema } from './schema.js';
import { graphiqlOptions } from './graphiql.js';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../db/unavailable.js';
import { createContextFactory, type ContextDeps } from './context.js';
import { useResponseCache } from './response-cache.js';
import { useExecutionGate } from './execution-gate.js';
import { useTrustedDocuments } from './trusted-documents.js';
import { ArrowUnavailableError, ConflictError, DomainError, NotFoundError, ValidationError, WaldurUnavailableError } from '../domain/errors.js';

export { DEFAULT_GRAPHIQL_QUERY, GRAPHIQL_HEADERS_TEMPLATE, GRAPHIQL_TITLE } from './graphiql.js';

/**
 * GraphiQL's page with its scripts and styles inline (from @graphql-yoga/render-graphiql), so it
 * works without internet; Yoga's own page loads them from a CDN. The HTTP server streams the page
 * the build rendered into dist/graphiql.html (src/graphql/graphiql.ts); this renders it in-process
 * only where no build did (its module holds 27 MB of strings, so it is loaded when first needed).
 */
let graphiqlPage: Promise<string> | undefined;
function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  return (graphiqlPage ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options)));
}

const CODES: [new (...args: never[]) => DomainError, string][] = [
  [NotFoundError, 'NOT_FOUND'],
  [ValidationError, 'BAD_USER_INPUT'],
  [ConflictError, 'CONFLICT'],
  [ArrowUnavailableError, 'ARROW_UNAVAILABLE'],
  [WaldurUnavailableError, 'WALDUR_UNAVAILABLE'],
];

/**
 * Clients see our own GraphQLErrors and domain errors (with a code); anything else is masked
 * as "Unexpected error." with no stack or internal message.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  if (isGraphQLError(error)) {
    const original = error.originalError;
    if (!original || isGraphQLError(original)) return error;
    const code = CODES.find(([type]) => original instanceof type)?.[1];
    if (code) return new GraphQLError(original.message, { nodes: error.nodes, path: error.path, extensions: { code } });
  }
  // the database restarting is said as such, with when to try again (503 and Retry-After when nothing else was answered)
  if (isDatabaseUnavailable(isGraphQLError(error) ? (error.originalError ?? error) : error)) {
    const at = isGraphQLError(error) ? { nodes: error.nodes, path: error.path } : {};
    return new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, { ...at, extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } } } });
  }
  const masked = defaultMaskError(error, message, isDev);
  // what a client is not told is logged, with the request's id to find it by
  const original = isGraphQLError(error) ? (error.originalError ?? error) : error;
  requestContext.getStore()?.logger?.error({ reqId: requestContext.getStore()?.requestId, path: isGraphQLError(error) ? error.path?.join('.') : undefined, error: original instanceof Error ? original.message : String(original) }, 'unexpected GraphQL error (answered "Unexpected error.")');
  return masked;
}

/** The request a GraphQL execution serves (its id, for masked errors' log lines), set by the HTTP server. */
export const requestContext = new AsyncLocalStorage<{ requestId: string; logger?: Logger }>();

/**
 * Who may run the operation at all: when Waldur could not say who the caller is, nothing runs
 * (503 WALDUR_UNAVAILABLE with Retry-After, never a misleading 401); Waldur's support users may
 * read everything and change nothing (every mutation FORBIDDEN).
 */
const identityRules = {
  onExecute({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void }) {
    const ctx = args.contextValue as { identityUnavailable?: WaldurUnavailableError; viewer?: { isStaff: boolean; isSupport?: boolean } | null };
    if (ctx.identityUnavailable) {
      const retryAfter = String(ctx.identityUnavailable.retryAfterSeconds);
      return setResultAndStopExecution({ errors: [new GraphQLError(ctx.identityUnavailable.message, { extensions: { code: 'WALDUR_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': retryAfter } } } })] });
    }
    if (ctx.viewer?.isSupport && !ctx.viewer.isStaff && getOperationAST(args.document, args.operationName)?.operation === 'mutation') {
      setResultAndStopExecution({ errors: [new GraphQLError('Support users may read everything and change nothing.', { extensions: { code: 'FORBIDDEN' } })] });
    }
  },
};

/**
 * Variables are coerced by graphql-js before graphql-jit runs: jit's own coercion names a
 * nested input's field as if it were a variable ("$settingsUuid"), where graphql-js says
 * `Variable "$input" got invalid value "bad" at "input.settingsUuid"`.
 */
const standardVariableCoercion = {
  onExecute({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void }) {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation?.variableDefinitions?.length) return;
    const coerced = getVariableValues(args.schema, operation.variableDefinitions, (args.variableValues ?? {}) as Record<string, unknown>);
    if (coerced.errors) {
      setResultAndStopExecution({ errors: coerced.errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } })) });
    }
  },
};

export const UNSUPPORTED_MEDIA_TYPE = 'Unsupported Media Type: send the GraphQL request as application/json ({"query": …, "variables": …}), or use GET with ?query=';

/** PostgreSQL text cannot hold NUL: a string with one, literal or variable, is bad input, refused before it reaches a query. */
const refuseNulCharacters = {
  onExecute({ args, setResultAndStopExecution }: { args: ExecutionArgs; setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void }) {
    const nulVariable = nulPath(args.variableValues ?? {});
    const nulLiteral = nulVariable === null && stringLiteralWithNul(args.document);
    if (nulVariable !== null || nulLiteral) {
      setResultAndStopExecution({ errors: [new GraphQLError(`${nulVariable !== null ? `Variable "$${nulVariable}": ` : ''}${NUL_MESSAGE}`, { nodes: nulLiteral || undefined, extensions: { code: 'BAD_USER_INPUT' } })] });
    }
  },
};

/** The first string literal of the document holding a NUL character (written as \u0000), or false. */
function stringLiteralWithNul(document: DocumentNode): StringValueNode | false {
  let found = literalsWithNul.get(document);
  if (found === undefined) {
    let first: StringValueNode | false = false;
    visit(document, {
      StringValue(node) {
        if (!first && hasNul(node.value)) first = node;
      },
    });
    literalsWithNul.set(document, (found = first));
  }
  return found;
}
const literalsWithNul = new WeakMap<DocumentNode, StringValueNode | false>();

/** Yoga answers a body it cannot parse with an empty 415: say what it takes instead. */
const explainUnsupportedMediaType = {
  onResponse({ response, setResponse, fetchAPI }: { response: Response; setResponse: (r: Response) => void; fetchAPI: { Response: typeof Response } }) {
    if (response.status !== 415 || response.body) return;
    setResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: UNSUPPORTED_MEDIA_TYPE, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] }), { status: 415, headers: { 'content-type': 'application/json' } }));
  },
};

/** A document that fails validation leaves the parse cache (it is not asked for twice on purpose). */
function forgetInvalidDocuments(documents: DocumentCache) {
  return {
    onValidate({ params }: { params: { documentAST: DocumentNode } }) {
      return ({ result }: { result: readonly unknown[] }) => {
        if (result.length) documents.forget(params.documentAST);
      };
    },
  };
}

/** A limit breached is said once, not once per root field. */
function oneLimitError(errors: readonly GraphQLError[]): GraphQLError[] {
  let seen = false;
  return errors.filter((e) => e.extensions?.code !== 'QUERY_TOO_COMPLEX' || (!seen && (seen = true)));
}

/**
 * Every error carries a code. GraphQLErrors raised without one come from the input (Pothos'
 * checks of first/last, cursors and global ids): BAD_USER_INPUT.
 */
function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
}

/** By name, not instanceof: the executor may load graphql's CommonJS build beside our ESM one. */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** The response cache, when configured; the database's data version comes with the token's lookup, or is read once per query. */
function responseCache(deps: ContextDeps) {
  const options = deps.responseCache;
  if (!options?.entries) return [];
  return [
    useResponseCache({
      ...options,
      // read with a local token (findViewerByToken); Waldur's users read it here
      version: async (ctx) => ctx.viewer?.dataVersion ?? (await ctx.prisma.$queryRaw<{ version: bigint }[]>`SELECT version FROM data_version WHERE id = 1`)[0]?.version ?? 0n,
      onLookup: (hit) => deps.metrics?.responseCache.inc({ result: hit ? 'hit' : 'miss' }),
    }),
  ];
}

export function createGraphQLHandler(deps: ContextDeps) {
  // counts the errors of each execution by code, for /metrics
  // the answer's errors, once per request, just before it is sent: each with a code, a limit
  // error once, and counted by code for /metrics
  const finishErrors = {
    onResultProcess({ result, setResult }: { result: unknown; setResult: (result: never) => void }) {
      const r = result as { errors?: readonly GraphQLError[] };
      if (Array.isArray(result) || !r?.errors?.length) return;
      const errors = oneLimitError(r.errors).map(withCode);
      if (errors.length !== r.errors.length || errors.some((e, i) => e !== r.errors![i])) setResult({ ...r, errors } as never);
      for (const e of errors) deps.metrics?.graphqlErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
    },
  };
  const documents = new DocumentCache();
  const yoga = createYoga({
    parserAndValidationCache: { documentCache: documents, errorCache: NO_ERROR_CACHE, validationCache: true },
    // graphql-jit compiles each query once: a whole screen is ~30k fields, and the compiled
    // executor answers it about a third faster (bench: 12 → 16 screens/s, overhead ×1.95 → ×1.43)
    // subscriptions stay with graphql-js: jit's subscribe loses a field's arguments.
    // Leaves of String, Int, Float, Boolean, ID and enum types are sent as resolved, not passed
    // through their serialize one by one (tested equal to graphql-js's answer on the screen)
    plugins: [useTrustedDocuments({ prisma: deps.db.prisma, only: deps.trustedDocumentsOnly ?? false }), useDocumentLimits({ introspection: deps.introspection }), forgetInvalidDocuments(documents), refuseNulCharacters, identityRules, standardVariableCoercion, useGraphQlJit({ disableLeafSerialization: true }, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' }), ...responseCache(deps), useExecutionGate(deps.maxConcurrentExecutions ?? 4), finishErrors, explainUnsupportedMediaType],
    schema,
    context: createContextFactory(deps),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: graphiqlOptions,
    renderGraphiQL: renderOfflineGraphiQL,
    logging: false,
    maskedErrors: { maskError },
  });
  documentCaches.set(yoga, documents);
  return yoga;
}

/** Each handler's parse cache, for the tests that hold it to its bounds. */
export const documentCaches = new WeakMap<object, DocumentCache>();
