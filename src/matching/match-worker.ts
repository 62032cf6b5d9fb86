/**
 * A worker thread of a large matching (match-workers.ts): the candidates' pool built here once,
 * then for each batch of names sent, each name's best candidate as [candidate position or -1,
 * confidence].
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bestMatch } from './best-match.js';
import { namePool } from './match-workers.js';

const { candidateNames, threshold } = workerData as { candidateNames: string[]; threshold: number };
const pool = namePool(candidateNames);
parentPort!.on('message', ({ id, names }: { id: number; names: string[] }) => {
  const answer = names.map((name) => {
    const match = bestMatch(name, pool, threshold);
    return match ? [match.item.index, match.confidence] : [-1, 0];
  });
  parentPort!.postMessage({ id, answer });
});
