import { prepareName, ratio, type PreparedSequence } from './difflib.js';

export interface BestMatch<T> {
  item: T;
  confidence: number;
}

/** Candidates prepared once for many searches, in their order (on equal similarity the earliest wins). */
export interface MatchPool<T> {
  items: T[];
  /** Every name of every candidate, with the candidate's position. */
  entries: { index: number; name: PreparedSequence }[];
  /** The names' lengths, by entry. */
  lengths: Int32Array;
  /** Per character (code point), how often it occurs in each entry's name: quick_ratio for all entries at once. */
  columns: Map<number, Int32Array>;
}

/** `names` gives the names a candidate is known by; its score is the best of them. */
export function candidates<T>(items: T[], names: (item: T) => string[]): MatchPool<T> {
  const entries = items.flatMap((item, index) => names(item).map((n) => ({ index, name: prepareName(n) })));
  const columns = new Map<number, Int32Array>();
  entries.forEach((e, j) => {
    const { elements, counts } = e.name;
    for (let k = 0; k < elements.length; k++) {
      let column = columns.get(elements[k]!);
      if (!column) columns.set(elements[k]!, (column = new Int32Array(entries.length)));
      column[j] = counts[k]!;
    }
  });
  return { items, entries, lengths: Int32Array.from(entries, (e) => e.name.length), columns };
}

let sharedScratch = new Int32Array(0);
let bounds = new Float64Array(0);

/** shared[j] += min(count, column[j]) for every entry: the hot loop, kept small and monomorphic. */
function addMinimums(shared: Int32Array, column: Int32Array, count: number, n: number) {
  for (let j = 0; j < n; j++) {
    const cb = column[j]!;
    shared[j] = shared[j]! + (cb < count ? cb : count);
  }
}

/**
 * The candidate most similar to `name`, if its similarity is above `threshold`; on ties the
 * earliest candidate wins. Exact, yet few pairs are scored in full: CPython's quick_ratio, an
 * upper bound of the ratio, is computed for every candidate at once from per-character count
 * columns; the candidate with the highest bound is scored first and sets the bar, then only
 * candidates whose bound reaches the bar are scored, best bound first, stopping at the first
 * bound below the best ratio found (an equal bound is still scored when earlier, for the tie).
 */
export function bestMatch<T>(name: string, pool: MatchPool<T>, threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  const n = pool.entries.length;
  if (sharedScratch.length < n) sharedScratch = new Int32Array(Math.max(n, sharedScratch.length * 2));
  const shared = sharedScratch;
  shared.fill(0, 0, n);
  // the multiset intersection of characters, for every entry: a few tight passes over typed arrays
  for (let k = 0; k < a.elements.length; k++) {
    const column = pool.columns.get(a.elements[k]!);
    if (column) addMinimums(shared, column, a.counts[k]!, n);
  }
  const la = a.length;
  const lengths = pool.lengths;
  if (bounds.length < n) bounds = new Float64Array(Math.max(n, bounds.length * 2));
  const boundOf = bounds;
  // every entry's bound, and the highest (the earliest of equals): scored first, it sets the bar
  let top = -1;
  for (let j = 0; j < n; j++) {
    const length = la + lengths[j]!;
    const b = length ? (2.0 * shared[j]!) / length : 1.0;
    boundOf[j] = b;
    if (b > threshold && (top < 0 || b > boundOf[top]!)) top = j;
  }
  if (top < 0) return null;
  let bar = threshold;
  let best = -1;
  const score = (j: number) => {
    const r = ratio(a, pool.entries[j]!.name);
    if (r > bar || (r === bar && j < best)) {
      bar = r;
      best = j;
    }
  };
  score(top);
  // then only the entries whose bound can still reach the bar, best bound first
  const rest: number[] = [];
  for (let j = 0; j < n; j++) if (j !== top && boundOf[j]! >= bar && boundOf[j]! > threshold) rest.push(j);
  rest.sort((x, y) => boundOf[y]! - boundOf[x]! || x - y);
  for (const j of rest) {
    const b = boundOf[j]!;
    if (b < bar) break;
    if (b === bar && j > best) continue;
    score(j);
  }
  return best < 0 ? null : { item: pool.items[pool.entries[best]!.index]!, confidence: bar };
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
