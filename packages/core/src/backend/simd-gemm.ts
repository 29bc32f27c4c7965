/**
 * A WebAssembly-SIMD single-precision GEMM, assembled here byte by byte (no toolchain needed,
 * about a kilobyte). Two entry points share one micro-kernel that keeps an mr×8 block of C (mr = 4
 * by default) in f32x4 accumulators; per k it loads two vectors of B and broadcasts mr elements
 * of A (`v128.load32_splat`). K is not unrolled: TurboFan schedules every load of a loop body
 * before its arithmetic, so a 2× unrolled body (16 loaded values + 8 accumulators) spills to the
 * stack, while the plain loop keeps 14 of x64's 15 allocatable xmm registers busy (22.3 vs 18.6
 * GFLOP/s CPU time in cache, docs/backends.md); V8 unrolls the loop itself without spilling.
 *
 * - `gemmRows(a, lda, …)`: A row-major, row r at byte `a + r·lda` (no packing needed);
 * - `gemmPacked(a, astride, …)`: A in mr-row panels, panel p at `a + p·astride`, element (k, r)
 *   at `4·mr·k + 4r` (a transposed A packs into this layout with 16-byte copies).
 *
 * B is in 8-column panels: panel q at `b + q·bstride`, element (k, c) at `k·ldb + 4c` — packed
 * (`ldb` = 32, `bstride` = 32·K) or, for a row-major K×N matrix with N a multiple of 8, in place
 * (`bstride` = 32, `ldb` = 4N). C is row-major with row stride `ldc` bytes; `acc = 1` adds to C,
 * `0` overwrites. M must be a multiple of mr and N of 8 (callers zero-pad). Everything lives in
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

/** Shape of the micro-kernel: an `mr`×`4·nv` block of C in mr·nv f32x4 accumulators, K unrolled `unroll` times. */
export interface GemmShape {
  mr: number;
  nv: number;
  unroll: number;
}

/** The default micro-kernel (see docs/backends.md for the measured alternatives). */
export const DEFAULT_SHAPE: GemmShape = { mr: 4, nv: 2, unroll: 1 };

/** k-steps per loop iteration of the default micro-kernel (K must be a multiple). */
export const UNROLL = DEFAULT_SHAPE.unroll;

// params: 0 a, 1 lda|astride, 2 b, 3 bstride, 4 c, 5 ldc, 6 M, 7 N, 8 K, 9 acc, 10 ldb
const A = 0,
  LDA = 1,
  B = 2,
  BS = 3,
  C = 4,
  LDC = 5,
  M = 6,
  N = 7,
  K = 8,
  ACCF = 9,
  LDB = 10;
const NPARAMS = 11;

