import { describe, expect, it } from 'vitest';
import { matchNames, namePool } from '../../src/matching/match-workers.js';
import { bestMatch } from '../../src/matching/best-match.js';
import { companyName, rng } from '../../src/arrow-sim/generate.js';

describe('matching shared among worker threads', () => {
  const random = rng(5);
  const candidateNames = Array.from({ length: 3000 }, () => companyName(random));
  const names = Array.from({ length: 400 }, () => `${companyName(random)} ${random() < 0.5 ? 'GmbH' : 'Ltd'}`);

  it('gives each name the same candidate and confidence as one thread does', async () => {
    const pool = namePool(candidateNames);
    const here = names.map((n) => bestMatch(n, pool, 0.5)).map((m) => (m ? [m.item.index, m.confidence] : [-1, 0]));
    expect(here.filter(([at]) => at >= 0).length).toBeGreaterThan(100);
    const failures: Error[] = [];
    expect(await matchNames(names, candidateNames, 0.5, { workers: 3, onThreadFailed: (err) => failures.push(err) })).toEqual(here);
    expect(failures).toEqual([]); // the threads did the work
    expect(await matchNames(names, candidateNames, 0.5, { workers: 0 })).toEqual(here);
  });
});
