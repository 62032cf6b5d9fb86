import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { bestMatch, candidates, type MatchPool } from './best-match.js';

/**
 * From this many name pairs a matching is shared among worker threads: 15,000 Arrow names against
 * 50,000 Waldur names took three seconds of the only thread, during which the gateway answered
 * nobody. Below it (the large dataset's 1,500 × 5,000) starting threads costs more than it saves.
 */
export const WORKER_PAIRS = 50_000_000;

/** Names go to a thread in batches of at most this many, in turn, so the threads share the work. */
const BATCH = 250;

/** Threads for a matching of this many names against this many candidates: one per core (at most 4) from WORKER_PAIRS. */
export function threadsFor(names: number, candidates: number): number {
  return names * candidates >= WORKER_PAIRS ? Math.min(4, os.availableParallelism()) : 0;
}

/**
 * Each name's best candidate above the threshold, as [candidate position or -1, confidence]: the
 * same answer as bestMatch over candidates(candidateNames) in this thread (ties keep the earliest
 * candidate either way), computed by up to one worker thread per core for large matchings, so
 * the event loop stays free meanwhile. Should a thread fail, its names are matched here.
 */
export async function matchNames(names: string[], candidateNames: string[], threshold: number, options: { workers?: number; pool?: () => NamePool; onThreadFailed?: (err: Error) => void } = {}): Promise<[number, number][]> {
  const workers = names.length < 2 ? 0 : (options.workers ?? threadsFor(names.length, candidateNames.length));
  const matching = new Matching(candidateNames, threshold, { ...options, workers });
  try {
    return await matching.match(names);
  } finally {
    matching.close();
  }
}

/**
 * A matching against one set of candidates that names join as they come (the pages of Arrow's
 * listing): its threads start at once, each building the candidates' pool while the first names
 * are still on their way, and take batches of names in turn. Every name gets what bestMatch over
 * candidates(candidateNames) gives in this thread; names a failed thread held are matched here.
 */
export class Matching {
  private readonly threads: MatchThread[] = [];
  private turn = 0;
  private here?: NamePool;
  private closed = false;

  constructor(
    private readonly candidateNames: string[],
    private readonly threshold: number,
    private readonly options: { workers: number; pool?: () => NamePool; onThreadFailed?: (err: Error) => void },
  ) {
    for (let i = 0; i < options.workers; i++) this.threads.push(new MatchThread(candidateNames, threshold));
  }

  async match(names: string[]): Promise<[number, number][]> {
    if (!this.threads.length) return matchHere(names, this.pool(), this.threshold);
    const batches = Array.from({ length: Math.ceil(names.length / BATCH) }, (_, i) => names.slice(i * BATCH, (i + 1) * BATCH));
    const answers = await Promise.all(
      batches.map((batch) =>
        this.threads[this.turn++ % this.threads.length]!.match(batch).catch((err: Error) => {
          if (this.closed) throw err; // its caller is gone: no work here
          this.options.onThreadFailed?.(err);
          return matchHere(batch, this.pool(), this.threshold);
        }),
      ),
    );
    return answers.flat();
  }

  close(): void {
    this.closed = true;
    for (const thread of this.threads) thread.close();
  }

  private pool(): NamePool {
    return (this.here ??= this.options.pool?.() ?? namePool(this.candidateNames));
  }
}

export type NamePool = MatchPool<{ name: string; index: number }>;

/** The candidates' names prepared for matching in this thread (kept by callers that match a few names at a time). */
export function namePool(candidateNames: string[]): NamePool {
  return candidates(
    candidateNames.map((name, index) => ({ name, index })),
    (c) => [c.name],
  );
}

function matchHere(names: string[], pool: NamePool, threshold: number): [number, number][] {
  return names.map((name) => {
    const match = bestMatch(name, pool, threshold);
    return match ? [match.item.index, match.confidence] : [-1, 0];
  });
}

/**
 * The worker: the bundle's match-worker.js beside this module's bundle in dist/gateway/; from the
 * TypeScript sources (tsx, the tests), the source loaded through tsx's loader, which a worker
 * thread does not inherit.
 */
function startWorker(workerData: unknown): Worker {
  // a small young generation, as the gateway's own (npm start): each thread holds little for long
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: 16 } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./match-worker.js', import.meta.url), options);
  const source = new URL('./match-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, { ...options, eval: true });
}

/** A worker thread holding the candidates' pool: batches of names in, each batch's answers out, in order. */
class MatchThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (answer: [number, number][]) => void; reject: (err: Error) => void }>();
  private sent = 0;
  private failed: Error | null = null;

  constructor(candidateNames: string[], threshold: number) {
    this.worker = startWorker({ candidateNames, threshold });
    // it keeps the process alive only while it holds names: a matching left open never does
    this.worker.unref();
    this.worker.on('message', ({ id, answer }: { id: number; answer: [number, number][] }) => {
      this.waiting.get(id)?.resolve(answer);
      this.waiting.delete(id);
      if (!this.waiting.size) this.worker.unref();
    });
    const fail = (err: Error) => {
      this.failed ??= err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`matching thread exited (${code})`)));
  }

  match(names: string[]): Promise<[number, number][]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.sent++;
    if (!this.waiting.size) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, names });
    });
  }

  close(): void {
    void this.worker.terminate();
  }
}
