import { ShapeError, ValueError } from '@astro/core';
import { toVector, type DenseMatrix } from '../linalg/index.js';

/**
 * Polynomial design matrix Φ with columns [1, x, x², …, x^degree] (n × (degree+1)).
 * With `degree = 1`, a fit returns `[intercept b, slope m]`.
 */
export function polynomialBasis(x: ArrayLike<number>, degree: number): DenseMatrix {
  if (!Number.isInteger(degree) || degree < 0) throw new ValueError(`polynomialBasis: degree must be an integer ≥ 0, got ${degree}`);
  const xs = toVector(x, 'polynomialBasis: x');
  const cols = degree + 1;
  const data = new Float64Array(xs.length * cols);
  for (let i = 0; i < xs.length; i++) {
    let p = 1;
    for (let j = 0; j < cols; j++, p *= xs[i]!) data[i * cols + j] = p;
  }
  return { data, rows: xs.length, cols };
}

/**
 * Gaussian radial basis design matrix: column k is exp(−(x − μₖ)² / (2 w²)), plus a leading
 * constant column when `intercept` is true (default). Shape n × (K [+1]).
 */
export function gaussianBasis(
  x: ArrayLike<number>,
  centres: ArrayLike<number>,
  width: number,
  opts: { intercept?: boolean } = {},
): DenseMatrix {
  if (!(width > 0)) throw new ValueError(`gaussianBasis: width must be > 0, got ${width}`);
  const xs = toVector(x, 'gaussianBasis: x');
  const mu = toVector(centres, 'gaussianBasis: centres');
  if (mu.length === 0) throw new ShapeError('gaussianBasis: need at least one centre');
  const off = opts.intercept === false ? 0 : 1;
  const cols = mu.length + off;
  const data = new Float64Array(xs.length * cols);
  for (let i = 0; i < xs.length; i++) {
    if (off) data[i * cols] = 1;
    for (let k = 0; k < mu.length; k++) {
      const d = xs[i]! - mu[k]!;
      data[i * cols + off + k] = Math.exp((-d * d) / (2 * width * width));
    }
  }
  return { data, rows: xs.length, cols };
}
