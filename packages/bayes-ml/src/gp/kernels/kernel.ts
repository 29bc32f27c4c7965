import { ShapeError, ValueError } from '@astro/core';
import { squaredDistances, toPoints, type Points, type PointsLike } from '../points.js';

/** Bounds of one hyper-parameter in its natural (not log) units. */
export type Bounds = readonly [number, number] | 'fixed';

/** A kernel matrix with its derivatives with respect to the log hyper-parameters θ = log(params). */
export interface KernelGradient {
  /** K(X, X), n×n row-major. */
  K: Float64Array;
  /** ∂K/∂θⱼ for each free log hyper-parameter, each n×n. */
  dK: Float64Array[];
}

/** Serialisable kernel description (also how fixtures describe scikit-learn kernels). */
export type KernelSpec =
  | { type: 'rbf'; lengthScale: number; bounds?: Bounds }
  | { type: 'matern'; lengthScale: number; nu: 0.5 | 1.5 | 2.5; bounds?: Bounds }
  | { type: 'rationalQuadratic'; lengthScale: number; alpha: number; bounds?: Bounds; alphaBounds?: Bounds }
  | { type: 'expSineSquared'; lengthScale: number; periodicity: number; bounds?: Bounds; periodicityBounds?: Bounds }
  | { type: 'white'; noiseLevel: number; bounds?: Bounds }
  | { type: 'constant'; value: number; bounds?: Bounds }
  | { type: 'sum'; k1: KernelSpec; k2: KernelSpec }
  | { type: 'product'; k1: KernelSpec; k2: KernelSpec };

/**
 * A covariance function k(x, x′) with hyper-parameters handled in log space (θ = log p), as
 * scikit-learn's kernels: `theta`, `bounds` (log) and `withTheta` let optimisers work on θ,
 * and `gradient` returns ∂K/∂θ, which the GP marginal-likelihood gradient needs.
 */
export abstract class Kernel {
  /** Free log hyper-parameters θ (fixed ones are excluded). */
  abstract get theta(): Float64Array;
  /** Log-space bounds of θ, one [lo, hi] per entry. */
  abstract get bounds(): Array<[number, number]>;
  /** A copy with new log hyper-parameters. */
  abstract withTheta(theta: ArrayLike<number>): Kernel;
  /** K(X, Y) from squared distances (stationary kernels) or the points themselves. */
  protected abstract compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array;
  /** K(X, X) and ∂K/∂θ. */
  protected abstract computeGradient(x: Points, d2: Float64Array): KernelGradient;
  /** The kernel's description. */
  abstract toSpec(): KernelSpec;

  /** K(X, Y), n×m row-major (Y defaults to X). */
  matrix(x: PointsLike, y?: PointsLike): Float64Array {
    const X = toPoints(x, 'X');
    const Y = y === undefined ? undefined : toPoints(y, 'Y');
    if (Y && Y.d !== X.d) throw new ShapeError(`X has dimension ${X.d} but Y has ${Y.d}`);
    return this.compute(X, Y, squaredDistances(X, Y ?? X));
  }

  /** K(X, X) and its derivatives with respect to θ. */
  gradient(x: PointsLike): KernelGradient {
    const X = toPoints(x, 'X');
    return this.computeGradient(X, squaredDistances(X, X));
  }

  /** The diagonal k(xᵢ, xᵢ) (length n). */
  diag(x: PointsLike): Float64Array {
    const X = toPoints(x, 'X');
    const out = new Float64Array(X.n);
    const zero = new Float64Array(1);
    for (let i = 0; i < X.n; i++) {
      const xi: Points = { data: X.data.subarray(i * X.d, (i + 1) * X.d), n: 1, d: X.d };
      out[i] = this.compute(xi, undefined, zero)[0]!;
    }
    return out;
  }

  /** Number of free hyper-parameters. */
  get nTheta(): number {
    return this.theta.length;
  }

  /** k₁ + k₂. */
  plus(other: Kernel): Kernel {
    return new SumKernel(this, other);
  }

  /** k₁ · k₂. */
  times(other: Kernel): Kernel {
    return new ProductKernel(this, other);
  }

  /** Internal: compute with precomputed squared distances (used by composite kernels). */
  _compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array {
    return this.compute(x, y, d2);
  }
  /** Internal: gradient with precomputed squared distances. */
  _computeGradient(x: Points, d2: Float64Array): KernelGradient {
    return this.computeGradient(x, d2);
  }
}

