import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

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

/** One GraphQL request whose errors (not typed payload errors, which are data) are thrown. */
export async function request<R, V>(doc: Doc<R, V>, variables: V, token = session.get()): Promise<R> {
  const answer = await execute(doc, variables, token);
  if (answer.errors?.length) throw new ApiError(answer.errors[0]!.message, answer.errors[0]!.extensions?.code);
  return answer.data as R;
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
