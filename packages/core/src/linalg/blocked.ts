/**
 * Blocked, cache-aware float64 factorisations whose O(n³) part runs in the WebAssembly-SIMD
 * GEMM update of `simd-f64.ts` (LAPACK's right-looking organisation: a panel in plain loops,
 * then a GEMM-shaped trailing update). Every routine returns `undefined` when the SIMD kernels
 * are unavailable, and the caller runs its plain-JavaScript loop instead.
 */
import { gemmUpdate } from './gemm.js';
import { f64Workspace, simdF64Available } from './simd-f64.js';

/** Block size (rows/columns of a panel). */
const NB = 64;
/** Width of the column strips inside a Cholesky panel. */
const PW = 8;
/** Below this order the plain loops win (copying into the workspace is not free). */
export const SIMD_MIN_N = 96;

/** Whether the blocked SIMD path should run for order n. */
export function useBlocked(n: number): boolean {
  return n >= SIMD_MIN_N && simdF64Available();
}

/**
 * Lower Cholesky factor of (A + jitter·I) into `out` (upper triangle zeroed); −1 on success, else
 * the failing row; `undefined` when the SIMD path is unavailable.
 */
export function choleskyBlocked(a: Float64Array, n: number, jitter: number, out: Float64Array): number | undefined {
  const ws = f64Workspace(n * n + NB * n);
  if (!ws) return undefined;
  const m = ws.f64;
  m.set(a.subarray(0, n * n), 0);
  const P0 = n * n;
  for (let J = 0; J < n; J += NB) {
    const b = Math.min(NB, n - J);
    const end = J + b;
    // Diagonal block (all columns < J were subtracted by earlier trailing updates).
    for (let i = J; i < end; i++) {
      const ri = i * n;
      for (let j = J; j <= i; j++) {
        const rj = j * n;
        let s = m[ri + j]!;
        for (let k = J; k < j; k++) s -= m[ri + k]! * m[rj + k]!;
        if (i === j) {
          const v = s + jitter;
          if (!(v > 0)) return i;
          m[ri + i] = Math.sqrt(v);
        } else {
          m[ri + j] = s / m[rj + j]!;
        }
      }
    }
    if (end >= n) break;
    // Panel: L21 = A21 L11⁻ᵀ, in column strips of PW: the strip's columns first take the
    // update from the strips left of it (a GEMM with the strip's rows of L11 packed
    // transposed), then a PW-wide substitution row by row.
    const mm = n - end;
    for (let c0 = J; c0 < end; c0 += PW) {
      const w = Math.min(PW, end - c0);
      const kk = c0 - J;
      if (kk > 0) {
        for (let q = 0; q < kk; q++) for (let c = 0; c < w; c++) m[P0 + q * w + c] = m[(c0 + c) * n + J + q]!;
        gemmUpdate(ws, -1, end * n + c0, n, end * n + J, n, P0, w, mm, w, kk);
      }
      for (let i = end; i < n; i++) {
        const ri = i * n;
        for (let k = c0; k < c0 + w; k++) {
          const rk = k * n;
          let s0 = m[ri + k]!;
          for (let q = c0; q < k; q++) s0 -= m[ri + q]! * m[rk + q]!;
          m[ri + k] = s0 / m[rk + k]!;
        }
      }
    }
    // Trailing update A22 −= L21 L21ᵀ (lower triangle), with L21ᵀ packed b × mm.
    const r0 = end;
    for (let i = 0; i < mm; i++) {
      const src = (r0 + i) * n + J;
      for (let k = 0; k < b; k++) m[P0 + k * mm + i] = m[src + k]!;
    }
    const NCB = 256;
    for (let jc = 0; jc < mm; jc += NCB) {
      const ncw = Math.min(NCB, mm - jc);
      // Rows jc … jc+ncw: the triangle, four rows at a time.
      for (let i0 = jc; i0 < jc + ncw; i0 += 4) {
        const rows = Math.min(4, jc + ncw - i0);
        const cols = Math.min(i0 + 4, jc + ncw) - jc;
        gemmUpdate(ws, -1, (r0 + i0) * n + r0 + jc, n, (r0 + i0) * n + J, n, P0 + jc, mm, rows, cols, b);
      }
      // Rows below: a rectangle.
      const rb = jc + ncw;
      if (rb < mm) gemmUpdate(ws, -1, (r0 + rb) * n + r0 + jc, n, (r0 + rb) * n + J, n, P0 + jc, mm, mm - rb, ncw, b);
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    out.set(m.subarray(ri, ri + i + 1), ri);
    out.fill(0, ri + i + 1, ri + n);
  }
  return -1;
}

/** W = L⁻¹ (lower) of the lower-triangular diagonal block at (I0, I0) of size b, into W's block. */
function invertDiagonalBlock(m: Float64Array, L0: number, W0: number, n: number, I0: number, b: number): void {
  for (let i = 0; i < b; i++) {
    const li = L0 + (I0 + i) * n + I0;
    const wi = W0 + (I0 + i) * n + I0;
    const inv = 1 / m[li + i]!;
    m[wi + i] = inv;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += m[li + k]! * m[W0 + (I0 + k) * n + I0 + j]!;
      m[wi + j] = -s * inv;
    }
  }
}

