/**
 * `@astro/core/linalg`: float64 linear algebra for the statistics packages.
 *
 * Matrices are row-major `Float64Array`s with explicit dimensions (`a[i * cols + j]`).
 * Cholesky, triangular solves and L-BFGS are hand-written for speed (for n ≥ 96 the Cholesky,
 * inverse and multi-right-hand-side solves are blocked, with a WebAssembly-SIMD f64x2 GEMM
 * update); SVD, symmetric eigen-decomposition and general solves wrap ml-matrix.
 *
 * ```ts
 * import { cholesky, choSolve, choLogDet } from '@astro/core/linalg';
 * const f = cholesky(K, n);           // K + jitter·I = L Lᵀ (jitter only if needed, with a warning)
 * const alpha = choSolve(f, y);       // K⁻¹ y
 * const logDet = choLogDet(f);        // log |K|
 * ```
 * @packageDocumentation
 */
export { NotPositiveDefiniteError, SingularMatrixError } from './errors.js';
export { cholesky, choLogDet, type CholeskyFactor, type CholeskyOptions } from './cholesky.js';
export { solveLower, solveLowerTransposed, solveUpper, choSolve, choInverse } from './triangular.js';
export { Matrix, toMatrix, fromMatrix, svd, eigh, solve, inverse, type Svd, type SymmetricEigen } from './dense.js';
export { minimizeLbfgs, type LbfgsOptions, type LbfgsResult, type ValueAndGradient } from './optimize/lbfgs.js';
export { numericGradient } from './optimize/gradient.js';
export { numericHessian } from './optimize/hessian.js';
export { fftInPlace, nextPow2 } from './fft.js';
export { useSimdF64, simdF64Available } from './simd-f64.js';
