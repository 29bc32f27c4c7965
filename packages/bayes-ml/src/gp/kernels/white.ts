import type { Points } from '../points.js';
import { Kernel, checkTheta, logBounds, positive, type Bounds, type KernelGradient, type KernelSpec } from './kernel.js';

/**
 * White-noise kernel k(x, x′) = σ²·[x and x′ are the same sample]: σ² on the diagonal of
 * K(X, X) and zero in any cross-covariance K(X, Y), as scikit-learn's `WhiteKernel`.
 */
export class WhiteKernel extends Kernel {
  readonly noiseLevel: number;
  private readonly rawBounds: Bounds | undefined;
  private readonly logB: [number, number] | undefined;
  constructor(opts: { noiseLevel?: number; bounds?: Bounds } = {}) {
    super();
    this.noiseLevel = positive(opts.noiseLevel ?? 1, 'noiseLevel');
    this.rawBounds = opts.bounds;
    this.logB = logBounds(opts.bounds, 'noiseLevel');
  }
  get theta(): Float64Array {
    return this.logB ? Float64Array.of(Math.log(this.noiseLevel)) : new Float64Array(0);
  }
  get bounds(): Array<[number, number]> {
    return this.logB ? [this.logB] : [];
  }
  withTheta(theta: ArrayLike<number>): Kernel {
    checkTheta(theta, this.nTheta);
    return new WhiteKernel({ noiseLevel: this.logB ? Math.exp(theta[0]!) : this.noiseLevel, bounds: this.rawBounds });
  }
  protected compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array {
    const out = new Float64Array(d2.length);
    if (y === undefined) for (let i = 0; i < x.n; i++) out[i * x.n + i] = this.noiseLevel;
    return out;
  }
  protected computeGradient(x: Points, d2: Float64Array): KernelGradient {
    const K = this.compute(x, undefined, d2);
    return { K, dK: this.logB ? [K.slice()] : [] };
  }
  toSpec(): KernelSpec {
    return { type: 'white', noiseLevel: this.noiseLevel };
  }
}
