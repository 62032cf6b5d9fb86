/**
 * A worker thread's share of a large matching (match-workers.ts): the candidates' pool built
 * here, each name's best candidate sent back as [candidate position or -1, confidence].
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bestMatch } from './best-match.js';
import { namePool } from './match-workers.js';

const { names, candidateNames, threshold } = workerData as { names: string[]; candidateNames: string[]; threshold: number };
const pool = namePool(candidateNames);
parentPort!.postMessage(
  names.map((name) => {
    const match = bestMatch(name, pool, threshold);
    return match ? [match.item.index, match.confidence] : [-1, 0];
  }),
);
