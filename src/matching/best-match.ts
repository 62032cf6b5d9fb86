import { prepareName, quickRatio, ratio, realQuickRatio, type PreparedSequence } from './difflib.js';

export interface BestMatch<T> {
  item: T;
  confidence: number;
}

/** Candidates prepared once for many searches, in their order (on equal similarity the earliest wins). */
export interface MatchPool<T> {
  items: T[];
  /** Every name of every candidate, with the candidate's position. */
  entries: { index: number; name: PreparedSequence }[];
}

/** `names` gives the names a candidate is known by; its score is the best of them. */
export function candidates<T>(items: T[], names: (item: T) => string[]): MatchPool<T> {
  return { items, entries: items.flatMap((item, index) => names(item).map((n) => ({ index, name: prepareName(n) }))) };
}

/**
 * The candidate most similar to `name`, if its similarity is above `threshold`; on ties the
 * earliest candidate wins. Exact, yet few pairs are scored in full: a pair is skipped when an
 * upper bound of its ratio, real_quick_ratio (lengths) then quick_ratio (shared characters),
 * cannot beat the best so far. Candidates are visited in order, so "not better" keeps the
 * earliest of equals, as the all-pairs search does.
 */
export function bestMatch<T>(name: string, pool: MatchPool<T>, threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  let best = -1;
  let bar = threshold;
  for (const e of pool.entries) {
    if (realQuickRatio(a, e.name) <= bar || quickRatio(a, e.name) <= bar) continue;
    const r = ratio(a, e.name);
    if (r > bar) {
      bar = r;
      best = e.index;
    }
  }
  return best < 0 ? null : { item: pool.items[best]!, confidence: bar };
}

/** The same answer by scoring every pair in full: the reference the search above is held to. */
export function bestMatchAllPairs<T>(name: string, pool: MatchPool<T>, threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  let best: { index: number; confidence: number } | null = null;
  for (const e of pool.entries) {
    const r = ratio(a, e.name);
    if (r > threshold && (!best || r > best.confidence)) best = { index: e.index, confidence: r };
  }
  return best ? { item: pool.items[best.index]!, confidence: best.confidence } : null;
}
