import crypto from 'node:crypto';
import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { arrowReads, type ArrowReads } from '../domain/arrow-source.js';
import type { GraphQLContext } from './context.js';

/**
 * A cache of whole query answers, never older than a write the gateway made or saw:
 * - every write to the data the screens show moves the database's data version as it commits
 *   (triggers; whichever replica, flow or mirror sync made it), and an answer is served only
 *   while the version it was made at stands (read in the statement that finds the caller's token,
 *   before the request reads anything else; for Waldur's users, a statement of its own);
 * - an answer that used cached Arrow data is kept no longer than the first of those cache
 *   entries, nor past a drop of Arrow's cache ("look again"), so it shows what Arrow's cache would;
 * - an answer that asked Arrow directly, was served a stale listing, holds errors, or reads the
 *   clock (`waldurSync`) is not kept; nor is anything older than `maxAgeMs`.
 * Answers are per viewer, document and variables. A request with `Cache-Control: no-cache` is
 * computed afresh (and its answer kept).
 *
 * Requests for an answer that is being computed at the same data version wait for it rather than
 * compute it again (one computation, however many staff open the screen after a write): the answer
 * is the one they would have found kept a moment later. If it cannot be kept, each computes its own.
 */
export interface ResponseCacheOptions {
  /** How many answers are kept (least recently used go first). */
  entries: number;
  maxAgeMs: number;
  /** The database's data version now. */
  version(ctx: GraphQLContext): Promise<bigint>;
  onLookup?(hit: boolean): void;
}

/** Root fields whose answers depend on the clock: never kept. */
const CLOCK_ROOT_FIELDS = new Set(['waldurSync']);

interface Entry {
  version: bigint;
  arrowGeneration: number;
  validUntil: number;
  result: ExecutionResult;
  /** The answer as sent, made at its first reuse: a hit then costs no serialising (846 kB for a screen). */
  body?: string;
}

/** Yoga sends `result.stringify(result)` when a result carries one (graphql-jit's do). */
type SerializableResult = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

export function useResponseCache(options: ResponseCacheOptions): Plugin<GraphQLContext> {
  const answers = new Map<string, Entry>();
  /** Answers being computed, by key and version: what their computation will keep (null: nothing). */
  const computing = new Map<string, Promise<Entry | null>>();
  const documents = new WeakMap<DocumentNode, string | null>();

  /** The document's hash, or null when it is not a query the cache may keep. */
  const documentKey = (document: DocumentNode, operationName: string | null | undefined) => {
    let key = documents.get(document);
    if (key === undefined) {
      const operation = getOperationAST(document, operationName);
      const roots = operation?.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '')) ?? [];
      const cacheable = operation?.operation === 'query' && !roots.some((r) => CLOCK_ROOT_FIELDS.has(r) || r === '');
      key = cacheable ? crypto.createHash('sha256').update(print(document)).digest('hex') : null;
      documents.set(document, key);
    }
    return key;
  };

  return {
    async onExecute({ args, setResultAndStopExecution, executeFn, setExecuteFn }) {
      const ctx = args.contextValue as GraphQLContext;
      const doc = documentKey(args.document, args.operationName);
      if (!doc || !ctx.viewer) return;
      // the viewer as this request found it: a user no longer staff misses, and is refused by the schema
      const key = `${ctx.viewer.uuid}|${ctx.viewer.isStaff}|${ctx.viewer.isSupport ?? false}|${doc}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
      const version = await options.version(ctx);
      const arrowGeneration = ctx.arrow.generation;
      const fresh = /no-cache/i.test((ctx as { request?: Request }).request?.headers.get('cache-control') ?? '');
      const usable = (e: Entry | null | undefined): e is Entry => !!e && e.version === version && e.arrowGeneration === arrowGeneration && e.validUntil > Date.now();
      const serve = (e: Entry) => {
        const answer: SerializableResult = { ...e.result, stringify: () => (e.body ??= ((e.result as SerializableResult).stringify ?? JSON.stringify)(e.result)) };
        return setResultAndStopExecution(answer);
      };
      const hit = fresh ? undefined : answers.get(key);
      if (usable(hit)) {
        options.onLookup?.(true);
        answers.delete(key);
        answers.set(key, hit); // most recently used last
        return serve(hit);
      }
      const computingKey = `${key}|${version}|${arrowGeneration}`;
      const pending = fresh ? undefined : computing.get(computingKey);
      if (pending) {
        const shared = await pending;
        if (usable(shared)) {
          options.onLookup?.(true);
          return serve(shared);
        }
      }
      options.onLookup?.(false);
      let done!: (entry: Entry | null) => void;
      const mine = new Promise<Entry | null>((resolve) => (done = resolve));
      if (!computing.has(computingKey)) {
        computing.set(computingKey, mine);
        void mine.then(() => computing.get(computingKey) === mine && computing.delete(computingKey));
      }
      const startedAt = Date.now();
      const reads: ArrowReads = { used: [], uncacheable: false };
      setExecuteFn((a) =>
        arrowReads.run(reads, async () => {
          try {
            return await executeFn(a);
          } catch (err) {
            done(null); // those waiting compute their own
            throw err;
          }
        }),
      );
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in Object(result)) return done(null);
          const r = result as ExecutionResult;
          // a load that failed leaves its entry unexpired (Infinity): the answer says Arrow failed
          if (r.errors?.length || reads.uncacheable || reads.used.some((u) => u.expires === Number.POSITIVE_INFINITY)) return done(null);
          const arrowUntil = reads.used.reduce((min, u) => Math.min(min, u.expires), Number.POSITIVE_INFINITY);
          const entry = { version, arrowGeneration, validUntil: Math.min(startedAt + options.maxAgeMs, arrowUntil), result: r };
          answers.set(key, entry);
          while (answers.size > options.entries) answers.delete(answers.keys().next().value!);
          done(entry);
        },
      };
    },
  };
}
