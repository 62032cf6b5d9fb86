import { prepareName, quickRatio, ratio, realQuickRatio, type PreparedSequence } from './difflib.js';

export interface Candidate<T> {
  item: T;
  /** The names this candidate is known by; its score is the best of them. */
  names: PreparedSequence[];
}

export interface BestMatch<T> {
  item: T;
  confidence: number;
}

export function candidates<T>(items: T[], names: (item: T) => string[]): Candidate<T>[] {
  return items.map((item) => ({ item, names: names(item).map(prepareName) }));
}

/**
 * The candidate most similar to `name`, if its similarity is above `threshold`; on ties the
 * earliest candidate wins. The cheap upper bounds (real_quick_ratio, then quick_ratio) skip a
 * pair only when it cannot beat the best so far, so the answer equals the all-pairs search's.
 */
export function bestMatch<T>(name: string, pool: Candidate<T>[], threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  let best: BestMatch<T> | null = null;
  let bar = threshold;
  for (const candidate of pool) {
    for (const b of candidate.names) {
      if (realQuickRatio(a, b) <= bar || quickRatio(a, b) <= bar) continue;
      const r = ratio(a, b);
      if (r > bar) {
        bar = r;
        best = { item: candidate.item, confidence: r };
      }
    }
  }
  return best;
}

/** The same answer by scoring every pair in full: the reference the pruned search is held to. */
export function bestMatchAllPairs<T>(name: string, pool: Candidate<T>[], threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  let best: BestMatch<T> | null = null;
  for (const candidate of pool) {
    for (const b of candidate.names) {
      const r = ratio(a, b);
      if (r > threshold && (!best || r > best.confidence)) best = { item: candidate.item, confidence: r };
    }
  }
  return best;
}
