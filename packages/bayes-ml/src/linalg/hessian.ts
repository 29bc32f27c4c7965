import { NotPositiveDefiniteError, choInverse, cholesky } from '@astro/core/linalg';

/**
 * Central finite-difference Hessian of a scalar function (step hᵢ = h·max(1, |xᵢ|)),
 * symmetric, row-major p×p. Used for Laplace-approximation uncertainties of small fits.
 */
export function numericHessian(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-4): Float64Array {
  const p = x.length;
  const z = Float64Array.from(x);
  const H = new Float64Array(p * p);
  const f0 = f(z);
  const steps = Array.from(z, (v) => h * Math.max(1, Math.abs(v)));
  for (let i = 0; i < p; i++) {
    const hi = steps[i]!;
    const xi = z[i]!;
    z[i] = xi + hi;
    const fp = f(z);
    z[i] = xi - hi;
    const fm = f(z);
    z[i] = xi;
    H[i * p + i] = (fp - 2 * f0 + fm) / (hi * hi);
    for (let j = 0; j < i; j++) {
      const hj = steps[j]!;
      const xj = z[j]!;
      const at = (di: number, dj: number): number => {
        z[i] = xi + di;
        z[j] = xj + dj;
        const v = f(z);
        z[i] = xi;
        z[j] = xj;
        return v;
      };
      const v = (at(hi, hj) - at(hi, -hj) - at(-hi, hj) + at(-hi, -hj)) / (4 * hi * hj);
      H[i * p + j] = v;
      H[j * p + i] = v;
    }
  }
  return H;
}

/**
 * Laplace-approximation covariance H⁻¹ of a negative log-likelihood Hessian (p×p). When H is not
 * positive definite (the maximum lies on a boundary or a direction is unconstrained) there is no
 * Gaussian approximation: every entry is NaN rather than a jittered, misleading number.
 */
export function laplaceCovariance(H: Float64Array, p: number): Float64Array {
  try {
    return choInverse(cholesky(H, p, { jitter: false }));
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) return new Float64Array(p * p).fill(NaN);
    throw e;
  }
}
