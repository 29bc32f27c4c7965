import { EigenvalueDecomposition, Matrix, SingularValueDecomposition, inverse as mlInverse, solve as mlSolve } from 'ml-matrix';
import { ShapeError } from '../errors/index.js';
import { checkFiniteMatrix, checkSize } from './check.js';
import { SingularMatrixError } from './errors.js';

export { Matrix };

/** Wrap a row-major `rows × cols` array as an ml-matrix {@link Matrix} (copies). */
export function toMatrix(a: ArrayLike<number>, rows: number, cols: number): Matrix {
  checkSize(a, rows, cols, 'toMatrix');
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]!);
  return m;
}

/** Row-major Float64Array copy of an ml-matrix {@link Matrix}. */
export function fromMatrix(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) {
    const row = m.getRow(i);
    for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = row[j]!;
  }
  return out;
}

/** Thin singular value decomposition A = U diag(s) Vᵀ of a rows×cols matrix. */
export interface Svd {
  /** rows × r, row-major, r = min(rows, cols). */
  U: Float64Array;
  /** Singular values, descending, length r. */
  s: Float64Array;
  /** cols × r, row-major (columns are the right singular vectors). */
  V: Float64Array;
  rows: number;
  cols: number;
  /** Number of singular values r = min(rows, cols). */
  rank: number;
}

/**
 * Thin SVD (Golub–Kahan–Reinsch, via ml-matrix) of a row-major rows×cols matrix, singular
 * values sorted descending. Signs of singular vectors are as the algorithm returns them; callers
 * that need a convention (e.g. PCA) fix it themselves.
 */
export function svd(a: ArrayLike<number>, rows: number, cols: number): Svd {
  checkSize(a, rows, cols, 'svd: A');
  checkFiniteMatrix(a, cols, 'svd: A');
  // ml-matrix's SVD wants rows ≥ cols for the thin path; transpose otherwise.
  const wide = rows < cols;
  const m = wide ? toMatrix(a, rows, cols).transpose() : toMatrix(a, rows, cols);
  const d = new SingularValueDecomposition(m, {
    computeLeftSingularVectors: true,
    computeRightSingularVectors: true,
    autoTranspose: false,
  });
  const r = Math.min(rows, cols);
  const sv = d.diagonal;
  const order = Array.from({ length: sv.length }, (_, i) => i)
    .sort((x, y) => sv[y]! - sv[x]!)
    .slice(0, r);
  const left = wide ? d.rightSingularVectors : d.leftSingularVectors;
  const right = wide ? d.leftSingularVectors : d.rightSingularVectors;
  const U = new Float64Array(rows * r);
  const V = new Float64Array(cols * r);
  const s = new Float64Array(r);
  order.forEach((src, c) => {
    s[c] = sv[src]!;
    for (let i = 0; i < rows; i++) U[i * r + c] = left.get(i, src);
    for (let j = 0; j < cols; j++) V[j * r + c] = right.get(j, src);
  });
  return { U, s, V, rows, cols, rank: r };
}

/** Eigen-decomposition A = V diag(values) Vᵀ of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order (as numpy.linalg.eigh), length n. */
  values: Float64Array;
  /** n×n row-major; column j is the unit eigenvector of `values[j]`. */
  vectors: Float64Array;
  n: number;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (Householder tridiagonalisation + QL, via
 * ml-matrix), eigenvalues ascending like `numpy.linalg.eigh`. Only symmetric input is valid;
 * the matrix is symmetrised as (A + Aᵀ)/2 to absorb rounding.
 */
export function eigh(a: ArrayLike<number>, n: number): SymmetricEigen {
  checkSize(a, n, n, 'eigh: A');
  checkFiniteMatrix(a, n, 'eigh: A');
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m.set(i, j, 0.5 * (a[i * n + j]! + a[j * n + i]!));
  }
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => vals[x]! - vals[y]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  const ev = e.eigenvectorMatrix;
  order.forEach((src, c) => {
    values[c] = vals[src]!;
    for (let i = 0; i < n; i++) vectors[i * n + c] = ev.get(i, src);
  });
  return { values, vectors, n };
}

/**
 * Solve A X = B for a general square n×n A (LU with partial pivoting) or, when A is
 * rows×n with rows > n, in the least-squares sense (QR). `b` is rows×k row-major.
 * @throws SingularMatrixError when a square A is singular.
 */
export function solve(a: ArrayLike<number>, rows: number, n: number, b: ArrayLike<number>): Float64Array {
  checkSize(a, rows, n, 'solve: A');
  if (rows === 0 || b.length % rows !== 0) {
    throw new ShapeError(`solve: right-hand side has ${b.length} values, not a multiple of ${rows} rows`);
  }
  checkFiniteMatrix(a, n, 'solve: A');
  checkFiniteMatrix(b, b.length / rows, 'solve: B');
  const k = b.length / rows;
  const A = toMatrix(a, rows, n);
  const B = toMatrix(b, rows, k);
  let x: Matrix;
  try {
    x = mlSolve(A, B);
  } catch (e) {
    throw new SingularMatrixError(`solve: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = fromMatrix(x);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new SingularMatrixError('solve: matrix is singular');
  }
  return out;
}

/**
 * Inverse of a general square n×n matrix (LU). Prefer {@link choInverse} for symmetric
 * positive-definite matrices and {@link solve} when only A⁻¹B is needed.
 * @throws SingularMatrixError when A is singular.
 */
export function inverse(a: ArrayLike<number>, n: number): Float64Array {
  checkSize(a, n, n, 'inverse: A');
  checkFiniteMatrix(a, n, 'inverse: A');
  let inv: Matrix;
  try {
    inv = mlInverse(toMatrix(a, n, n));
  } catch (e) {
    throw new SingularMatrixError(`inverse: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = fromMatrix(inv);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new SingularMatrixError('inverse: matrix is singular');
  }
  return out;
}
