import { ValueError } from '../../errors/index.js';

/**
 * Central finite-difference gradient of a scalar function, step hᵢ = h·max(1, |xᵢ|)
 * (truncation error O(h²)). Use it to check analytic gradients, not to optimise.
 * @throws ValueError when f is not finite at a probed point.
 */
export function numericGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  const p = Float64Array.from(x);
  const g = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const xi = p[i]!;
    const hi = h * Math.max(1, Math.abs(xi));
    p[i] = xi + hi;
    const fp = f(p);
    p[i] = xi - hi;
    const fm = f(p);
    p[i] = xi;
    if (!Number.isFinite(fp) || !Number.isFinite(fm)) {
      throw new ValueError(`numericGradient: f is not finite around coordinate ${i}`);
    }
    g[i] = (fp - fm) / (2 * hi);
  }
  return g;
}
