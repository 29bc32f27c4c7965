import { ShapeError } from '../errors/index.js';
import { inverseFromCholeskyBlocked, solveLowerBlocked, solveLowerTransposedBlocked, useBlocked } from './blocked.js';
import { checkSize } from './check.js';
import type { CholeskyFactor } from './cholesky.js';
import { SingularMatrixError } from './errors.js';

/** Fewest right-hand sides for which the blocked SIMD solve beats the loops (it copies L). */
const BLOCKED_MIN_RHS = 16;

/** Rows per block in the multi-right-hand-side solves. */
const TRI_BLOCK = 32;

/** y[iy … iy+k) += α · x[ix … ix+k). */
function axpy(y: Float64Array, iy: number, alpha: number, x: Float64Array, ix: number, k: number): void {
  for (let c = 0; c < k; c++) y[iy + c] = y[iy + c]! + alpha * x[ix + c]!;
}

function rhsCols(b: ArrayLike<number>, n: number, what: string): number {
  if (n === 0) return 0;
  if (b.length % n !== 0) {
    throw new ShapeError(`${what}: right-hand side has ${b.length} values, not a multiple of n = ${n}`);
  }
  return b.length / n;
}

/**
 * Forward substitution: solve L X = B for lower-triangular n×n `L` (row-major).
 * `b` is n×k row-major (k = b.length / n; a vector when k = 1). Returns a new array.
 * @throws ShapeError on size mismatch; SingularMatrixError on a zero diagonal.
 */
export function solveLower(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  checkSize(L, n, n, 'solveLower: L');
  const k = rhsCols(b, n, 'solveLower');
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    if (L[i * n + i] === 0) throw new SingularMatrixError(`solveLower: zero on the diagonal at row ${i}`);
  }
  if (k === 1) {
    for (let i = 0; i < n; i++) {
      let s = x[i]!;
      const ri = i * n;
      for (let j = 0; j < i; j++) s -= L[ri + j]! * x[j]!;
      x[i] = s / L[ri + i]!;
    }
    return x;
  }
  if (k >= BLOCKED_MIN_RHS && useBlocked(n)) {
    const r = solveLowerBlocked(L, n, b, k);
    if (r) return r;
  }
  // Blocked by rows: a finished row j of X updates a whole block of rows while it is in cache.
  for (let I = 0; I < n; I += TRI_BLOCK) {
    const end = Math.min(I + TRI_BLOCK, n);
    for (let j = 0; j < I; j++) {
      const rj = j * k;
      for (let i = I; i < end; i++) {
        const l = L[i * n + j]!;
        if (l !== 0) axpy(x, i * k, -l, x, rj, k);
      }
    }
    for (let i = I; i < end; i++) {
      const ri = i * k;
      for (let j = I; j < i; j++) {
        const l = L[i * n + j]!;
        if (l !== 0) axpy(x, ri, -l, x, j * k, k);
      }
      const inv = 1 / L[i * n + i]!;
      for (let c = 0; c < k; c++) x[ri + c] = x[ri + c]! * inv;
    }
  }
  return x;
}

/**
 * Back substitution with the transpose of a lower-triangular factor: solve Lᵀ X = B.
 * Same layout conventions as {@link solveLower}.
 */