/** Convert natural-unit bounds to log-space bounds (default scikit-learn's (1e-5, 1e5)). */
export function logBounds(b: Bounds | undefined, what: string): [number, number] | undefined {
  if (b === 'fixed') return undefined;
  const [lo, hi] = b ?? [1e-5, 1e5];
  if (!(lo > 0 && hi > lo)) throw new ValueError(`${what}: bounds must satisfy 0 < lo < hi, got [${lo}, ${hi}]`);
  return [Math.log(lo), Math.log(hi)];
}

/** Validate a positive, finite hyper-parameter. */
export function positive(v: number, what: string): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${what} must be positive and finite, got ${v}`);
  return v;
}

/** A kernel built from two others; θ is the concatenation [θ₁, θ₂] and bounds likewise. */
abstract class BinaryKernel extends Kernel {
  constructor(
    readonly k1: Kernel,
    readonly k2: Kernel,
  ) {
    super();
  }
  /** The same combination of two other kernels. */
  protected abstract combine(k1: Kernel, k2: Kernel): Kernel;
  get theta(): Float64Array {
    return concat(this.k1.theta, this.k2.theta);
  }
  get bounds(): Array<[number, number]> {
    return [...this.k1.bounds, ...this.k2.bounds];
  }
  withTheta(theta: ArrayLike<number>): Kernel {
    const p = this.k1.nTheta;
    checkTheta(theta, this.nTheta);
    return this.combine(this.k1.withTheta(Array.from(theta).slice(0, p)), this.k2.withTheta(Array.from(theta).slice(p)));
  }
}

/** k₁ + k₂; θ is the concatenation [θ₁, θ₂]. */
export class SumKernel extends BinaryKernel {
  protected combine(k1: Kernel, k2: Kernel): Kernel {
    return new SumKernel(k1, k2);
  }
  protected compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array {
    const a = this.k1._compute(x, y, d2);
    const b = this.k2._compute(x, y, d2);
    for (let i = 0; i < a.length; i++) a[i] = a[i]! + b[i]!;
    return a;
  }
  protected computeGradient(x: Points, d2: Float64Array): KernelGradient {
    const g1 = this.k1._computeGradient(x, d2);
    const g2 = this.k2._computeGradient(x, d2);
    for (let i = 0; i < g1.K.length; i++) g1.K[i] = g1.K[i]! + g2.K[i]!;
    return { K: g1.K, dK: [...g1.dK, ...g2.dK] };
  }
  toSpec(): KernelSpec {
    return { type: 'sum', k1: this.k1.toSpec(), k2: this.k2.toSpec() };
  }
}

/** k₁ · k₂ (element-wise); ∂(K₁K₂)/∂θ = ∂K₁/∂θ · K₂ and K₁ · ∂K₂/∂θ. */
export class ProductKernel extends BinaryKernel {
  protected combine(k1: Kernel, k2: Kernel): Kernel {
    return new ProductKernel(k1, k2);
  }
  protected compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array {
    const a = this.k1._compute(x, y, d2);
    const b = this.k2._compute(x, y, d2);
    for (let i = 0; i < a.length; i++) a[i] = a[i]! * b[i]!;
    return a;
  }
  protected computeGradient(x: Points, d2: Float64Array): KernelGradient {
    const g1 = this.k1._computeGradient(x, d2);
    const g2 = this.k2._computeGradient(x, d2);
    for (const dk of g1.dK) for (let i = 0; i < dk.length; i++) dk[i] = dk[i]! * g2.K[i]!;
    for (const dk of g2.dK) for (let i = 0; i < dk.length; i++) dk[i] = dk[i]! * g1.K[i]!;
    const K = g1.K;
    for (let i = 0; i < K.length; i++) K[i] = K[i]! * g2.K[i]!;
    return { K, dK: [...g1.dK, ...g2.dK] };
  }
  toSpec(): KernelSpec {
    return { type: 'product', k1: this.k1.toSpec(), k2: this.k2.toSpec() };
  }
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Throw unless θ has the expected length and finite entries. */
export function checkTheta(theta: ArrayLike<number>, n: number): void {
  if (theta.length !== n) throw new ShapeError(`theta has ${theta.length} entries, the kernel has ${n}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(theta[i]!)) throw new ValueError(`theta[${i}] = ${theta[i]}`);
}
