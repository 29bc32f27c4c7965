import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { NotPositiveDefiniteError, cholesky, minimizeLbfgs, solveLower } from '@astro/core/linalg';
import { toRng, type Rng } from '../sampling/rng.js';
import { backSolveTransposedInPlace, forwardSolveInPlace, inverseFromCholesky } from './inverse.js';
import type { Kernel } from './kernels/kernel.js';
import { toPoints, type Points, type PointsLike } from './points.js';

/** Options of {@link GaussianProcessRegressor}. */
export interface GPRegressorOptions {
  /** Prior covariance; its θ is optimised unless `optimizer: 'none'`. */
  kernel: Kernel;
  /** Value added to the diagonal of K (known noise variance or jitter; scalar or per point). Default 1e-10. */
  alpha?: number | ArrayLike<number>;
  /** Subtract the mean and divide by the standard deviation of y before fitting (scikit-learn's `normalize_y`). */
  normalizeY?: boolean;
  /** `'lbfgs'` (default): maximise the log marginal likelihood over θ with L-BFGS-B; `'none'`: keep θ. */
  optimizer?: 'lbfgs' | 'none';
  /** Extra optimiser starts from θ drawn log-uniformly within the bounds (default 0). */
  nRestarts?: number;
  /** Seed for restarts and `sampleY`. */
  seed?: number | Rng;
}

/** Log marginal likelihood and its gradient with respect to θ. */
export interface LogMarginalLikelihood {
  value: number;
  gradient: Float64Array;
}

/** Predictive distribution of the latent function (plus any white-noise kernel term) at test inputs. */
export interface GPPrediction {
  mean: Float64Array;
  /** Standard deviation, when `returnStd`. */
  std?: Float64Array;
  /** Covariance m×m row-major, when `returnCov`. */
  cov?: Float64Array;
}

/**
 * Exact Gaussian-process regression (Rasmussen & Williams 2006, Algorithm 2.1) in float64:
 * Cholesky of K + αI, log marginal likelihood log p(y|X, θ) = −½yᵀK⁻¹y − ½log|K| − n/2 log 2π
 * and its analytic gradient ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ) (eq. 5.9), hyper-parameters by L-BFGS-B
 * with restarts, and the predictive mean, variance, covariance and samples.
 * The API follows scikit-learn's `GaussianProcessRegressor`.
 */
export class GaussianProcessRegressor {
  /** The kernel given at construction. */
  readonly kernel: Kernel;
  /** The fitted kernel (optimised θ). */
  kernel_: Kernel;
  /** log p(y | X, θ̂) at the fitted θ. */
  logMarginalLikelihoodValue = NaN;
  /** What the hyper-parameter optimiser did in the last `fit` (undefined without optimisation). */
  optimizerInfo: { starts: number; evaluations: number; iterations: number; converged: boolean } | undefined;
  private readonly opts: GPRegressorOptions;
  private readonly rng: Rng;
  private X: Points | undefined;
  private yTrain = new Float64Array(0);
  private yMean = 0;
  private yStd = 1;
  private L: Float64Array = new Float64Array(0);
  private alphaVec = new Float64Array(0);

  constructor(opts: GPRegressorOptions) {
    this.opts = opts;
    this.kernel = opts.kernel;
    this.kernel_ = opts.kernel;
    this.rng = toRng(opts.seed);
  }

