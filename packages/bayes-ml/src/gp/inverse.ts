import { choInverse } from '@astro/core/linalg';

/**
 * K⁻¹ from the lower Cholesky factor L of K (row-major n×n), in about n³/3 multiply–adds
 * (LAPACK's potri: L⁻¹, then L⁻ᵀL⁻¹), through core's `choInverse` (blocked, WebAssembly SIMD
 * for n ≥ 96). The GP marginal-likelihood gradient needs the full inverse (R&W eq. 5.9).
 */
export function inverseFromCholesky(L: Float64Array, n: number): Float64Array {
  return choInverse({ L, n, jitter: 0 });
}

/** Solve L x = b in place for lower-triangular L (row-major). */
export function forwardSolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const ri = i * n;
    for (let j = 0; j < i; j++) s -= L[ri + j]! * b[j]!;
    b[i] = s / L[ri + i]!;
  }
}

/** Solve Lᵀ x = b in place for lower-triangular L (row-major). */
export function backSolveTransposedInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const v = b[i]! / L[i * n + i]!;
    b[i] = v;
    const ri = i * n;
    for (let j = 0; j < i; j++) b[j] = b[j]! - L[ri + j]! * v;
  }
}