function body(packed: boolean, { mr, nv, unroll }: GemmShape): number[] {
  const nr = 4 * nv;
  // i32 locals
  const I = NPARAMS,
    J = NPARAMS + 1,
    KK = NPARAMS + 2,
    PB = NPARAMS + 3,
    PC = NPARAMS + 4,
    PBJ = NPARAMS + 5,
    T = NPARAMS + 6,
    PA0 = NPARAMS + 7;
  const nI32 = 7 + mr;
  // v128 locals
  const V0 = NPARAMS + nI32;
  const ACC = (r: number, h: number) => V0 + nv * r + h;
  const BV = (h: number) => V0 + mr * nv + h;
  const S = V0 + mr * nv + nv;
  const nV128 = mr * nv + nv + 1;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  emit(i32c(0), set(J), get(B), set(PBJ));
  emit(block, loop); // $j
  emit(get(J), get(N), geU, brIf(1));
  emit(i32c(0), set(I));
  emit(block, loop); // $i
  emit(get(I), get(M), geU, brIf(1));
  if (packed) {
    // panel p = i / mr at a + p·astride
    emit(get(A), get(I), i32c(mr), [0x6e] /* i32.div_u */, get(LDA), mul, add, set(PA0));
  } else {
    emit(get(A), get(I), get(LDA), mul, add, set(PA0));
    for (let r = 1; r < mr; r++) emit(get(PA0 + r - 1), get(LDA), add, set(PA0 + r));
  }
  emit(get(PBJ), set(PB));
  // pc = c + i·ldc + 4j
  emit(get(C), get(I), get(LDC), mul, add, get(J), i32c(4), mul, add, set(PC));
  emit(get(ACCF), ifVoid);
  emit(get(PC), set(T));
  for (let r = 0; r < mr; r++) {
    for (let h = 0; h < nv; h++) emit(get(T), v128Load(16 * h), set(ACC(r, h)));
    if (r < mr - 1) emit(get(T), get(LDC), add, set(T));
  }
  emit(elseOp);
  for (let r = 0; r < mr; r++) for (let h = 0; h < nv; h++) emit(v128Zero, set(ACC(r, h)));
  emit(end);
  emit(get(K), set(KK));
  emit(block, loop); // $k
  emit(get(KK), eqz, brIf(1));
  for (let u = 0; u < unroll; u++) {
    if (u > 0) emit(get(PB), get(LDB), add, set(PB));
    for (let h = 0; h < nv; h++) emit(get(PB), v128Load(16 * h), set(BV(h)));
    for (let r = 0; r < mr; r++) {
      emit(packed ? [...get(PA0), ...load32Splat(4 * mr * u + 4 * r)] : [...get(PA0 + r), ...load32Splat(4 * u)], set(S));
      for (let h = 0; h < nv; h++) emit(get(ACC(r, h)), get(S), get(BV(h)), f32x4Mul, f32x4Add, set(ACC(r, h)));
    }
  }
  if (packed) emit(get(PA0), i32c(4 * mr * unroll), add, set(PA0));
  else for (let r = 0; r < mr; r++) emit(get(PA0 + r), i32c(4 * unroll), add, set(PA0 + r));
  emit(get(PB), get(LDB), add, set(PB));
  emit(get(KK), i32c(unroll), sub, set(KK));
  emit(br(0), end, end); // br $k ; end loop ; end block
  // store the mr×nr block
  for (let r = 0; r < mr; r++) {
    for (let h = 0; h < nv; h++) emit(get(PC), get(ACC(r, h)), v128Store(16 * h));
    if (r < mr - 1) emit(get(PC), get(LDC), add, set(PC));
  }
  emit(get(I), i32c(mr), add, set(I));
  emit(br(0), end, end); // $i
  emit(get(J), i32c(nr), add, set(J));
  emit(get(PBJ), get(BS), add, set(PBJ));
  emit(br(0), end, end); // $j
  code.push(...end); // end function
  const locals = vec([
    [...uleb(nI32), I32],
    [...uleb(nV128), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(shape: GemmShape): Uint8Array {
  const type = section(1, vec([[0x60, ...vec(new Array(NPARAMS).fill([I32])), 0x00]]));
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
  const code = section(10, vec([body(false, shape), body(true, shape)]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...func, ...memory, ...exports, ...code]);
}

/**
 * One kernel entry point: `(a, lda | astride, b, bstride, c, ldc, M, N, K, acc, ldb)`, addresses and
 * strides in bytes (see the module comment for the layouts).
 */
export type GemmEntry = (
  a: number,
  aStride: number,
  b: number,
  bstride: number,
  c: number,
  ldc: number,
  M: number,
  N: number,
  K: number,
  acc: number,
  ldb: number,
) => void;

/** The compiled kernels and their memory (all addresses and strides in bytes). */
export interface SimdGemm {
  /** C[M×N] (+)= A·B with A row-major (row r at a + r·lda), B in 8-column panels. */
  gemmRows: GemmEntry;
  /** C[M×N] (+)= A·B with A in mr-row panels (panel p at a + p·astride), B in 8-column panels. */
  gemmPacked: GemmEntry;
  memory: WebAssembly.Memory;
  /** The micro-kernel's block shape. */
  shape: GemmShape;
}

/** Compile a micro-kernel of the given shape (for benchmarks comparing shapes); throws without SIMD. */
export function buildSimdGemm(shape: GemmShape): SimdGemm {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(shape) as Uint8Array<ArrayBuffer>), {});
  return { ...(instance.exports as unknown as Omit<SimdGemm, 'shape'>), shape };
}

let cached: SimdGemm | null | undefined;

/** The SIMD GEMM, or `undefined` when this engine has no WebAssembly SIMD. */
export function simdGemm(): SimdGemm | undefined {
  if (cached === undefined) {
    try {
      cached = buildSimdGemm(DEFAULT_SHAPE);
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