/**
 * A⁻¹ = L⁻ᵀ L⁻¹ from a lower Cholesky factor (row-major n×n), as LAPACK's potri: W = L⁻¹ by
 * block rows (W_IJ = −W_II Σ_{J≤K<I} L_IK W_KJ), then the product WᵀW, both GEMM-shaped.
 * `undefined` without the SIMD path.
 */
export function inverseFromCholeskyBlocked(L: ArrayLike<number>, n: number): Float64Array | undefined {
  const nn = n * n;
  const ws = f64Workspace(3 * nn + NB * n);
  if (!ws) return undefined;
  const m = ws.f64;
  const L0 = 0;
  const W0 = nn;
  const C0 = 2 * nn;
  const T0 = 3 * nn;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[L0 + i * n + j] = L[i * n + j]!;
  for (let I0 = 0; I0 < n; I0 += NB) {
    const bI = Math.min(NB, n - I0);
    invertDiagonalBlock(m, L0, W0, n, I0, bI);
    if (I0 === 0) continue;
    // T[:, J-block] = L[I, J0:I0] · W[J0:I0, J-block], for every J-block left of I.
    m.fill(0, T0, T0 + NB * n);
    for (let J0 = 0; J0 < I0; J0 += NB) {
      const bJ = Math.min(NB, I0 - J0);
      gemmUpdate(ws, 1, T0 + J0, n, L0 + I0 * n + J0, n, W0 + J0 * n + J0, n, bI, bJ, I0 - J0);
    }
    // W[I, 0:I0] = −W_II · T.
    gemmUpdate(ws, -1, W0 + I0 * n, n, W0 + I0 * n + I0, n, T0, n, bI, I0, bI);
  }
  // Y = Wᵀ (upper) over L's storage, then C = Y W: C_ab = Σ_{k≥a} Y_ak W_kb, rows a in block A.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[L0 + i * n + j] = j >= i ? m[W0 + j * n + i]! : 0;
  }
  for (let A0 = 0; A0 < n; A0 += NB) {
    const bA = Math.min(NB, n - A0);
    gemmUpdate(ws, 1, C0 + A0 * n, n, L0 + A0 * n + A0, n, W0 + A0 * n, n, bA, A0 + bA, n - A0);
  }
  const out = m.slice(C0, C0 + nn);
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out[a * n + b] = out[b * n + a]!;
  return out;
}

/**
 * Solve L X = B (lower-triangular L, B n×k, both row-major) by block rows: X_I = L_II⁻¹ (B_I − L_{I,<I} X_{<I}).
 * `undefined` without the SIMD path.
 */
export function solveLowerBlocked(L: ArrayLike<number>, n: number, b: ArrayLike<number>, k: number): Float64Array | undefined {
  const nn = n * n;
  const ws = f64Workspace(nn + n * k);
  if (!ws) return undefined;
  const m = ws.f64;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = L[i * n + j]!;
  const X0 = nn;
  for (let i = 0; i < n * k; i++) m[X0 + i] = b[i]!;
  for (let I0 = 0; I0 < n; I0 += NB) {
    const bI = Math.min(NB, n - I0);
    gemmUpdate(ws, -1, X0 + I0 * k, k, I0 * n, n, X0, k, bI, k, I0);
    for (let i = I0; i < I0 + bI; i++) {
      const ri = X0 + i * k;
      for (let j = I0; j < i; j++) {
        const l = m[i * n + j]!;
        if (l === 0) continue;
        const rj = X0 + j * k;
        for (let c = 0; c < k; c++) m[ri + c] = m[ri + c]! - l * m[rj + c]!;
      }
      const inv = 1 / m[i * n + i]!;
      for (let c = 0; c < k; c++) m[ri + c] = m[ri + c]! * inv;
    }
  }
  return m.slice(X0, X0 + n * k);
}

/**
 * Solve Lᵀ X = B (L lower-triangular, B n×k, row-major) as an upper solve with U = Lᵀ by block
 * rows from the bottom. `undefined` without the SIMD path.
 */
export function solveLowerTransposedBlocked(L: ArrayLike<number>, n: number, b: ArrayLike<number>, k: number): Float64Array | undefined {
  const nn = n * n;
  const ws = f64Workspace(nn + n * k);
  if (!ws) return undefined;
  const m = ws.f64;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[j * n + i] = L[i * n + j]!; // U = Lᵀ
  const X0 = nn;
  for (let i = 0; i < n * k; i++) m[X0 + i] = b[i]!;
  const last = Math.floor((n - 1) / NB) * NB;
  for (let I0 = last; I0 >= 0; I0 -= NB) {
    const end = Math.min(I0 + NB, n);
    const bI = end - I0;
    gemmUpdate(ws, -1, X0 + I0 * k, k, I0 * n + end, n, X0 + end * k, k, bI, k, n - end);
    for (let i = end - 1; i >= I0; i--) {
      const ri = X0 + i * k;
      for (let j = i + 1; j < end; j++) {
        const u = m[i * n + j]!;
        if (u === 0) continue;
        const rj = X0 + j * k;
        for (let c = 0; c < k; c++) m[ri + c] = m[ri + c]! - u * m[rj + c]!;
      }
      const inv = 1 / m[i * n + i]!;
      for (let c = 0; c < k; c++) m[ri + c] = m[ri + c]! * inv;
    }
  }
  return m.slice(X0, X0 + n * k);
}