export function solveLowerTransposed(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  checkSize(L, n, n, 'solveLowerTransposed: L');
  const k = rhsCols(b, n, 'solveLowerTransposed');
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    if (L[i * n + i] === 0) throw new SingularMatrixError(`solveLowerTransposed: zero on the diagonal at row ${i}`);
  }
  if (k === 1) {
    // xᵢ = (bᵢ − Σ_{j>i} L_{ji} x_j) / L_{ii}; column-oriented so L is read row by row.
    for (let i = n - 1; i >= 0; i--) {
      const ri = i * n;
      const xi = x[i]! / L[ri + i]!;
      x[i] = xi;
      if (xi !== 0) for (let j = 0; j < i; j++) x[j] = x[j]! - L[ri + j]! * xi;
    }
    return x;
  }
  if (k >= BLOCKED_MIN_RHS && useBlocked(n)) {
    const r = solveLowerTransposedBlocked(L, n, b, k);
    if (r) return r;
  }
  // Blocks from the bottom: finish rows [I, end), then subtract their contribution from rows < I.
  const last = Math.floor((n - 1) / TRI_BLOCK) * TRI_BLOCK;
  for (let I = last; I >= 0; I -= TRI_BLOCK) {
    const end = Math.min(I + TRI_BLOCK, n);
    for (let i = end - 1; i >= I; i--) {
      const ri = i * k;
      const inv = 1 / L[i * n + i]!;
      for (let c = 0; c < k; c++) x[ri + c] = x[ri + c]! * inv;
      for (let j = I; j < i; j++) {
        const l = L[i * n + j]!;
        if (l !== 0) axpy(x, j * k, -l, x, ri, k);
      }
    }
    for (let j = 0; j < I; j++) {
      const rj = j * k;
      for (let i = I; i < end; i++) {
        const l = L[i * n + j]!;
        if (l !== 0) axpy(x, rj, -l, x, i * k, k);
      }
    }
  }
  return x;
}

/**
 * Back substitution: solve U X = B for upper-triangular n×n `U` (row-major).
 * Same layout conventions as {@link solveLower}.
 */
export function solveUpper(U: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  checkSize(U, n, n, 'solveUpper: U');
  const k = rhsCols(b, n, 'solveUpper');
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    const d = U[i * n + i]!;
    if (d === 0) throw new SingularMatrixError(`solveUpper: zero on the diagonal at row ${i}`);
    const ri = i * k;
    for (let j = i + 1; j < n; j++) {
      const u = U[i * n + j]!;
      if (u === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c] = x[ri + c]! - u * x[rj + c]!;
    }
    for (let c = 0; c < k; c++) x[ri + c] = x[ri + c]! / d;
  }
  return x;
}

/**
 * Solve A X = B given the Cholesky factor of A (like `scipy.linalg.cho_solve`):
 * X = L⁻ᵀ L⁻¹ B. `b` is n×k row-major (a vector when k = 1).
 */
export function choSolve(f: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  return solveLowerTransposed(f.L, f.n, solveLower(f.L, f.n, b));
}

/**
 * A⁻¹ from the Cholesky factor of A (symmetric n×n, row-major), in n³/3 flops: M = L⁻¹ on its
 * lower triangle only, then A⁻¹ = MᵀM (LAPACK's potri). For n ≥ 96 both steps are blocked and
 * run their GEMM-shaped part in WebAssembly SIMD; otherwise plain loops accumulate row by row.
 */
export function choInverse(f: CholeskyFactor): Float64Array {
  const n = f.n;
  const L = f.L;
  if (useBlocked(n)) {
    for (let i = 0; i < n; i++) {
      if (L[i * n + i] === 0) throw new SingularMatrixError(`choInverse: zero on the diagonal at row ${i}`);
    }
    const r = inverseFromCholeskyBlocked(L, n);
    if (r) return r;
  }
  // M = L⁻¹ (lower triangular): row i of M = (e_i − Σ_{j<i} L_ij M_j) / L_ii, only columns ≤ i.
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const d = L[ri + i]!;
    if (d === 0) throw new SingularMatrixError(`choInverse: zero on the diagonal at row ${i}`);
    for (let j = 0; j < i; j++) {
      const l = L[ri + j]!;
      if (l !== 0) axpy(M, ri, -l, M, j * n, j + 1);
    }
    M[ri + i] = M[ri + i]! + 1;
    const inv = 1 / d;
    for (let c = 0; c <= i; c++) M[ri + c] = M[ri + c]! * inv;
  }
  // A⁻¹[a][b] = Σ_{i ≥ max(a, b)} M_ia M_ib: rank-one updates of the leading lower triangle.
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let a = 0; a <= i; a++) {
      const m = M[ri + a]!;
      if (m !== 0) axpy(out, a * n, m, M, ri, a + 1);
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) out[b * n + a] = out[a * n + b]!;
  return out;
}
