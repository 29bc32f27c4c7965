/**
 * A WebAssembly-SIMD single-precision GEMM, assembled here byte by byte (no toolchain needed,
 * ~300 bytes): C[Mp×Np] = A[Mp×K] · B[K×Np] with Mp a multiple of 4 and Np a multiple of 8,
 * all row-major in the module's own memory. The micro-kernel keeps a 4×8 block of C in eight
 * f32x4 accumulators; per k it loads two vectors of B's row and broadcasts four elements of
 * A's column (`v128.load32_splat`). Used by the wasm backend's batched matMul
 * (`wasm-batch-matmul.ts`); `undefined` where WebAssembly SIMD is unavailable.
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
const mul = [0x6c];
const geU = [0x4f];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const memarg = (offset: number) => [0, ...uleb(offset)]; // alignment hint 1 byte: always valid
const v128Load = (offset: number) => simd(0x00, ...memarg(offset));
const v128Store = (offset: number) => simd(0x0b, ...memarg(offset));
const load32Splat = simd(0x09, ...memarg(0));
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));

// params: 0 a, 1 b, 2 c (byte addresses), 3 M, 4 N, 5 K
// i32 locals: 6 i, 7 j, 8 k, 9 pa0, 10 pa1, 11 pa2, 12 pa3, 13 pb, 14 pc, 15 N4, 16 K4
// v128 locals: 17..24 acc (row r, half h → 17 + 2r + h), 25 b0, 26 b1, 27 splat
const A = 0;
const B = 1;
const C = 2;
const M = 3;
const N = 4;
const K = 5;
const I = 6;
const J = 7;
const KK = 8;
const PA0 = 9; // PA0 + r for rows r = 0..3
const PB = 13;
const PC = 14;
const N4 = 15;
const K4 = 16;
const ACC = (r: number, h: number) => 17 + 2 * r + h;
const B0 = 25;
const B1 = 26;
const S = 27;

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  emit(get(N), i32c(4), mul, set(N4), get(K), i32c(4), mul, set(K4));
  emit(i32c(0), set(I));
  emit([0x02, 0x40], [0x03, 0x40]); // block $i / loop $i
  emit(get(I), get(M), geU, [0x0d, 1]); // i >= M → exit
  emit(i32c(0), set(J));
  emit([0x02, 0x40], [0x03, 0x40]); // block $j / loop $j
  emit(get(J), get(N), geU, [0x0d, 1]);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) emit(v128Zero, set(ACC(r, h)));
  // pa_r = a + (i + r)·K4 ; pb = b + 4j
  emit(get(A), get(I), get(K4), mul, add, set(PA0));
  for (let r = 1; r < 4; r++) emit(get(PA0 + r - 1), get(K4), add, set(PA0 + r));
  emit(get(B), get(J), i32c(4), mul, add, set(PB));
  emit(i32c(0), set(KK));
  emit([0x02, 0x40], [0x03, 0x40]); // block $k / loop $k
  emit(get(KK), get(K), geU, [0x0d, 1]);
  emit(get(PB), v128Load(0), set(B0), get(PB), v128Load(16), set(B1));
  for (let r = 0; r < 4; r++) {
    emit(get(PA0 + r), load32Splat, set(S));
    for (let h = 0; h < 2; h++) emit(get(ACC(r, h)), get(S), get(h === 0 ? B0 : B1), f32x4Mul, f32x4Add, set(ACC(r, h)));
    emit(get(PA0 + r), i32c(4), add, set(PA0 + r));
  }
  emit(get(PB), get(N4), add, set(PB));
  emit(get(KK), i32c(1), add, set(KK));
  emit([0x0c, 0], [0x0b, 0x0b]); // br $k ; end loop ; end block
  // pc = c + (i·N + j)·4, rows r at pc + r·N4
  emit(get(C), get(I), get(N4), mul, add, get(J), i32c(4), mul, add, set(PC));
  for (let r = 0; r < 4; r++) {
    emit(get(PC), get(ACC(r, 0)), v128Store(0), get(PC), get(ACC(r, 1)), v128Store(16));
    if (r < 3) emit(get(PC), get(N4), add, set(PC));
  }
  emit(get(J), i32c(8), add, set(J));
  emit([0x0c, 0], [0x0b, 0x0b]); // br $j ; end ; end
  emit(get(I), i32c(4), add, set(I));
  emit([0x0c, 0], [0x0b, 0x0b]); // br $i ; end ; end
  code.push(0x0b); // end function
  const locals = vec([
    [...uleb(11), I32],
    [...uleb(11), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]]));
  const func = section(3, vec([[0x00]]));
  const memory = section(5, vec([[0x00, 0x01]])); // min 1 page, no max
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const exports = section(7, vec([[...name('gemm'), 0x00, 0x00], [...name('memory'), 0x02, 0x00]]));
  const code = section(10, vec([body()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...func, ...memory, ...exports, ...code]);
}

/** The compiled kernel and its memory. */
export interface SimdGemm {
  /** C = A·B on byte addresses in `memory`; M % 4 = 0, N % 8 = 0. */
  gemm(a: number, b: number, c: number, M: number, N: number, K: number): void;
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
