import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Client, fetchExchange, makeOperation, mapExchange, type CombinedError } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import possibleTypes from '../../possible-types.json';

/** The staff token, kept for this tab only (sessionStorage), never in a URL. */
const TOKEN_KEY = 'arrow-waldur-console.token';
export const session = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

type Doc<R, V> = TypedDocumentNode<R, V> & { __meta__?: { hash?: string } };

/**
 * A trusted document goes by its hash alone (the gateway knows the text: persisted-documents.json),
 * as Apollo's persisted-query extension, which Yoga's persisted operations plugin reads.
 */
function body<V>(doc: Doc<unknown, V>, variables: V) {
  const hash = doc.__meta__?.hash;
  if (!hash) throw new Error('document without a hash: run the console codegen');
  return JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
}

function headers(token: string | null, accept = 'application/json') {
  return { 'content-type': 'application/json', accept, ...(token ? { authorization: `Token ${token}` } : {}) };
}

export interface Answer<R> {
  data?: R | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** One GraphQL request, answered as sent: data (possibly partial) and errors. */
export async function execute<R, V>(doc: Doc<R, V>, variables: V, token = session.get()): Promise<Answer<R>> {
  const res = await fetch('/graphql', { method: 'POST', headers: headers(token), body: body(doc, variables) });
  return (await res.json().catch(() => ({ errors: [{ message: `The gateway answered ${res.status}` }] }))) as Answer<R>;
}

/** Each request names its trusted document by hash alone (Apollo's persisted-query extension, which urql then sends without the text). */
const trustedDocuments = mapExchange({
  onOperation(operation) {
    const hash = (operation.query as Doc<unknown, unknown>).__meta__?.hash;
    if (!hash || operation.kind === 'teardown') return operation;
    return makeOperation(operation.kind, { ...operation, extensions: { ...operation.extensions, persistedQuery: { version: 1, sha256Hash: hash } } }, operation.context);
  },
});

/**
 * The console's GraphQL client: urql with graphcache, a normalized cache keyed by each object's
 * id. A write answers with what it changed (a link's, unlink's or import's `mapping`), and every
 * screen holding those objects shows the new state with no second request.
 */
export const client = new Client({
  url: '/graphql',
  preferGetMethod: false,
  requestPolicy: 'cache-and-network',
  fetchOptions: () => ({ headers: headers(session.get()) }),
  exchanges: [cacheExchange({ possibleTypes }), trustedDocuments, fetchExchange],
});

/** An urql error in the console's words: each GraphQL error with its path, or what the network said. */
export function errorText(error: CombinedError): string {
  if (error.graphQLErrors.length) return error.graphQLErrors.map((e) => (e.path ? `${e.path.join('.')}: ${e.message}` : e.message)).join('; ');
  return error.networkError?.message ?? error.message;
}

/**
 * One GraphQL request whose errors (not typed payload errors, which are data) are thrown. Through
 * the cache (a mutation's answer updates it) unless a token is given (signing in).
 */
export async function request<R, V>(doc: Doc<R, V>, variables: V, token?: string): Promise<R> {
  if (token !== undefined) {
    const answer = await execute(doc, variables, token);
    if (answer.errors?.length) throw new ApiError(answer.errors[0]!.message, answer.errors[0]!.extensions?.code);
    return answer.data as R;
  }
  const isMutation = doc.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
  const result = await (isMutation ? client.mutation(doc, variables as object) : client.query(doc, variables as object, { requestPolicy: 'network-only' })).toPromise();
  if (result.error) throw new ApiError(errorText(result.error), result.error.graphQLErrors[0]?.extensions?.code as string | undefined);
  return result.data as R;
}

/**
 * A subscription over Yoga's SSE transport, read from fetch's stream (EventSource cannot send the
 * Authorization header). Calls `onNext` per event until the stream ends; answers a stop function.
 */
export function subscribe<R, V>(doc: Doc<R, V>, variables: V, onNext: (data: R) => void, onError: (error: Error) => void): () => void {
  const abort = new AbortController();
  void (async () => {
    const res = await fetch('/graphql', { method: 'POST', headers: headers(session.get(), 'text/event-stream'), body: body(doc, variables), signal: abort.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!event.startsWith('event: next')) continue;
        const data = JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { data?: R; errors?: { message: string }[] };
        if (data.errors?.length) onError(new ApiError(data.errors[0]!.message));
        else if (data.data) onNext(data.data);
      }
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) onError(err instanceof Error ? err : new Error(String(err)));
  });
  return () => abort.abort();
}

/** A typed payload error (NotFoundError, ConflictError, …) or the success, from a mutation's union. */
export function failure(result: { __typename: string; message?: string }): string | null {
  return result.__typename.endsWith('Success') ? null : `${result.__typename.replace(/Error$/, '')}: ${result.message ?? ''}`;
}

/** The current month, YYYY-MM (UTC). */
export function thisMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}
