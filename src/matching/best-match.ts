import { prepareName, ratio, type PreparedSequence } from './difflib.js';
import { MinimumsKernel, simdAvailable } from './minimums-kernel.js';

/** From this many names a pool sums its columns with WebAssembly SIMD (a memory of its own is worth it). */
export const SIMD_POOL_NAMES = 256;

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
  /** The same columns as bytes for the SIMD kernel, which then sums them instead (large pools). */
  kernel: MinimumsKernel | null;
}

/**
 * `names` gives the names a candidate is known by; its score is the best of them. `simd: false`
 * keeps the plain loop whatever the pool's size (the tests hold both to the same answers).
 */
export function candidates<T>(items: T[], names: (item: T) => string[], options: { simd?: boolean } = {}): MatchPool<T> {
  // a name met again is left out: it scores what its first entry does, and on a tie the earlier wins
  // (50,000 generated Waldur customers carry 15,000 names; real ones repeat "Production" and the like)
  const seen = new Set<string>();
  const entries = items.flatMap((item, index) => names(item).filter((n) => !seen.has(n) && seen.add(n)).map((n) => ({ index, name: prepareName(n) })));
  // the kernel's columns are bytes and its sums 16-bit: every count and length must fit
  const fits = entries.every((e) => e.name.length < 65_536 && e.name.counts.every((c) => c <= 255));
  const kernel = (options.simd ?? true) && simdAvailable && fits && entries.length >= SIMD_POOL_NAMES ? new MinimumsKernel(entries.length, [...new Set(entries.flatMap((e) => [...e.name.elements]))]) : null;
  const columns = new Map<number, Int32Array>();
  entries.forEach((e, j) => {
    const { elements, counts } = e.name;
    for (let k = 0; k < elements.length; k++) {
      if (kernel) {
        kernel.columns.get(elements[k]!)![j] = counts[k]!;
        continue;
      }
      let column = columns.get(elements[k]!);
      if (!column) columns.set(elements[k]!, (column = new Int32Array(entries.length)));
      column[j] = counts[k]!;
    }
  });
  return { items, entries, lengths: Int32Array.from(entries, (e) => e.name.length), columns, kernel };
}

let sharedScratch = new Int32Array(0);
let bounds = new Float64Array(0);
let waiting = new Int32Array(0);
/** Entries found by scanning before the rest are put in a heap (see bestMatch). */
const SCANS_BEFORE_HEAP = 8;
/** The entries with the highest bounds, scored before the others are looked at (see bestMatch). */
const SEEDS = 16;
const seedEntries = new Int32Array(SEEDS);
const seedTwices = new Float64Array(SEEDS);
const seedLengths = new Float64Array(SEEDS);

/** shared[j] += min(count, column[j]) for every entry: the hot loop, kept small and monomorphic. */
function addMinimums(shared: Int32Array, column: Int32Array, count: number, n: number) {
  for (let j = 0; j < n; j++) {
    const cb = column[j]!;
    shared[j] = shared[j]! + (cb < count ? cb : count);
  }
}

/** The multiset intersection of `a`'s characters with every entry's: one pass per character of `a`. */
function intersections(a: PreparedSequence, pool: MatchPool<unknown>): Int32Array | Uint16Array {
  const kernel = pool.kernel;
  if (kernel) {
    kernel.shared.fill(0);
    for (let k = 0; k < a.elements.length; k++) {
      const column = kernel.columns.get(a.elements[k]!);
      if (column) kernel.addMinimums(column, a.counts[k]!);
    }
    return kernel.shared;
  }
  const n = pool.entries.length;
  if (sharedScratch.length < n) sharedScratch = new Int32Array(Math.max(n, sharedScratch.length * 2));
  const shared = sharedScratch;
  shared.fill(0, 0, n);
  for (let k = 0; k < a.elements.length; k++) {
    const column = pool.columns.get(a.elements[k]!);
    if (column) addMinimums(shared, column, a.counts[k]!, n);
  }
  return shared;
}

/**
 * The candidate most similar to `name`, if its similarity is above `threshold`; on ties the
 * earliest candidate wins. Exact, yet few pairs are scored in full: CPython's quick_ratio, an
 * upper bound of the ratio, is computed for every candidate at once from per-character count
 * columns; the few candidates with the highest bounds are scored first and set the bar, then only
 * candidates whose bound reaches the bar are scored, best bound first, stopping at the first
 * bound below the best ratio found (an equal bound is still scored when earlier, for the tie).
 */
