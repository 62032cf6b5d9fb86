import { prepareName, quickRatio, ratio, realQuickRatio, type PreparedSequence } from './difflib.js';

export interface BestMatch<T> {
  item: T;
  confidence: number;
}

interface Entry {
  /** The candidate's position: on equal similarity the earliest wins. */
  index: number;
  name: PreparedSequence;
}

/** Candidates prepared once for many searches: their names, and the names grouped by length. */
export interface MatchPool<T> {
  items: T[];
  entries: Entry[];
  byLength: Map<number, Entry[]>;
}

/** `names` gives the names a candidate is known by; its score is the best of them. */
export function candidates<T>(items: T[], names: (item: T) => string[]): MatchPool<T> {
  const entries = items.flatMap((item, index) => names(item).map((n) => ({ index, name: prepareName(n) })));
  const byLength = new Map<number, Entry[]>();
  for (const e of entries) {
    const list = byLength.get(e.name.length);
    if (list) list.push(e);
    else byLength.set(e.name.length, [e]);
  }
  return { items, entries, byLength };
}

/**
 * The candidate most similar to `name`, if its similarity is above `threshold`; on ties the
 * earliest candidate wins. Exact, yet most pairs are never scored: names are visited by length,
 * nearest first, since real_quick_ratio = 2·min(la, lb)/(la + lb) only falls as lengths part; a
 * length whose bound cannot beat the best so far ends the search, and quick_ratio skips most of
 * the rest. Only a pair that could still win (or tie with an earlier candidate) is scored in full.
 */
export function bestMatch<T>(name: string, pool: MatchPool<T>, threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  let bestIndex = -1;
  let bestRatio = 0;
  // lengths by their bound, highest first
  const lengths = [...pool.byLength.keys()]
    .map((lb) => ({ lb, bound: realQuickRatio(a, { length: lb }) }))
    .sort((x, y) => y.bound - x.bound);
  const cannotWin = (bound: number, index: number) =>
    bound <= threshold || (bestIndex >= 0 && (bound < bestRatio || (bound === bestRatio && index > bestIndex)));
  for (const { lb, bound } of lengths) {
    if (bound <= threshold || (bestIndex >= 0 && bound < bestRatio)) break;
    for (const e of pool.byLength.get(lb)!) {
      if (cannotWin(bound, e.index)) continue;
      if (cannotWin(quickRatio(a, e.name), e.index)) continue;
      const r = ratio(a, e.name);
      if (r > threshold && (bestIndex < 0 || r > bestRatio || (r === bestRatio && e.index < bestIndex))) {
        bestIndex = e.index;
        bestRatio = r;
      }
    }
  }
  return bestIndex < 0 ? null : { item: pool.items[bestIndex]!, confidence: bestRatio };
}

/** The same answer by scoring every pair in full, in order: the reference the search above is held to. */
export function bestMatchAllPairs<T>(name: string, pool: MatchPool<T>, threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  let best: { index: number; confidence: number } | null = null;
  for (const e of pool.entries) {
    const r = ratio(a, e.name);
    if (r > threshold && (!best || r > best.confidence)) best = { index: e.index, confidence: r };
  }
  return best ? { item: pool.items[best.index]!, confidence: best.confidence } : null;
}
