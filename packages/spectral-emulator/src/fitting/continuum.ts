import { ShapeError, ValueError, assertFinite } from '@astro/core';

/**
 * Chebyshev polynomials T_0…T_degree evaluated at the wavelengths mapped to [−1, 1], as a
 * row-major [degree + 1, n] basis. A multiplicative continuum is Σ c_j T_j(t).
 * @throws {ValueError} unless `degree` is an integer ≥ 0 and the wavelengths are finite.
 * @throws {ShapeError} for no wavelengths.
 */
export function chebyshevBasis(wavelengthAngstrom: ArrayLike<number>, degree: number): Float64Array {
  const n = wavelengthAngstrom.length;
  if (!Number.isInteger(degree) || degree < 0) throw new ValueError(`chebyshevBasis: degree must be an integer ≥ 0, got ${degree}`);
  if (n === 0) throw new ShapeError('chebyshevBasis: no wavelengths');
  assertFinite(wavelengthAngstrom, 'chebyshevBasis: wavelengthAngstrom');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, wavelengthAngstrom[i]!);
    hi = Math.max(hi, wavelengthAngstrom[i]!);
  }
  const out = new Float64Array((degree + 1) * n);
  for (let i = 0; i < n; i++) {
    const t = hi > lo ? (2 * (wavelengthAngstrom[i]! - lo)) / (hi - lo) - 1 : 0;
    out[i] = 1;
    if (degree >= 1) out[n + i] = t;
    for (let d = 2; d <= degree; d++) out[d * n + i] = 2 * t * out[(d - 1) * n + i]! - out[(d - 2) * n + i]!;
  }
  return out;
}
