/**
 * The database is down, restarting or unreachable (as opposed to a query that is wrong): such a
 * failure is answered 503 with Retry-After (GraphQL: DATABASE_UNAVAILABLE) and cured by waiting.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable (restarting or unreachable); try again in a few seconds.';

// PostgreSQL's connection-exception class (08…), operator intervention (57P01–57P03: shutdown,
// crash, still starting) and too many connections (53300)
const SERVER_CODES = /^(08\d{3}|57P0[1-3]|53300)$/;
// how Node and pg say a connection failed or went away
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SOCKET_MESSAGES = /Connection terminated|timeout expired|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;
// Prisma's: cannot reach, timed out, closed the connection, no connection from the pool in time
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionAlreadyClosed']);

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string; originalCode?: string } } }; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (SERVER_CODES.test(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code)) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause && (ADAPTER_KINDS.has(cause.kind ?? '') || SERVER_CODES.test(cause.originalCode ?? cause.code ?? ''))) return true;
  if (typeof e.message === 'string' && SOCKET_MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** What went wrong, in a few words for a log line (a code, not a stack). */
export function unavailableReason(err: unknown): string {
  const e = err as { code?: string; message?: string; meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } }; cause?: { code?: string } };
  const cause = e?.meta?.driverAdapterError?.cause;
  return cause?.originalCode ?? cause?.kind ?? e?.cause?.code ?? e?.code ?? e?.message?.split('\n')[0] ?? String(err);
}

/**
 * Runs fn until the database answers it: a server not up yet (a start beside it, a failover) is
 * waited for with backoff (1 s doubling to 30 s), each wait said in one line. Other errors end it.
 */
export async function untilDatabaseAnswers<T>(fn: () => Promise<T>, say: (line: string) => void, where: string): Promise<T> {
  for (let wait = 1; ; wait = Math.min(30, wait * 2)) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      say(`database: ${where} is not answering (${unavailableReason(err)}); trying again in ${wait} s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }
}
