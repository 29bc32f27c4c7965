import { ValueError } from '@astro/core';
import { mirrorLower, type Points } from '../points.js';
import { Kernel, checkTheta, logBounds, positive, type Bounds, type KernelGradient, type KernelSpec } from './kernel.js';

/**
 * Base of the isotropic stationary kernels k(r), r = ‖x − x′‖: subclasses give k(r²) and
 * ∂k/∂log pⱼ for each hyper-parameter pⱼ. Hyper-parameters with bounds `'fixed'` are
 * excluded from θ (as scikit-learn's `"fixed"`).
 */
export abstract class StationaryKernel extends Kernel {
  protected readonly params: Float64Array;
  protected readonly paramBounds: Array<[number, number] | undefined>;
  protected readonly rawBounds: Array<Bounds | undefined>;

  constructor(names: string[], values: number[], bounds: Array<Bounds | undefined>) {
    super();
    this.params = Float64Array.from(values.map((v, i) => positive(v, names[i]!)));
    this.rawBounds = bounds;
    this.paramBounds = bounds.map((b, i) => logBounds(b, names[i]!));
  }

  /** k at squared distance r2. */
  protected abstract value(r2: number): number;
  /** Write ∂k/∂log pⱼ at r2 (given k) into `out` for every parameter j. */
  protected abstract grads(r2: number, k: number, out: Float64Array): void;
  /** New instance with natural parameters `values`. */
  protected abstract make(values: number[]): StationaryKernel;

  get theta(): Float64Array {
    const out: number[] = [];
    this.params.forEach((p, i) => {
      if (this.paramBounds[i]) out.push(Math.log(p));
    });
    return Float64Array.from(out);
  }

  get bounds(): Array<[number, number]> {
    return this.paramBounds.filter((b): b is [number, number] => b !== undefined);
  }

  withTheta(theta: ArrayLike<number>): Kernel {
    checkTheta(theta, this.nTheta);
    const values = Array.from(this.params);
    let t = 0;
    for (let i = 0; i < values.length; i++) if (this.paramBounds[i]) values[i] = Math.exp(theta[t++]!);
    return this.make(values);
  }

  protected compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array {
    const out = new Float64Array(d2.length);
    if (y === undefined && d2.length === x.n * x.n) {
      // K(X, X) is symmetric: evaluate the lower triangle, mirror it.
      const n = x.n;
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[i * n + j] = this.value(d2[i * n + j]!);
      mirrorLower(out, n);
      return out;
    }
    for (let i = 0; i < d2.length; i++) out[i] = this.value(d2[i]!);
    return out;
  }

  protected computeGradient(x: Points, d2: Float64Array): KernelGradient {
    const K = this.compute(x, undefined, d2);
    const free: number[] = [];
    this.paramBounds.forEach((b, i) => b && free.push(i));
    const dK = free.map(() => new Float64Array(d2.length));
    const g = new Float64Array(this.params.length);
    for (let i = 0; i < d2.length; i++) {
      this.grads(d2[i]!, K[i]!, g);
      for (let j = 0; j < free.length; j++) dK[j]![i] = g[free[j]!]!;
    }
    return { K, dK };
  }
}

/** Squared-exponential (RBF) kernel k = exp(−r²/2ℓ²) (Rasmussen & Williams 2006, eq. 4.9). */
export class RBF extends StationaryKernel {
  constructor(opts: { lengthScale?: number; bounds?: Bounds } = {}) {
    super(['lengthScale'], [opts.lengthScale ?? 1], [opts.bounds]);
  }
  get lengthScale(): number {
    return this.params[0]!;
  }
  protected value(r2: number): number {
    return Math.exp((-0.5 * r2) / this.params[0]! ** 2);
  }
  protected grads(r2: number, k: number, out: Float64Array): void {
    out[0] = (k * r2) / this.params[0]! ** 2;
  }
  protected make(v: number[]): StationaryKernel {
    return new RBF({ lengthScale: v[0]!, bounds: this.rawBounds[0] });
  }
  // Tight loops for the most used kernel (no per-element virtual calls).
  protected override compute(x: Points, y: Points | undefined, d2: Float64Array): Float64Array {
    const out = new Float64Array(d2.length);
    const s = -0.5 / this.params[0]! ** 2;
    if (y === undefined && d2.length === x.n * x.n) {
      const n = x.n;
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[i * n + j] = Math.exp(s * d2[i * n + j]!);
      mirrorLower(out, n);
      return out;
    }
    for (let i = 0; i < d2.length; i++) out[i] = Math.exp(s * d2[i]!);
    return out;
  }
  protected override computeGradient(x: Points, d2: Float64Array): KernelGradient {
    const K = this.compute(x, undefined, d2);
    if (!this.paramBounds[0]) return { K, dK: [] };
    const dK = new Float64Array(d2.length);
    const inv = 1 / this.params[0]! ** 2;
    for (let i = 0; i < d2.length; i++) dK[i] = K[i]! * d2[i]! * inv;
    return { K, dK: [dK] };
  }
  toSpec(): KernelSpec {
    return { type: 'rbf', lengthScale: this.lengthScale, ...(this.rawBounds[0] ? { bounds: this.rawBounds[0] } : {}) };
  }
}

/**
 * Matérn kernel for ν ∈ {1/2, 3/2, 5/2} (R&W eq. 4.14–4.17), a = √(2ν) r/ℓ:
 * ν = 1/2: e^(−a); ν = 3/2: (1 + a) e^(−a); ν = 5/2: (1 + a + a²/3) e^(−a).
 */
