import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { similarity, prepareName, quickRatio, ratio, realQuickRatio } from '../../src/matching/difflib.js';
import { bestMatch, bestMatchAllPairs, candidates, SIMD_POOL_NAMES } from '../../src/matching/best-match.js';
import { simdAvailable } from '../../src/matching/minimums-kernel.js';
import { companyName, rng } from '../../src/arrow-sim/generate.js';

// Produced by scripts/difflib-vectors.py with CPython's difflib.
const vectors = JSON.parse(fs.readFileSync(new URL('../fixtures/difflib-vectors.json', import.meta.url), 'utf8')) as [string, string, number][];

describe('similarity is exactly CPython difflib ratio', () => {
  it('has vectors with long (autojunk) and non-ASCII names', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(1000);
    expect(vectors.filter(([, b]) => [...b].length >= 200).length).toBeGreaterThan(100);
    expect(vectors.filter(([a, b]) => /[^\x00-\x7f]/.test(a + b)).length).toBeGreaterThan(100);
  });

  it('gives the very same double for every vector', () => {
    const mismatches = vectors.filter(([a, b, expected]) => similarity(a, b) !== expected);
    expect(mismatches.slice(0, 5).map(([a, b, e]) => ({ a, b, expected: e, got: similarity(a, b) }))).toEqual([]);
  });

  it('bounds ratio by quick_ratio and real_quick_ratio', () => {
    for (const [a, b] of vectors) {
      const [pa, pb] = [prepareName(a), prepareName(b)];
      expect(ratio(pa, pb)).toBeLessThanOrEqual(quickRatio(pa, pb));
      expect(quickRatio(pa, pb)).toBeLessThanOrEqual(realQuickRatio(pa, pb));
    }
  });
});

describe('the pruned best-match search', () => {
  it('gives the same suggestion and confidence as all-pairs on 500 × 2,000 names', () => {
    const random = rng(99);
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: i, name: companyName(random) })).sort((x, y) => x.name.localeCompare(y.name));
    const pool = candidates(items, (c) => [c.name]);
    expect(pool.kernel).not.toBeNull(); // summed with WebAssembly SIMD, as large pools are
    // generated names repeat: the pool keeps each once, and the reference below scores every item
    expect(pool.entries.length).toBeLessThan(items.length);
    const prepared = items.map((item) => ({ id: item.id, name: prepareName(item.name) }));
    const everyItem = (q: string) => {
      const a = prepareName(q);
      let best: { id: number; confidence: number } | null = null;
      for (const item of prepared) {
        const r = ratio(a, item.name);
        if (r > 0.5 && (!best || r > best.confidence)) best = { id: item.id, confidence: r };
      }
      return best;
    };
    const queries = Array.from({ length: 500 }, () => `${companyName(random)} ${random() < 0.5 ? 'GmbH' : 'Ltd'}`);
    let found = 0;
    for (const [i, q] of queries.entries()) {
      const pruned = bestMatch(q, pool, 0.5);
      const full = bestMatchAllPairs(q, pool, 0.5);
      expect(pruned?.item.id, q).toBe(full?.item.id);
      expect(pruned?.confidence).toBe(full?.confidence);
      if (i < 100) {
        const reference = everyItem(q);
        expect(pruned?.item.id, q).toBe(reference?.id);
        expect(pruned?.confidence).toBe(reference?.confidence);
      }
      if (pruned) found++;
    }
    expect(found).toBeGreaterThan(100);
  });

  it('sums the same with the SIMD kernel as with the plain loop: repeats, accents, long and odd names', () => {
    expect(simdAvailable).toBe(true);
    const random = rng(7);
    const odd = ['', 'a', 'aaaaaaaaaaaaaaaaaaaa', 'Zürich Ünïcödé Ltd', '東京 株式会社', 'x'.repeat(300), `${'ab'.repeat(200)} Ltd`];
    const names = [...odd, ...Array.from({ length: SIMD_POOL_NAMES + 37 }, () => companyName(random))];
    const items = names.map((name, id) => ({ id, name }));
    const simd = candidates(items, (c) => [c.name]);
    const plain = candidates(items, (c) => [c.name], { simd: false });
    expect([simd.kernel !== null, plain.kernel]).toEqual([false, null]); // 'x' × 300: a count a byte cannot hold
    const short = items.filter((c) => c.name.length < 256); // every count fits a byte
    const fitting = candidates(short, (c) => [c.name]);
    const fittingPlain = candidates(short, (c) => [c.name], { simd: false });
    expect(fitting.kernel).not.toBeNull();
    for (const q of [...odd, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ...Array.from({ length: 200 }, () => companyName(random))]) {
      for (const threshold of [0, 0.3, 0.6]) {
        const [a, b] = [bestMatch(q, fitting, threshold), bestMatch(q, fittingPlain, threshold)];
        expect([a?.item.id, a?.confidence], q).toEqual([b?.item.id, b?.confidence]);
      }
    }
  });

  it('keeps the first candidate on ties and nothing at or below the threshold', () => {
    const pool = candidates([{ n: 'abcd' }, { n: 'abce' }, { n: 'zzzz' }], (c) => [c.n]);
    expect(bestMatch('abc', pool, 0.5)?.item.n).toBe('abcd');
    expect(bestMatch('zz', candidates([{ n: 'zzxxxx' }], (c) => [c.n]), 0.5)).toBeNull();
    // a name met again stays with its first holder, whichever of its names it is
    const twice = candidates([{ id: 1, n: ['Globex', 'Initech'] }, { id: 2, n: ['Initech Ltd', 'Globex'] }, { id: 3, n: ['Initech'] }], (c) => c.n);
    expect(twice.entries.map((e) => e.index)).toEqual([0, 0, 1]);
    expect(bestMatch('Initech', twice, 0.5)?.item.id).toBe(1);
    expect(bestMatch('Globex', twice, 0.5)?.item.id).toBe(1);
    expect(bestMatch('Initech Ltd.', twice, 0.5)?.item.id).toBe(2);
  });

  it('scores on past the first few when many bounds reach the bar: anagrams, whose bounds are all 1', () => {
    // every candidate is a shuffle of the name's letters, so quick_ratio cannot tell them apart and
    // most must be scored in full: past the first scans, the rest are taken from a heap
    const random = rng(7);
    const letters = [...'ArrowSphereGmbH'];
    const shuffles = Array.from({ length: 400 }, () => [...letters].sort(() => random() - 0.5).join(''));
    for (const [simd, pool] of [[true, candidates(shuffles, (n) => [n])], [false, candidates(shuffles, (n) => [n], { simd: false })]] as const) {
      for (const q of ['ArrowSphereGmbH', 'HbmGerehpSworrA', 'Arrow Sphere', 'GmbH']) {
        const full = bestMatchAllPairs(q, pool, 0.3);
        expect({ simd, q, found: bestMatch(q, pool, 0.3) }).toEqual({ simd, q, found: full });
      }
    }
  });
});