export function bestMatch<T>(name: string, pool: MatchPool<T>, threshold: number): BestMatch<T> | null {
  const a = prepareName(name);
  const n = pool.entries.length;
  const shared = intersections(a, pool);
  const la = a.length;
  const lengths = pool.lengths;
  if (bounds.length < n) bounds = new Float64Array(Math.max(n, bounds.length * 2));
  const boundOf = bounds;
  if (waiting.length < n) waiting = new Int32Array(Math.max(n, waiting.length * 2));
  // the SEEDS entries with the highest bounds (the earliest of equals), compared without division
  // (bounds are 2 × shared / length; an empty pair's is 1, as 2 / 2): scored first, the best of
  // their ratios sets the bar, which most entries' bounds then fail (names of common words share
  // most of their characters: after the top one alone, some 2,200 of 15,000 still reached it)
  let seeds = 0;
  for (let j = 0; j < n; j++) {
    const length = la + lengths[j]!;
    const twice = length ? 2 * shared[j]! : 2;
    const over = length || 2;
    if (seeds === SEEDS && twice * seedLengths[SEEDS - 1]! <= seedTwices[SEEDS - 1]! * over) continue;
    // into the seeds, kept in order: highest bound first, the earlier entry first among equals
    let at = seeds < SEEDS ? seeds++ : SEEDS - 1;
    while (at > 0 && twice * seedLengths[at - 1]! > seedTwices[at - 1]! * over) {
      seedEntries[at] = seedEntries[at - 1]!;
      seedTwices[at] = seedTwices[at - 1]!;
      seedLengths[at] = seedLengths[at - 1]!;
      at--;
    }
    seedEntries[at] = j;
    seedTwices[at] = twice;
    seedLengths[at] = over;
  }
  if (seeds === 0 || !(seedTwices[0]! / seedLengths[0]! > threshold)) return null;
  let bar = threshold;
  let best = -1;
  const score = (j: number) => {
    const r = ratio(a, pool.entries[j]!.name);
    if (r > bar || (r === bar && j < best)) {
      bar = r;
      best = j;
    }
  };
  for (let k = 0; k < seeds; k++) {
    const b = seedTwices[k]! / seedLengths[k]!;
    if (b > bar || (b === bar && seedEntries[k]! < best)) score(seedEntries[k]!);
  }
  const seeded = (j: number) => {
    for (let k = 0; k < seeds; k++) if (seedEntries[k] === j) return true;
    return false;
  };
  // then only the entries whose bound can still reach the bar: a test without division, a hair
  // lenient, lets through those whose bound is then computed and compared as CPython would
  const lenient = bar * (1 - 1e-9);
  let size = 0;
  for (let j = 0; j < n; j++) {
    const length = la + lengths[j]!;
    const twice = 2 * shared[j]!;
    if ((twice >= lenient * length || length === 0) && !seeded(j)) {
      const b = length ? twice / length : 1.0;
      if (b >= bar && b > threshold) {
        boundOf[j] = b;
        waiting[size++] = j;
      }
    }
  }
  // best bound first, until a bound falls below the best ratio found (an equal bound is still
  // scored when earlier, for the tie). The bar usually ends the search after one or two, so the
  // first few are found by a scan of those left, which each new bar thins; a search that goes on
  // orders the rest in a heap (thousands of bounds reach a bar; ordering them all for one or two
  // cost more than the scoring)
  for (let scans = 0; size > 0 && scans < SCANS_BEFORE_HEAP; scans++) {
    let at = 0;
    for (let i = 1; i < size; i++) {
      const x = waiting[i]!;
      const y = waiting[at]!;
      if (boundOf[x]! > boundOf[y]! || (boundOf[x] === boundOf[y] && x < y)) at = i;
    }
    const j = waiting[at]!;
    waiting[at] = waiting[--size]!;
    const b = boundOf[j]!;
    if (b < bar) return found(pool, best, bar);
    if (b === bar && j > best) continue;
    score(j);
    let kept = 0;
    for (let i = 0; i < size; i++) if (boundOf[waiting[i]!]! >= bar) waiting[kept++] = waiting[i]!;
    size = kept;
  }
  const before = (x: number, y: number) => boundOf[x]! > boundOf[y]! || (boundOf[x] === boundOf[y] && x < y);
  const sink = (at: number) => {
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const child = left + 1 < size && before(waiting[left + 1]!, waiting[left]!) ? left + 1 : left;
      if (!before(waiting[child]!, waiting[at]!)) return;
      const swap = waiting[at]!;
      waiting[at] = waiting[child]!;
      waiting[child] = swap;
      at = child;
    }
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) sink(i);
  while (size > 0) {
    const j = waiting[0]!;
    waiting[0] = waiting[--size]!;
    sink(0);
    const b = boundOf[j]!;
    if (b < bar) break;
    if (b === bar && j > best) continue;
    score(j);
  }
  return found(pool, best, bar);
}

const found = <T>(pool: MatchPool<T>, best: number, bar: number): BestMatch<T> | null =>
  best < 0 ? null : { item: pool.items[pool.entries[best]!.index]!, confidence: bar };

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
