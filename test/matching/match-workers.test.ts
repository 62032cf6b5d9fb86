import { describe, expect, it } from 'vitest';
import { Matching, matchNames, namePool } from '../../src/matching/match-workers.js';
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

  it('takes names batch by batch, some at once, from threads started before the first: the same answers', async () => {
    const pool = namePool(candidateNames);
    const here = (batch: string[]) => batch.map((n) => bestMatch(n, pool, 0.5)).map((m) => (m ? [m.item.index, m.confidence] : [-1, 0]));
    const failures: Error[] = [];
    const matching = new Matching(candidateNames, 0.5, { workers: 2, onThreadFailed: (err) => failures.push(err) });
    try {
      const batches = [names.slice(0, 100), names.slice(100, 350), names.slice(350, 351), names.slice(351)];
      const [first, ...rest] = batches;
      expect(await matching.match(first!)).toEqual(here(first!));
      expect(await Promise.all(rest.map((b) => matching.match(b)))).toEqual(rest.map(here));
      expect(failures).toEqual([]);
    } finally {
      matching.close();
    }
    // closed, its threads are gone and it does no work for a caller that left
    await expect(matching.match(names.slice(0, 10))).rejects.toThrow();
    expect(failures).toEqual([]);
  });
});
