/**
 * CPython's difflib.SequenceMatcher(None, a, b) ratio, to the last digit.
 *
 * Strings are compared by code point, as Python does. With autojunk (the default) and b of 200 or
 * more code points, every element that occurs more than len(b)//100 + 1 times in b is "popular":
 * left out of the index used to find matches, yet still allowed to extend a match (CPython only
 * treats isjunk's elements as junk there, and isjunk is None).
 */
export class PreparedSequence {
  readonly codes: number[];
  /** The distinct elements, ascending, and how often each occurs (for quick_ratio). */
  readonly elements: Int32Array;
  readonly counts: Int32Array;
  private index: Map<number, number[]> | undefined;

  constructor(readonly text: string) {
    // code points, as iterating the string gives them (a screen prepares thousands of names,
    // so without an iterator, a Map or a comparator)
    const codes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.codePointAt(i)!;
      codes.push(c);
      if (c > 0xffff) i++;
    }
    this.codes = codes;
    const sorted = new Int32Array(codes).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    this.elements = new Int32Array(distinct);
    this.counts = new Int32Array(distinct);
    for (let i = 0, k = -1; i < sorted.length; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) this.elements[++k] = sorted[i]!;
      this.counts[k]!++;
    }
  }

  /**
   * Element → positions in the sequence, without popular elements (CPython's b2j). Built when
   * first needed: only the few names scored in full, as `b`, ever need it.
   */
  get b2j(): Map<number, number[]> {
    if (this.index) return this.index;
    const index = new Map<number, number[]>();
    this.codes.forEach((c, j) => {
      const list = index.get(c);
      if (list) list.push(j);
      else index.set(c, [j]);
    });
    const n = this.codes.length;
    if (n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      for (const [c, idxs] of index) if (idxs.length > ntest) index.delete(c);
    }
    return (this.index = index);
  }

  get length() {
    return this.codes.length;
  }
}

/** Lower-cased as Python's str.lower() would, then prepared as the `b` side. */
export function prepareName(name: string): PreparedSequence {
  return new PreparedSequence(name.toLowerCase());
}

/**
 * CPython's find_longest_match. Its j2len dicts become two Int32Arrays indexed by j+1 (so that
 * j2len[j-1] is prev[j]); entries written in a row are cleared before the arrays swap, which
 * keeps each row's cost proportional to its matches, as with the dicts.
 */
function findLongestMatch(a: number[], b: PreparedSequence, alo: number, ahi: number, blo: number, bhi: number, rows: Rows): [number, number, number] {
  const bc = b.codes;
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let prev = rows.a;
  let cur = rows.b;
  let prevTouched = rows.touchedA;
  let curTouched = rows.touchedB;
  let prevCount = 0;
  for (let i = alo; i < ahi; i++) {
    let curCount = 0;
    const js = b.b2j.get(a[i]!);
    if (js) {
      for (let n = 0; n < js.length; n++) {
        const j = js[n]!;
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = prev[j]! + 1;
        cur[j + 1] = k;
        curTouched[curCount++] = j + 1;
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
    }
    for (let n = 0; n < prevCount; n++) prev[prevTouched[n]!] = 0;
    [prev, cur] = [cur, prev];
    [prevTouched, curTouched] = [curTouched, prevTouched];
    prevCount = curCount;
  }
  for (let n = 0; n < prevCount; n++) prev[prevTouched[n]!] = 0;
  // No element is junk (isjunk is None), so CPython extends the match over equal neighbours,
  // popular ones included.
  while (besti > alo && bestj > blo && a[besti - 1] === bc[bestj - 1]) {
    besti--;
    bestj--;
    bestsize++;
  }
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === bc[bestj + bestsize]) bestsize++;
  return [besti, bestj, bestsize];
}

interface Rows {
  a: Int32Array;
  b: Int32Array;
  touchedA: Int32Array;
  touchedB: Int32Array;
}

let scratch: Rows = { a: new Int32Array(0), b: new Int32Array(0), touchedA: new Int32Array(0), touchedB: new Int32Array(0) };

/** Zeroed rows for a b of this length, reused between calls (they are left zeroed). */
function rowsFor(length: number): Rows {
  if (scratch.a.length < length + 1) {
    const size = Math.max(length + 1, scratch.a.length * 2, 64);
    scratch = { a: new Int32Array(size), b: new Int32Array(size), touchedA: new Int32Array(size), touchedB: new Int32Array(size) };
  }
  return scratch;
}

/** The total size of CPython's matching blocks. */
export function matchingCharacters(a: PreparedSequence, b: PreparedSequence): number {
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  const rows = rowsFor(b.length);
  let matches = 0;
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = findLongestMatch(a.codes, b, alo, ahi, blo, bhi, rows);
    if (k) {
      matches += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
  }
  return matches;
}

function calculateRatio(matches: number, length: number): number {
  return length ? (2.0 * matches) / length : 1.0;
}

export function ratio(a: PreparedSequence, b: PreparedSequence): number {
  return calculateRatio(matchingCharacters(a, b), a.length + b.length);
}

/** An upper bound of ratio() from the shared character multiset (CPython's quick_ratio). */
export function quickRatio(a: PreparedSequence, b: PreparedSequence): number {
  // the multiset intersection, by merging the two sorted element lists
  let matches = 0;
  const ea = a.elements;
  const eb = b.elements;
  let i = 0;
  let j = 0;
  while (i < ea.length && j < eb.length) {
    const x = ea[i]!;
    const y = eb[j]!;
    if (x === y) {
      matches += Math.min(a.counts[i]!, b.counts[j]!);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return calculateRatio(matches, a.length + b.length);
}

/** An upper bound of quickRatio() from the lengths alone (CPython's real_quick_ratio). */
export function realQuickRatio(a: PreparedSequence, b: PreparedSequence): number {
  return calculateRatio(Math.min(a.length, b.length), a.length + b.length);
}

/** Waldur's name similarity: SequenceMatcher(None, a.lower(), b.lower()).ratio(). */
export function similarity(a: string, b: string): number {
  return ratio(prepareName(a), prepareName(b));
}
