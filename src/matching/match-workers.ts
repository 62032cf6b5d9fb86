import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { bestMatch, candidates, type MatchPool } from './best-match.js';

/**
 * From this many name pairs a matching is shared among worker threads: 15,000 Arrow names against
 * 50,000 Waldur names took three seconds of the only thread, during which the gateway answered
 * nobody. Below it (the large dataset's 1,500 × 5,000) starting threads costs more than it saves.
 */
export const WORKER_PAIRS = 50_000_000;

/**
 * Each name's best candidate above the threshold, as [candidate position or -1, confidence]: the
 * same answer as bestMatch over candidates(candidateNames) in this thread (ties keep the earliest
 * candidate either way), computed by up to one worker thread per core for large matchings, so
 * the event loop stays free meanwhile. Should a thread fail, its names are matched here.
 */
export async function matchNames(names: string[], candidateNames: string[], threshold: number, options: { workers?: number; pool?: () => NamePool; onThreadFailed?: (err: Error) => void } = {}): Promise<[number, number][]> {
  const pool = options.pool ?? (() => namePool(candidateNames));
  const workers = options.workers ?? (names.length * candidateNames.length >= WORKER_PAIRS ? Math.min(4, os.availableParallelism()) : 0);
  if (workers < 1 || names.length < 2) return matchHere(names, pool(), threshold);
  const size = Math.ceil(names.length / workers);
  const shares = Array.from({ length: workers }, (_, i) => names.slice(i * size, (i + 1) * size)).filter((s) => s.length);
  const answers = await Promise.all(
    shares.map((share) =>
      inWorker(share, candidateNames, threshold).catch((err: Error) => {
        options.onThreadFailed?.(err);
        return matchHere(share, pool(), threshold);
      }),
    ),
  );
  return answers.flat();
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

function inWorker(names: string[], candidateNames: string[], threshold: number): Promise<[number, number][]> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ names, candidateNames, threshold });
    worker.once('message', (answer: [number, number][]) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`matching thread exited (${code})`)));
  });
}
