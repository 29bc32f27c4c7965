/**
 * K⁻¹ from the lower Cholesky factor L of K (row-major n×n), in about n³/3 multiply–adds, all
 * as contiguous dot products: first Y = (L⁻¹)ᵀ row by row (Yⱼᵢ = −(1/Lᵢᵢ) Σₖ Lᵢₖ Yⱼₖ), then
 * (K⁻¹)ₐᵦ = Σ_{k ≥ a} Yₐₖ Yᵦₖ. A third of the work of solving against the identity. The GP
 * marginal-likelihood gradient needs the full inverse (R&W eq. 5.9).
 */
export function inverseFromCholesky(L: Float64Array, n: number): Float64Array {
  const Y = new Float64Array(n * n); // Y = (L⁻¹)ᵀ, upper triangular
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    Y[rj + j] = 1 / L[rj + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = j;
      for (; k + 3 < i; k += 4) {
        s0 += L[ri + k]! * Y[rj + k]!;
        s1 += L[ri + k + 1]! * Y[rj + k + 1]!;
        s2 += L[ri + k + 2]! * Y[rj + k + 2]!;
        s3 += L[ri + k + 3]! * Y[rj + k + 3]!;
      }
      for (; k < i; k++) s0 += L[ri + k]! * Y[rj + k]!;
      Y[rj + i] = -(s0 + s1 + s2 + s3) / L[ri + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) {
      const rb = b * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = a;
      for (; k + 3 < n; k += 4) {
        s0 += Y[ra + k]! * Y[rb + k]!;
        s1 += Y[ra + k + 1]! * Y[rb + k + 1]!;
        s2 += Y[ra + k + 2]! * Y[rb + k + 2]!;
        s3 += Y[ra + k + 3]! * Y[rb + k + 3]!;
      }
      for (; k < n; k++) s0 += Y[ra + k]! * Y[rb + k]!;
      const v = s0 + s1 + s2 + s3;
      out[ra + b] = v;
      out[rb + a] = v;
    }
  }
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
