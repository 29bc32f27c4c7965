import { ShapeError, ValueError } from '../../errors/index.js';

/**
 * Central finite-difference Hessian of a scalar function at `x`, as a row-major n × n
 * `Float64Array` (symmetric by construction). Diagonal: (f(x + hᵢeᵢ) − 2f(x) + f(x − hᵢeᵢ)) / hᵢ²;
 * off-diagonal: the four-point formula (f(++) − f(+−) − f(−+) + f(−−)) / 4hᵢhⱼ, with
 * hᵢ = h·max(1, |xᵢ|) (truncation error O(h²)). Use it for the observed information
 * (inverse Hessian of a negative log-likelihood → covariance) where an analytic Hessian is
 * not worth writing; it costs 2n² + 1 evaluations of f.
 * @throws ShapeError when x is empty; ValueError when h ≤ 0 or f is not finite at a probed point.
 */
export function numericHessian(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-3): Float64Array {
  const n = x.length;
  if (n === 0) throw new ShapeError('numericHessian: x is empty');
  if (!(h > 0) || !Number.isFinite(h)) throw new ValueError(`numericHessian: step h must be finite and > 0, got ${h}`);
  const p = Float64Array.from(x);
  const steps = Float64Array.from(p, (v) => h * Math.max(1, Math.abs(v)));
  const at = (i: number, si: number, j: number, sj: number): number => {
    const xi = p[i]!;
    const xj = p[j]!;
    p[i] = xi + si;
    if (j !== i) p[j] = xj + sj;
    const v = f(p);
    p[i] = xi;
    p[j] = xj;
    if (!Number.isFinite(v)) throw new ValueError(`numericHessian: f is not finite around coordinates ${i}, ${j}`);
    return v;
  };
  const f0 = f(p);
  if (!Number.isFinite(f0)) throw new ValueError('numericHessian: f(x) is not finite');
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const hi = steps[i]!;
    H[i * n + i] = (at(i, hi, i, 0) - 2 * f0 + at(i, -hi, i, 0)) / (hi * hi);
    for (let j = i + 1; j < n; j++) {
      const hj = steps[j]!;
      const v = (at(i, hi, j, hj) - at(i, hi, j, -hj) - at(i, -hi, j, hj) + at(i, -hi, j, -hj)) / (4 * hi * hj);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}
