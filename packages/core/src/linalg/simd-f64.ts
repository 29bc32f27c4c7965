/**
 * A WebAssembly-SIMD double-precision GEMM update, assembled here byte by byte (no toolchain,
 * a few hundred bytes), for the float64 Cholesky, triangular inverse and triangular solves:
 *
 *   C[M×N] ∓= A[M×K] · B[K×N]      (M a multiple of 4, N a multiple of 4, any K ≥ 0)
 *
 * row-major with element strides `lda`, `ldb`, `ldc`, all in the module's memory. The
 * micro-kernel keeps a 4×4 block of C in eight f64x2 accumulators; per k it loads two vectors
 * of B's row and broadcasts four elements of A's column (`v128.load64_splat`), so B is streamed
 * row by row and a 4×K strip of A stays in L1. Cache blocking over K and N is the caller's
 * (see `gemm.ts`). Same technique as core's float32 kernel (`backend/simd-gemm.ts`).
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

const I32 = 0x7f;
const V128 = 0x7b;
const get = (l: number): number[] => [0x20, ...uleb(l)];
const set = (l: number): number[] => [0x21, ...uleb(l)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const add = [0x6a];
const mul = [0x6c];
const geU = [0x4f];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const memarg = (offset: number): number[] => [0, ...uleb(offset)]; // alignment hint 1 byte: always valid
const v128Load = (offset: number): number[] => simd(0x00, ...memarg(offset));
const v128Store = (offset: number): number[] => simd(0x0b, ...memarg(offset));
const load64Splat = simd(0x0a, ...memarg(0));
const f64x2Add = simd(0xf0);
const f64x2Sub = simd(0xf1);
const f64x2Mul = simd(0xf2);
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));

// params: 0 c, 1 a, 2 b (byte addresses), 3 M, 4 N, 5 K, 6 ldc, 7 lda, 8 ldb (elements)
// i32 locals: 9 i, 10 j, 11 k, 12..15 pa0..pa3, 16 pb, 17 pc, 18 ldc8, 19 lda8, 20 ldb8
// v128 locals: 21..28 acc (row r, half h → 21 + 2r + h), 29 b0, 30 b1, 31 splat
const PC_ = 0;
const PA_ = 1;
const PB_ = 2;
const M = 3;
const N = 4;
const K = 5;
const LDC = 6;
const LDA = 7;
const LDB = 8;
const I = 9;
const J = 10;
const KK = 11;
const PA0 = 12;
const PB = 16;
const PC = 17;
const LDC8 = 18;
const LDA8 = 19;
const LDB8 = 20;
const ACC = (r: number, h: number): number => 21 + 2 * r + h;
const B0 = 29;
const B1 = 30;
const S = 31;

function body(subtract: boolean): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]): void => parts.forEach((p) => code.push(...p));
  emit(get(LDC), i32c(8), mul, set(LDC8), get(LDA), i32c(8), mul, set(LDA8), get(LDB), i32c(8), mul, set(LDB8));
  emit(i32c(0), set(I));
  emit([0x02, 0x40], [0x03, 0x40]); // block $i / loop $i
  emit(get(I), get(M), geU, [0x0d, 1]);
  emit(i32c(0), set(J));
  emit([0x02, 0x40], [0x03, 0x40]); // block $j / loop $j
  emit(get(J), get(N), geU, [0x0d, 1]);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) emit(v128Zero, set(ACC(r, h)));
  // pa_r = a + (i + r)·lda8 ; pb = b + 8j
  emit(get(PA_), get(I), get(LDA8), mul, add, set(PA0));
  for (let r = 1; r < 4; r++) emit(get(PA0 + r - 1), get(LDA8), add, set(PA0 + r));
  emit(get(PB_), get(J), i32c(8), mul, add, set(PB));
  emit(i32c(0), set(KK));
  emit([0x02, 0x40], [0x03, 0x40]); // block $k / loop $k
  emit(get(KK), get(K), geU, [0x0d, 1]);
  emit(get(PB), v128Load(0), set(B0), get(PB), v128Load(16), set(B1));
  for (let r = 0; r < 4; r++) {
    emit(get(PA0 + r), load64Splat, set(S));
    for (let h = 0; h < 2; h++) emit(get(ACC(r, h)), get(S), get(h === 0 ? B0 : B1), f64x2Mul, f64x2Add, set(ACC(r, h)));
    emit(get(PA0 + r), i32c(8), add, set(PA0 + r));
  }
  emit(get(PB), get(LDB8), add, set(PB));
  emit(get(KK), i32c(1), add, set(KK));
  emit([0x0c, 0], [0x0b, 0x0b]); // br $k ; end loop ; end block
  // pc = c + (i·ldc + j)·8, rows r at pc + r·ldc8: C ∓= acc
  emit(get(PC_), get(I), get(LDC8), mul, add, get(J), i32c(8), mul, add, set(PC));
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      emit(get(PC), get(PC), v128Load(16 * h), get(ACC(r, h)), subtract ? f64x2Sub : f64x2Add, v128Store(16 * h));
    }
    if (r < 3) emit(get(PC), get(LDC8), add, set(PC));
  }
  emit(get(J), i32c(4), add, set(J));
  emit([0x0c, 0], [0x0b, 0x0b]);
  emit(get(I), i32c(4), add, set(I));
  emit([0x0c, 0], [0x0b, 0x0b]);
  code.push(0x0b);
  const locals = vec([
    [...uleb(12), I32],
    [...uleb(11), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const params = vec(new Array(9).fill([I32]) as number[][]);
  const type = section(1, vec([[0x60, ...params, 0x00]]));
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  // import env.memory (min 1 page)
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]));
  const func = section(3, vec([[0x00], [0x00]]));
  const exports = section(
    7,
    vec([
      [...name('gemmSub'), 0x00, 0x00],
      [...name('gemmAdd'), 0x00, 0x01],
    ]),
  );
  const code = section(10, vec([body(true), body(false)]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...func, ...exports, ...code]);
}

/** The kernels bound to one memory. Addresses are in bytes, strides in elements. */
export interface F64Kernels {
  /** C ← C − A·B over an M×N block (M, N multiples of 4). */
  gemmSub(c: number, a: number, b: number, M: number, N: number, K: number, ldc: number, lda: number, ldb: number): void;
  /** C ← C + A·B over an M×N block (M, N multiples of 4). */
  gemmAdd(c: number, a: number, b: number, M: number, N: number, K: number, ldc: number, lda: number, ldb: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(moduleBytes() as Uint8Array<ArrayBuffer>);
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

let disabled = false;

/**
 * Switch the float64 SIMD kernels off (`false`) or back on (`true`, the default where the engine
 * supports WebAssembly SIMD). Off, the linear algebra runs its plain-JavaScript loops; tests use it to
 * compare both paths.
 */
export function useSimdF64(on: boolean): void {
  disabled = !on;
}

/** Whether the float64 SIMD kernels are available and switched on. */
export function simdF64Available(): boolean {
  return !disabled && module() !== undefined;
}

/** A workspace of `doubles` float64 values in a fresh wasm memory, with the kernels bound to it. */
export interface F64Workspace {
  /** The whole memory as float64 (element index × 8 = byte address). */
  readonly f64: Float64Array;
  readonly kernels: F64Kernels;
}

/** A fresh workspace (memory is freed with it), or `undefined` without WebAssembly SIMD. */
export function f64Workspace(doubles: number): F64Workspace | undefined {
  const mod = disabled ? undefined : module();
  if (!mod) return undefined;
  const bytes = Math.max(doubles, 1) * 8;
  const pages = Math.ceil(bytes / 65536);
  if (pages > 65536) return undefined; // beyond 4 GiB: the JS path decides what to do
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages });
  } catch {
    return undefined;
  }
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  return { f64: new Float64Array(memory.buffer), kernels: instance.exports as unknown as F64Kernels };
}