  /** Fit to training inputs X (n points) and targets y (length n). Returns `this`. */
  fit(x: PointsLike, y: ArrayLike<number>): this {
    const X = toPoints(x, 'X');
    if (y.length !== X.n) throw new ShapeError(`y has ${y.length} values but X has ${X.n} points`);
    assertFinite(y, 'y');
    let yy = Float64Array.from(y);
    if (this.opts.normalizeY) {
      const n = yy.length;
      this.yMean = yy.reduce((a, b) => a + b, 0) / n;
      this.yStd = Math.sqrt(yy.reduce((a, b) => a + (b - this.yMean) ** 2, 0) / n);
      if (this.yStd === 0) this.yStd = 1;
      yy = yy.map((v) => (v - this.yMean) / this.yStd);
    } else {
      this.yMean = 0;
      this.yStd = 1;
    }
    this.X = X;
    this.yTrain = yy;
    this.noiseDiag(X.n); // validates alpha
    if ((this.opts.optimizer ?? 'lbfgs') === 'lbfgs' && this.kernel.nTheta > 0) {
      const bounds = this.kernel.bounds;
      const objective = (theta: Float64Array, grad: Float64Array): number => {
        const r = this.lmlAt(this.kernel.withTheta(theta), true, false);
        if (!r) {
          grad.fill(0);
          return 1e25;
        }
        for (let i = 0; i < grad.length; i++) grad[i] = -r.gradient[i]!;
        return -r.value;
      };
      const starts: Float64Array[] = [this.kernel.theta];
      const nRestarts = this.opts.nRestarts ?? 0;
      if (!Number.isInteger(nRestarts) || nRestarts < 0) throw new ValueError(`nRestarts must be an integer ≥ 0, got ${nRestarts}`);
      if (nRestarts > 0 && bounds.some(([lo, hi]) => !Number.isFinite(lo) || !Number.isFinite(hi))) {
        throw new ValueError('restarts need finite hyper-parameter bounds');
      }
      for (let r = 0; r < nRestarts; r++) starts.push(Float64Array.from(bounds, ([lo, hi]) => lo + (hi - lo) * this.rng.uniform()));
      let best: { x: Float64Array; f: number; converged: boolean } | undefined;
      let evaluations = 0;
      let iterations = 0;
      for (const s of starts) {
        const res = minimizeLbfgs(objective, s, { bounds });
        evaluations += res.evaluations;
        iterations += res.iterations;
        if (!best || res.f < best.f) best = { x: res.x, f: res.f, converged: res.converged };
      }
      this.optimizerInfo = { starts: starts.length, evaluations, iterations, converged: best!.converged };
      this.kernel_ = this.kernel.withTheta(best!.x);
    } else {
      this.kernel_ = this.kernel;
    }
    const K = this.kernel_.matrix(X);
    const noise = this.noiseDiag(X.n);
    for (let i = 0; i < X.n; i++) K[i * X.n + i] = K[i * X.n + i]! + noise[i]!;
    // Final factorisation: ill-conditioned K gets jitter with a warning (core's 'auto').
    this.L = cholesky(K, X.n, { jitter: 'auto', assumeFinite: true }).L;
    this.alphaVec = yy.slice();
    forwardSolveInPlace(this.L, X.n, this.alphaVec);
    backSolveTransposedInPlace(this.L, X.n, this.alphaVec);
    let lml = -0.5 * X.n * Math.log(2 * Math.PI);
    for (let i = 0; i < X.n; i++) lml += -0.5 * yy[i]! * this.alphaVec[i]! - Math.log(this.L[i * X.n + i]!);
    this.logMarginalLikelihoodValue = lml;
    return this;
  }

  /**
   * log p(y | X, θ) and its gradient at log hyper-parameters `theta` (default: the fitted θ).
   * @throws NotPositiveDefiniteError when K(θ) + αI is not positive definite.
   */
  logMarginalLikelihood(theta?: ArrayLike<number>): LogMarginalLikelihood {
    this.requireFit();
    const k = theta === undefined ? this.kernel_ : this.kernel.withTheta(theta);
    return this.lmlAt(k, true, true)!;
  }

