/**
 * K⁻¹ from the lower Cholesky factor L of K (row-major n×n), in about n³/3 multiply–adds:
 * first X = L⁻¹ by row-oriented forward substitution, then K⁻¹ = XᵀX accumulated row by row
 * (both inner loops contiguous), a third of the work of solving against the identity.
 * The GP marginal-likelihood gradient needs the full inverse (R&W eq. 5.9).
 */
export function inverseFromCholesky(L: Float64Array, n: number): Float64Array {
  const X = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const inv = 1 / L[ri + i]!;
    // row_i(X) = −(1/Lᵢᵢ) Σ_{k<i} Lᵢₖ row_k(X), row_k(X) nonzero on 0…k.
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) X[ri + j] = X[ri + j]! - l * X[rk + j]!;
    }
    for (let j = 0; j < i; j++) X[ri + j] = X[ri + j]! * inv;
    X[ri + i] = inv;
  }
  const out = new Float64Array(n * n);
  // (XᵀX)_ab = Σ_k X_ka X_kb over k ≥ max(a, b); fill the lower triangle a ≥ b.
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let a = 0; a <= k; a++) {
      const xa = X[rk + a]!;
      if (xa === 0) continue;
      const ra = a * n;
      let b = 0;
      for (; b + 3 <= a; b += 4) {
        out[ra + b] = out[ra + b]! + xa * X[rk + b]!;
        out[ra + b + 1] = out[ra + b + 1]! + xa * X[rk + b + 1]!;
        out[ra + b + 2] = out[ra + b + 2]! + xa * X[rk + b + 2]!;
        out[ra + b + 3] = out[ra + b + 3]! + xa * X[rk + b + 3]!;
      }
      for (; b <= a; b++) out[ra + b] = out[ra + b]! + xa * X[rk + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) out[b * n + a] = out[a * n + b]!;
  return out;
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
