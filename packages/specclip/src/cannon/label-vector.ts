import { ValueError } from '@astro/core';

/**
 * Number of terms of the quadratic Cannon label vector for L labels:
 * 1 + L linear + L(L+1)/2 quadratic (10 for Teff, log g, [M/H]).
 */
export function quadraticTermCount(labels: number): number {
  if (!Number.isInteger(labels) || labels < 1) throw new ValueError(`quadraticTermCount: labels must be a positive integer, got ${labels}`);
  return 1 + labels + (labels * (labels + 1)) / 2;
}

/**
 * Quadratic label vector of The Cannon (Ness et al. 2015, eq. 5), in the order
 * [1, ℓ₁…ℓ_L, ℓ₁², ℓ₁ℓ₂, …, ℓ₁ℓ_L, ℓ₂², …, ℓ_L²], written into `out` (length
 * {@link quadraticTermCount}). `l` are scaled labels (ℓ − pivot)/scale.
 */
export function quadraticLabelVector(l: ArrayLike<number>, out: Float64Array): Float64Array {
  const L = l.length;
  out[0] = 1;
  for (let i = 0; i < L; i++) out[1 + i] = l[i]!;
  let k = 1 + L;
  for (let i = 0; i < L; i++) for (let j = i; j < L; j++) out[k++] = l[i]! * l[j]!;
  return out;
}

/**
 * Jacobian ∂v/∂ℓ of {@link quadraticLabelVector}: `out` [K, L] row-major (K terms × L labels).
 */
export function quadraticLabelJacobian(l: ArrayLike<number>, out: Float64Array): Float64Array {
  const L = l.length;
  out.fill(0);
  for (let i = 0; i < L; i++) out[(1 + i) * L + i] = 1;
  let k = 1 + L;
  for (let i = 0; i < L; i++) {
    for (let j = i; j < L; j++) {
      // ∂(ℓᵢℓⱼ)/∂ℓᵢ = ℓⱼ, ∂/∂ℓⱼ = ℓᵢ (2ℓᵢ when i = j)
      out[k * L + i] = out[k * L + i]! + l[j]!;
      out[k * L + j] = out[k * L + j]! + l[i]!;
      k++;
    }
  }
  return out;
}