  /** Predictive mean (and std / covariance) of f(x*) at test inputs, in the units of y. */
  predict(xs: PointsLike, opts: { returnStd?: boolean; returnCov?: boolean } = {}): GPPrediction {
    const X = this.requireFit();
    const Xs = toPoints(xs, 'Xs');
    if (Xs.d !== X.d) throw new ShapeError(`Xs has dimension ${Xs.d}, training inputs have ${X.d}`);
    const n = X.n;
    const m = Xs.n;
    const Ks = this.kernel_.matrix(X, Xs); // n×m
    const mean = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const a = this.alphaVec[i]!;
      for (let j = 0; j < m; j++) mean[j] = mean[j]! + Ks[i * m + j]! * a;
    }
    for (let j = 0; j < m; j++) mean[j] = mean[j]! * this.yStd + this.yMean;
    const out: GPPrediction = { mean };
    if (!opts.returnStd && !opts.returnCov) return out;
    const V = solveLower(this.L, n, Ks); // n×m: L⁻¹ K*
    const s2 = this.yStd * this.yStd;
    if (opts.returnCov) {
      const cov = this.kernel_.matrix(Xs);
      for (let k = 0; k < n; k++) {
        const rk = k * m;
        for (let a = 0; a < m; a++) {
          const va = V[rk + a]!;
          if (va === 0) continue;
          for (let b = 0; b < m; b++) cov[a * m + b] = cov[a * m + b]! - va * V[rk + b]!;
        }
      }
      for (let i = 0; i < cov.length; i++) cov[i] = cov[i]! * s2;
      out.cov = cov;
    }
    if (opts.returnStd) {
      const v = this.kernel_.diag(Xs);
      for (let k = 0; k < n; k++) for (let a = 0; a < m; a++) v[a] = v[a]! - V[k * m + a]! ** 2;
      out.std = v.map((x) => {
        if (x < 0) {
          if (x < -1e-8) console.warn(`GaussianProcessRegressor.predict: predicted variance ${x} < 0 set to 0`);
          return 0;
        }
        return Math.sqrt(x * s2);
      });
    }
    return out;
  }

  /** `nSamples` joint draws of f at test inputs from the posterior: nSamples × m, row-major. */
  sampleY(xs: PointsLike, nSamples = 1, seed?: number | Rng): Float64Array {
    const { mean, cov } = this.predict(xs, { returnCov: true });
    const m = mean.length;
    const rng = seed === undefined ? this.rng : toRng(seed);
    const Lc = cholesky(cov!, m, { jitter: 'auto', onWarning: () => {} }).L;
    const out = new Float64Array(nSamples * m);
    const z = new Float64Array(m);
    for (let s = 0; s < nSamples; s++) {
      for (let i = 0; i < m; i++) z[i] = rng.normal();
      for (let i = 0; i < m; i++) {
        let v = mean[i]!;
        for (let j = 0; j <= i; j++) v += Lc[i * m + j]! * z[j]!;
        out[s * m + i] = v;
      }
    }
    return out;
  }

  private requireFit(): Points {
    if (!this.X) throw new ValueError('GaussianProcessRegressor: call fit() first');
    return this.X;
  }

  private noiseDiag(n: number): Float64Array {
    const a = this.opts.alpha ?? 1e-10;
    if (typeof a === 'number') {
      if (!(a >= 0)) throw new ValueError(`alpha must be ≥ 0, got ${a}`);
      return new Float64Array(n).fill(a);
    }
    if (a.length !== n) throw new ShapeError(`alpha has ${a.length} values but there are ${n} training points`);
    const out = Float64Array.from(a);
    for (const v of out) if (!(v >= 0)) throw new ValueError(`alpha must be ≥ 0, got ${v}`);
    return out;
  }

  /** LML (and gradient) for kernel k; undefined when K is not positive definite and `soft`. */
  private lmlAt(k: Kernel, withGrad: boolean, strict: boolean): LogMarginalLikelihood | undefined {
    const X = this.X!;
    const n = X.n;
    const y = this.yTrain;
    const { K, dK } = withGrad ? k.gradient(X) : { K: k.matrix(X), dK: [] as Float64Array[] };
    const noise = this.noiseDiag(n);
    for (let i = 0; i < n; i++) K[i * n + i] = K[i * n + i]! + noise[i]!;
    let L: Float64Array;
    try {
      L = cholesky(K, n, { jitter: false, assumeFinite: true }).L;
    } catch (e) {
      if (!strict && e instanceof NotPositiveDefiniteError) return undefined;
      throw e;
    }
    const alpha = y.slice();
    forwardSolveInPlace(L, n, alpha);
    backSolveTransposedInPlace(L, n, alpha);
    let value = -0.5 * n * Math.log(2 * Math.PI);
    for (let i = 0; i < n; i++) value += -0.5 * y[i]! * alpha[i]! - Math.log(L[i * n + i]!);
    const gradient = new Float64Array(dK.length);
    if (withGrad && dK.length > 0) {
      // ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ) over the lower triangle (both matrices are symmetric).
      const Kinv = inverseFromCholesky(L, n);
      for (let a = 0; a < n; a++) {
        const aa = alpha[a]!;
        const ra = a * n;
        for (let b = 0; b < a; b++) Kinv[ra + b] = 2 * (aa * alpha[b]! - Kinv[ra + b]!);
        Kinv[ra + a] = aa * aa - Kinv[ra + a]!;
      }
      for (let j = 0; j < dK.length; j++) {
        const D = dK[j]!;
        let s0 = 0;
        let s1 = 0;
        for (let a = 0; a < n; a++) {
          const ra = a * n;
          let b = 0;
          for (; b + 1 <= a; b += 2) {
            s0 += Kinv[ra + b]! * D[ra + b]!;
            s1 += Kinv[ra + b + 1]! * D[ra + b + 1]!;
          }
          if (b === a) s0 += Kinv[ra + a]! * D[ra + a]!;
        }
        gradient[j] = 0.5 * (s0 + s1);
      }
    }
    return { value, gradient };
  }
}