export class Matern extends StationaryKernel {
  readonly nu: 0.5 | 1.5 | 2.5;
  constructor(opts: { lengthScale?: number; nu?: 0.5 | 1.5 | 2.5; bounds?: Bounds } = {}) {
    super(['lengthScale'], [opts.lengthScale ?? 1], [opts.bounds]);
    this.nu = opts.nu ?? 1.5;
    if (![0.5, 1.5, 2.5].includes(this.nu)) throw new ValueError(`Matern: nu must be 0.5, 1.5 or 2.5, got ${this.nu}`);
  }
  get lengthScale(): number {
    return this.params[0]!;
  }
  protected value(r2: number): number {
    const a = Math.sqrt(2 * this.nu * r2) / this.params[0]!;
    const e = Math.exp(-a);
    if (this.nu === 0.5) return e;
    if (this.nu === 1.5) return (1 + a) * e;
    return (1 + a + (a * a) / 3) * e;
  }
  protected grads(r2: number, k: number, out: Float64Array): void {
    const a = Math.sqrt(2 * this.nu * r2) / this.params[0]!;
    const e = Math.exp(-a);
    if (this.nu === 0.5) out[0] = a * k;
    else if (this.nu === 1.5) out[0] = a * a * e;
    else out[0] = ((a * a) / 3) * (1 + a) * e;
  }
  protected make(v: number[]): StationaryKernel {
    return new Matern({ lengthScale: v[0]!, nu: this.nu, bounds: this.rawBounds[0] });
  }
  toSpec(): KernelSpec {
    return { type: 'matern', lengthScale: this.lengthScale, nu: this.nu, ...(this.rawBounds[0] ? { bounds: this.rawBounds[0] } : {}) };
  }
}

/**
 * Rational quadratic kernel k = (1 + r²/(2αℓ²))^(−α) (R&W eq. 4.19): a scale mixture of RBFs.
 * θ = [log α, log ℓ] (scikit-learn orders hyper-parameters by name).
 */
export class RationalQuadratic extends StationaryKernel {
  constructor(opts: { lengthScale?: number; alpha?: number; bounds?: Bounds; alphaBounds?: Bounds } = {}) {
    super(['alpha', 'lengthScale'], [opts.alpha ?? 1, opts.lengthScale ?? 1], [opts.alphaBounds, opts.bounds]);
  }
  protected value(r2: number): number {
    const [al, l] = [this.params[0]!, this.params[1]!];
    return (1 + r2 / (2 * al * l * l)) ** -al;
  }
  protected grads(r2: number, k: number, out: Float64Array): void {
    const [al, l] = [this.params[0]!, this.params[1]!];
    const base = 1 + r2 / (2 * al * l * l);
    out[0] = k * (-al * Math.log(base) + r2 / (2 * l * l * base));
    out[1] = (k * r2) / (l * l * base);
  }
  protected make(v: number[]): StationaryKernel {
    return new RationalQuadratic({ alpha: v[0]!, lengthScale: v[1]!, alphaBounds: this.rawBounds[0], bounds: this.rawBounds[1] });
  }
  toSpec(): KernelSpec {
    return { type: 'rationalQuadratic', alpha: this.params[0]!, lengthScale: this.params[1]! };
  }
}

/** Periodic (exp-sine-squared) kernel k = exp(−2 sin²(π r / P)/ℓ²) (MacKay 1998). */
export class ExpSineSquared extends StationaryKernel {
  constructor(opts: { lengthScale?: number; periodicity?: number; bounds?: Bounds; periodicityBounds?: Bounds } = {}) {
    super(['lengthScale', 'periodicity'], [opts.lengthScale ?? 1, opts.periodicity ?? 1], [opts.bounds, opts.periodicityBounds]);
  }
  protected value(r2: number): number {
    const s = Math.sin((Math.PI * Math.sqrt(r2)) / this.params[1]!);
    return Math.exp((-2 * s * s) / this.params[0]! ** 2);
  }
  protected grads(r2: number, k: number, out: Float64Array): void {
    const [l, p] = [this.params[0]!, this.params[1]!];
    const arg = (Math.PI * Math.sqrt(r2)) / p;
    const s = Math.sin(arg);
    out[0] = ((4 * s * s) / (l * l)) * k;
    out[1] = ((4 * arg) / (l * l)) * Math.cos(arg) * s * k;
  }
  protected make(v: number[]): StationaryKernel {
    return new ExpSineSquared({ lengthScale: v[0]!, periodicity: v[1]!, bounds: this.rawBounds[0], periodicityBounds: this.rawBounds[1] });
  }
  toSpec(): KernelSpec {
    return { type: 'expSineSquared', lengthScale: this.params[0]!, periodicity: this.params[1]! };
  }
}

/** Constant kernel k = c (a signal variance when multiplied with another kernel). */
export class ConstantKernel extends StationaryKernel {
  constructor(opts: { value?: number; bounds?: Bounds } = {}) {
    super(['value'], [opts.value ?? 1], [opts.bounds]);
  }
  get constantValue(): number {
    return this.params[0]!;
  }
  protected value(): number {
    return this.params[0]!;
  }
  protected grads(_r2: number, k: number, out: Float64Array): void {
    out[0] = k;
  }
  protected make(v: number[]): StationaryKernel {
    return new ConstantKernel({ value: v[0]!, bounds: this.rawBounds[0] });
  }
  protected override compute(_x: Points, _y: Points | undefined, d2: Float64Array): Float64Array {
    return new Float64Array(d2.length).fill(this.params[0]!);
  }
  protected override computeGradient(x: Points, d2: Float64Array): KernelGradient {
    const K = this.compute(x, undefined, d2);
    return { K, dK: this.paramBounds[0] ? [K.slice()] : [] };
  }
  toSpec(): KernelSpec {
    return { type: 'constant', value: this.params[0]! };
  }
}
