/**
 * A WebAssembly-SIMD single-precision GEMM, assembled here byte by byte (no toolchain needed,
 * about a kilobyte). Two entry points share one micro-kernel that keeps a 4×8 block of C in
 * eight f32x4 accumulators; per k it loads two vectors of a packed B panel and broadcasts four
 * elements of A (`v128.load32_splat`), unrolled `UNROLL` times with constant address offsets:
 *
 * - `gemmRows(a, lda, …)`: A row-major, row r at byte `a + r·lda` (no packing needed);
 * - `gemmPacked(a, astride, …)`: A in 4-row panels, panel p at `a + p·astride`, element (k, r)
 *   at `16k + 4r` (a transposed A packs into this layout with 16-byte copies).
 *
 * B is always packed in 8-column panels: panel q at `b + q·bstride`, element (k, c) at
 * `32k + 4c`. C is row-major with row stride `ldc` bytes; `acc = 1` adds to C, `0` overwrites.
 * M must be a multiple of 4, N of 8 and K of `UNROLL` (callers zero-pad). Everything lives in
 * the module's own memory; `wasm-batch-matmul.ts` packs operands from the tfjs heap into it.
 * `undefined` where WebAssembly SIMD is unavailable.
 */

/** unsigned LEB128 */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** signed LEB128 (small constants) */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// opcodes
const I32 = 0x7f;
const V128 = 0x7b;
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const i32c = (v: number) => [0x41, ...sleb(v)];
const add = [0x6a];
const sub = [0x6b];
const mul = [0x6c];
const shrU = [0x76];
const geU = [0x4f];
const eqz = [0x45];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const memarg = (offset: number) => [0, ...uleb(offset)]; // alignment hint 1 byte: always valid
const v128Load = (offset: number) => simd(0x00, ...memarg(offset));
const v128Store = (offset: number) => simd(0x0b, ...memarg(offset));
const load32Splat = (offset: number) => simd(0x09, ...memarg(offset));
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const brIf = (d: number) => [0x0d, d];
const br = (d: number) => [0x0c, d];
const end = [0x0b];
const ifVoid = [0x04, 0x40];
const elseOp = [0x05];

/** k-steps per loop iteration of the micro-kernel (K must be a multiple). */
export const UNROLL = 2;

// params: 0 a, 1 lda|astride, 2 b, 3 bstride, 4 c, 5 ldc, 6 M, 7 N, 8 K, 9 acc
const A = 0,
  LDA = 1,
  B = 2,
  BS = 3,
  C = 4,
  LDC = 5,
  M = 6,
  N = 7,
  K = 8,
  ACCF = 9;
// i32 locals
const I = 10,
  J = 11,
  KK = 12,
  PA0 = 13,
  PB = 17,
  PC = 18,
  PBJ = 19,
  T = 20;
// v128 locals
const ACC = (r: number, h: number) => 21 + 2 * r + h;
const B0 = 29,
  B1 = 30,
  S = 31;

function body(packed: boolean): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  emit(i32c(0), set(J), get(B), set(PBJ));
  emit(block, loop); // $j
  emit(get(J), get(N), geU, brIf(1));
  emit(i32c(0), set(I));
  emit(block, loop); // $i
  emit(get(I), get(M), geU, brIf(1));
  if (packed) {
    emit(get(A), get(I), i32c(2), shrU, get(LDA), mul, add, set(PA0));
  } else {
    emit(get(A), get(I), get(LDA), mul, add, set(PA0));
    for (let r = 1; r < 4; r++) emit(get(PA0 + r - 1), get(LDA), add, set(PA0 + r));
  }
  emit(get(PBJ), set(PB));
  // pc = c + i·ldc + 4j
  emit(get(C), get(I), get(LDC), mul, add, get(J), i32c(4), mul, add, set(PC));
  emit(get(ACCF), ifVoid);
  emit(get(PC), set(T));
  for (let r = 0; r < 4; r++) {
    emit(get(T), v128Load(0), set(ACC(r, 0)), get(T), v128Load(16), set(ACC(r, 1)));
    if (r < 3) emit(get(T), get(LDC), add, set(T));
  }
  emit(elseOp);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) emit(v128Zero, set(ACC(r, h)));
  emit(end);
  emit(get(K), set(KK));
  emit(block, loop); // $k
  emit(get(KK), eqz, brIf(1));
  for (let u = 0; u < UNROLL; u++) {
    emit(get(PB), v128Load(32 * u), set(B0), get(PB), v128Load(32 * u + 16), set(B1));
    for (let r = 0; r < 4; r++) {
      emit(packed ? [...get(PA0), ...load32Splat(16 * u + 4 * r)] : [...get(PA0 + r), ...load32Splat(4 * u)], set(S));
      for (let h = 0; h < 2; h++) emit(get(ACC(r, h)), get(S), get(h === 0 ? B0 : B1), f32x4Mul, f32x4Add, set(ACC(r, h)));
    }
  }
  if (packed) emit(get(PA0), i32c(16 * UNROLL), add, set(PA0));
  else for (let r = 0; r < 4; r++) emit(get(PA0 + r), i32c(4 * UNROLL), add, set(PA0 + r));
  emit(get(PB), i32c(32 * UNROLL), add, set(PB));
  emit(get(KK), i32c(UNROLL), sub, set(KK));
  emit(br(0), end, end); // br $k ; end loop ; end block
  // store the 4×8 block
  for (let r = 0; r < 4; r++) {
    emit(get(PC), get(ACC(r, 0)), v128Store(0), get(PC), get(ACC(r, 1)), v128Store(16));
    if (r < 3) emit(get(PC), get(LDC), add, set(PC));
  }
  emit(get(I), i32c(4), add, set(I));
  emit(br(0), end, end); // $i
  emit(get(J), i32c(8), add, set(J));
  emit(get(PBJ), get(BS), add, set(PBJ));
  emit(br(0), end, end); // $j
  code.push(...end); // end function
  const locals = vec([
    [...uleb(11), I32],
    [...uleb(11), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const type = section(1, vec([[0x60, ...vec(new Array(10).fill([I32])), 0x00]]));
  const func = section(3, vec([[0x00], [0x00]]));
  const memory = section(5, vec([[0x00, 0x01]])); // min 1 page, no max
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const exports = section(
    7,
    vec([
      [...name('gemmRows'), 0x00, 0x00],
      [...name('gemmPacked'), 0x00, 0x01],
      [...name('memory'), 0x02, 0x00],
    ]),
  );
  const code = section(10, vec([body(false), body(true)]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...func, ...memory, ...exports, ...code]);
}

/** The compiled kernels and their memory (all addresses and strides in bytes). */
export interface SimdGemm {
  /** C[M×N] (+)= A·B with A row-major (row r at a + r·lda), B in 8-column panels. */
  gemmRows(a: number, lda: number, b: number, bstride: number, c: number, ldc: number, M: number, N: number, K: number, acc: number): void;
  /** C[M×N] (+)= A·B with A in 4-row panels (panel p at a + p·astride), B in 8-column panels. */
  gemmPacked(
    a: number,
    astride: number,
    b: number,
    bstride: number,
    c: number,
    ldc: number,
    M: number,
    N: number,
    K: number,
    acc: number,
  ): void;
  memory: WebAssembly.Memory;
}

let cached: SimdGemm | null | undefined;

/** The SIMD GEMM, or `undefined` when this engine has no WebAssembly SIMD. */
export function simdGemm(): SimdGemm | undefined {
  if (cached === undefined) {
    try {
      const bytes = moduleBytes();
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {});
      cached = instance.exports as unknown as SimdGemm;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
