/**
 * The matcher's hot loop, `shared[j] += min(count, column[j])` over every name of a pool, sixteen
 * names an instruction with WebAssembly SIMD. V8 runs the same loop in plain JavaScript at about
 * 4 ns a name, which was two thirds of matching 2,000 Arrow names against 5,000 Waldur ones.
 *
 * The module is written out below (one function; some 150 bytes in all), so nothing has to be
 * built or downloaded. Columns are bytes (every count in a pool's names fits one) and the running sums
 * 16-bit (a pool's names are shorter than 65,536 characters), both checked by the pool, which
 * keeps the plain loop for anything else and for pools too small to be worth a memory of their own.
 */

// (func (param $column i32) (param $shared i32) (param $count i32) (param $n i32)
//   (local $end i32) (local $counts v128) (local $v v128)
//   counts = i8x16.splat(count); end = column + n
//   (loop
//     v = i8x16.min_u(v128.load(column), counts)
//     v128.store(shared, i16x8.add(v128.load(shared), i16x8.extend_low_i8x16_u(v)))
//     v128.store offset=16 (shared, i16x8.add(v128.load offset=16 (shared), i16x8.extend_high_i8x16_u(v)))
//     column += 16; shared += 32
//     br_if 0 (column < end)))
// $n is a positive multiple of 16.
const body = [
  0x02, 0x01, 0x7f, 0x02, 0x7b, // locals: 1 × i32 ($end, 4), 2 × v128 ($counts 5, $v 6)
  0x20, 0x02, 0xfd, 0x0f, 0x21, 0x05, // counts = i8x16.splat(count)
  0x20, 0x00, 0x20, 0x03, 0x6a, 0x21, 0x04, // end = column + n
  0x03, 0x40, // loop
  0x20, 0x00, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x05, 0xfd, 0x77, 0x21, 0x06, // v = min_u(load(column), counts)
  0x20, 0x01, // store address: shared
  0x20, 0x01, 0xfd, 0x00, 0x00, 0x00, 0x20, 0x06, 0xfd, 0x89, 0x01, 0xfd, 0x8e, 0x01, // load(shared) + extend_low(v)
  0xfd, 0x0b, 0x00, 0x00, // v128.store
  0x20, 0x01, // store address: shared (offset 16)
  0x20, 0x01, 0xfd, 0x00, 0x00, 0x10, 0x20, 0x06, 0xfd, 0x8a, 0x01, 0xfd, 0x8e, 0x01, // load(shared+16) + extend_high(v)
  0xfd, 0x0b, 0x00, 0x10, // v128.store offset=16
  0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, // column += 16
  0x20, 0x01, 0x41, 0x20, 0x6a, 0x21, 0x01, // shared += 32
  0x20, 0x00, 0x20, 0x04, 0x49, 0x0d, 0x00, // br_if 0 (column < end, unsigned)
  0x0b, // end loop
  0x0b, // end function
];
const section = (id: number, bytes: number[]) => [id, ...leb128(bytes.length), ...bytes];
const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type: (i32 i32 i32 i32) -> ()
  ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import env.memory (min 1 page)
  ...section(3, [0x01, 0x00]), // one function of type 0
  ...section(7, [0x01, ...name('addMinimums'), 0x00, 0x00]), // export it
  ...section(10, [0x01, ...leb128(body.length), ...body]),
]);

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Null where WebAssembly SIMD is not available (the plain loop does the work then). */
const kernel = (() => {
  try {
    return WebAssembly.validate(MODULE) ? new WebAssembly.Module(MODULE) : null;
  } catch {
    return null;
  }
})();

export const simdAvailable = kernel !== null;

/** A pool's count columns and running sums in one WebAssembly memory, summed by the kernel. */
export class MinimumsKernel {
  /** Per character, its column: one byte per name, padded to a multiple of 16. */
  readonly columns = new Map<number, Uint8Array>();
  /** The running sums, one per name (padded). */
  readonly shared: Uint16Array;
  /** Names, padded to a multiple of 16. */
  readonly padded: number;
  private readonly add: (column: number, shared: number, count: number, n: number) => void;

  constructor(names: number, characters: number[]) {
    if (!kernel) throw new Error('WebAssembly SIMD is not available');
    this.padded = Math.max(16, Math.ceil(names / 16) * 16);
    const bytes = this.padded * characters.length + this.padded * 2;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    characters.forEach((c, k) => this.columns.set(c, new Uint8Array(memory.buffer, k * this.padded, this.padded)));
    this.shared = new Uint16Array(memory.buffer, characters.length * this.padded, this.padded);
    const instance = new WebAssembly.Instance(kernel, { env: { memory } });
    this.add = instance.exports.addMinimums as (column: number, shared: number, count: number, n: number) => void;
  }

  /** shared[j] += min(count, column[j]) for every name. */
  addMinimums(column: Uint8Array, count: number) {
    this.add(column.byteOffset, this.shared.byteOffset, count > 255 ? 255 : count, this.padded);
  }
}
