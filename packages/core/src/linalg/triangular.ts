import { ShapeError } from '../errors/index.js';
import { checkSize } from './check.js';
import type { CholeskyFactor } from './cholesky.js';
import { SingularMatrixError } from './errors.js';

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
    const d = L[i * n + i]!;
    if (d === 0) throw new SingularMatrixError(`solveLower: zero on the diagonal at row ${i}`);
    if (k === 1) {
      let s = x[i]!;
      for (let j = 0; j < i; j++) s -= L[i * n + j]! * x[j]!;
      x[i] = s / d;
      continue;
    }
    const ri = i * k;
    for (let j = 0; j < i; j++) {
      const l = L[i * n + j]!;
      if (l === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c] = x[ri + c]! - l * x[rj + c]!;
    }
    for (let c = 0; c < k; c++) x[ri + c] = x[ri + c]! / d;
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
  for (let i = n - 1; i >= 0; i--) {
    const d = L[i * n + i]!;
    if (d === 0) throw new SingularMatrixError(`solveLowerTransposed: zero on the diagonal at row ${i}`);
    for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! / d;
    // Subtract column i of Lᵀ (= row i of L) from the rows above.
    for (let j = 0; j < i; j++) {
      const l = L[i * n + j]!;
      if (l === 0) continue;
      for (let c = 0; c < k; c++) x[j * k + c] = x[j * k + c]! - l * x[i * k + c]!;
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

/** A⁻¹ from the Cholesky factor of A (symmetric n×n, row-major). Cost ≈ n³. */
export function choInverse(f: CholeskyFactor): Float64Array {
  const n = f.n;
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const inv = choSolve(f, eye);
  // Symmetrise away rounding differences.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (inv[i * n + j]! + inv[j * n + i]!);
      inv[i * n + j] = v;
      inv[j * n + i] = v;
    }
  }
  return inv;
}
