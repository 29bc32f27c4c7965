import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { NotPositiveDefiniteError, cholesky, minimizeLbfgs, solveLower } from '@astro/core/linalg';
import { normalCdf } from '../sampling/ks.js';
import { backSolveTransposedInPlace, forwardSolveInPlace } from './inverse.js';
import type { Kernel } from './kernels/kernel.js';
import { toPoints, type Points, type PointsLike } from './points.js';

/** Options of {@link GaussianProcessClassifier}. */
export interface GPClassifierOptions {
  /** Prior covariance of the latent function. */
  kernel: Kernel;
  /** `'lbfgs'` (default): maximise the Laplace log marginal likelihood over θ; `'none'`: keep θ. */
  optimizer?: 'lbfgs' | 'none';
  /** Maximum Newton iterations for the posterior mode (default 100, as scikit-learn). */
  maxIterations?: number;
}

interface Mode {
  f: Float64Array;
  pi: Float64Array;
  Wsr: Float64Array;
  L: Float64Array;
  a: Float64Array;
  lml: number;
}

// Williams & Barber (1998) / scikit-learn: σ(x) ≈ Σ cᵢ Φ(λᵢ x) + ½Σcᵢ, for the predictive integral.
const LAMBDAS = [0.41, 0.4, 0.37, 0.44, 0.39];
const COEFS = [-1854.8214151, 3516.89893646, 221.29346712, 128.12323805, -2010.49422654];

const erf = (x: number): number => 2 * normalCdf(x * Math.SQRT2) - 1;

/**
 * Binary Gaussian-process classification with a logistic likelihood by the Laplace
 * approximation (Rasmussen & Williams 2006, Algorithms 3.1, 3.2 and 5.1): Newton iterations
 * for the posterior mode, the approximate log marginal likelihood and its analytic gradient,
 * L-BFGS-B hyper-parameters, and the predictive class probability averaged over the latent
 * Gaussian (the 5-term erf expansion used by scikit-learn's `GaussianProcessClassifier`).
 */
export class GaussianProcessClassifier {
  readonly kernel: Kernel;
  /** Fitted kernel. */
  kernel_: Kernel;
  /** Laplace log marginal likelihood at the fitted θ. */
  logMarginalLikelihoodValue = NaN;
  private readonly opts: GPClassifierOptions;
  private X: Points | undefined;
  private y = new Float64Array(0);
  private mode: Mode | undefined;

  constructor(opts: GPClassifierOptions) {
    this.opts = opts;
    this.kernel = opts.kernel;
    this.kernel_ = opts.kernel;
  }

  /** Fit to inputs X and binary labels y ∈ {0, 1}. Returns `this`. */
  fit(x: PointsLike, labels: ArrayLike<number>): this {
    const X = toPoints(x, 'X');
    if (labels.length !== X.n) throw new ShapeError(`y has ${labels.length} labels but X has ${X.n} points`);
    const y = Float64Array.from(labels);
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new ValueError(`labels must be 0 or 1, got ${y[i]} at index ${i}`);
    }
    if (y.every((v) => v === y[0])) throw new ValueError('GaussianProcessClassifier needs both classes in y');
    this.X = X;
    this.y = y;
    if ((this.opts.optimizer ?? 'lbfgs') === 'lbfgs' && this.kernel.nTheta > 0) {
      const res = minimizeLbfgs(
        (theta, grad) => {
          try {
            const r = this.lmlAt(this.kernel.withTheta(theta), true);
            for (let i = 0; i < grad.length; i++) grad[i] = -r.gradient[i]!;
            return -r.value;
          } catch (e) {
            if (!(e instanceof NotPositiveDefiniteError)) throw e;
            grad.fill(0);
            return 1e25;
          }
        },
        this.kernel.theta,
        { bounds: this.kernel.bounds },
      );
      this.kernel_ = this.kernel.withTheta(res.x);
    }
    this.mode = this.posteriorMode(this.kernel_.matrix(X));
    this.logMarginalLikelihoodValue = this.mode.lml;
    return this;
  }

  /** Laplace log marginal likelihood and gradient at log hyper-parameters θ (default: fitted). */
  logMarginalLikelihood(theta?: ArrayLike<number>): { value: number; gradient: Float64Array } {
    if (!this.X) throw new ValueError('GaussianProcessClassifier: call fit() first');
    return this.lmlAt(theta === undefined ? this.kernel_ : this.kernel.withTheta(theta), true);
  }

  /** The posterior mode f̂ of the latent function at the training inputs. */
  get latentMode(): Float64Array {
    return this.requireFit().f.slice();
  }

  /** Latent predictive mean and variance at test inputs (R&W eq. 3.21, 3.24). */
  predictLatent(xs: PointsLike): { mean: Float64Array; variance: Float64Array } {
    const mode = this.requireFit();
    const X = this.X!;
    const Xs = toPoints(xs, 'Xs');
    if (Xs.d !== X.d) throw new ShapeError(`Xs has dimension ${Xs.d}, training inputs have ${X.d}`);
    const n = X.n;
    const m = Xs.n;
    const Ks = this.kernel_.matrix(X, Xs);
    const mean = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const r = this.y[i]! - mode.pi[i]!;
      for (let j = 0; j < m; j++) mean[j] = mean[j]! + Ks[i * m + j]! * r;
    }
    const scaled = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) scaled[i * m + j] = mode.Wsr[i]! * Ks[i * m + j]!;
    const v = solveLower(mode.L, n, scaled);
    const variance = this.kernel_.diag(Xs);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) variance[j] = variance[j]! - v[i * m + j]! ** 2;
    return { mean, variance };
  }

  /** P(y = 1 | x*) averaged over the Laplace latent posterior (R&W eq. 3.25). */
  predictProba(xs: PointsLike): Float64Array {
    const { mean, variance } = this.predictLatent(xs);
    const out = new Float64Array(mean.length);
    const c0 = 0.5 * COEFS.reduce((a, b) => a + b, 0);
    for (let j = 0; j < mean.length; j++) {
      const v = Math.max(variance[j]!, 1e-300);
      const alpha = 1 / (2 * v);
      let s = c0;
      for (let k = 0; k < 5; k++) {
        const lam = LAMBDAS[k]!;
        const integral =
          (Math.sqrt(Math.PI / alpha) * erf(lam * mean[j]! * Math.sqrt(alpha / (alpha + lam * lam)))) / (2 * Math.sqrt(v * 2 * Math.PI));
        s += COEFS[k]! * integral;
      }
      out[j] = s;
    }
    return out;
  }

  /** Most probable class (0 or 1): the sign of the latent mean, as scikit-learn's `predict`. */
  predict(xs: PointsLike): Uint8Array {
    return Uint8Array.from(this.predictLatent(xs).mean, (m) => (m > 0 ? 1 : 0));
  }

  private requireFit(): Mode {
    if (!this.mode) throw new ValueError('GaussianProcessClassifier: call fit() first');
    return this.mode;
  }

  /** Newton iterations for the mode (R&W Algorithm 3.1, as scikit-learn's `_posterior_mode`). */
  private posteriorMode(K: Float64Array): Mode {
    const n = this.X!.n;
    const y = this.y;
    let f = new Float64Array(n);
    let lmlOld = -Infinity;
    let last: Mode | undefined;
    const maxIt = this.opts.maxIterations ?? 100;
    for (let it = 0; it < maxIt; it++) {
      const pi = f.map((v) => 1 / (1 + Math.exp(-v)));
      const W = pi.map((p) => p * (1 - p));
      const Wsr = W.map(Math.sqrt);
      const B = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] = Wsr[i]! * K[i * n + j]! * Wsr[j]! + (i === j ? 1 : 0);
      const L = cholesky(B, n, { jitter: false, assumeFinite: true }).L;
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) b[i] = W[i]! * f[i]! + (y[i]! - pi[i]!);
      const t = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += K[i * n + j]! * b[j]!;
        t[i] = Wsr[i]! * s;
      }
      forwardSolveInPlace(L, n, t);
      backSolveTransposedInPlace(L, n, t);
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = b[i]! - Wsr[i]! * t[i]!;
      const fNew = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += K[i * n + j]! * a[j]!;
        fNew[i] = s;
      }
      f = fNew;
      let lml = 0;
      for (let i = 0; i < n; i++) lml += -0.5 * a[i]! * f[i]! - Math.log1p(Math.exp(-(2 * y[i]! - 1) * f[i]!)) - Math.log(L[i * n + i]!);
      last = { f, pi, Wsr, L, a, lml };
      if (lml - lmlOld < 1e-10) break;
      lmlOld = lml;
    }
    if (!Number.isFinite(last!.lml)) throw new ValueError('GaussianProcessClassifier: Newton iterations diverged');
    return last!;
  }

  /** Laplace LML and gradient (R&W Algorithm 5.1, following scikit-learn). */
  private lmlAt(k: Kernel, withGrad: boolean): { value: number; gradient: Float64Array } {
    const X = this.X!;
    const n = X.n;
    const { K, dK } = withGrad ? k.gradient(X) : { K: k.matrix(X), dK: [] as Float64Array[] };
    assertFinite(K, 'kernel matrix');
    const mode = this.posteriorMode(K);
    const gradient = new Float64Array(dK.length);
    if (dK.length === 0) return { value: mode.lml, gradient };
    const { pi, Wsr, L, a } = mode;
    // R = W^½ (B⁻¹) W^½ via solves with diag(W^½).
    const Dm = new Float64Array(n * n);
    for (let i = 0; i < n; i++) Dm[i * n + i] = Wsr[i]!;
    const Bi = solveLower(L, n, Dm);
    // Bi := L⁻ᵀ Bi (column-wise back substitution on all columns at once).
    for (let i = n - 1; i >= 0; i--) {
      const d = L[i * n + i]!;
      for (let c = 0; c < n; c++) Bi[i * n + c] = Bi[i * n + c]! / d;
      for (let j = 0; j < i; j++) {
        const l = L[i * n + j]!;
        if (l === 0) continue;
        for (let c = 0; c < n; c++) Bi[j * n + c] = Bi[j * n + c]! - l * Bi[i * n + c]!;
      }
    }
    const R = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) R[i * n + j] = Wsr[i]! * Bi[i * n + j]!;
    const WK = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) WK[i * n + j] = Wsr[i]! * K[i * n + j]!;
    const C = solveLower(L, n, WK);
    const s2 = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let cc = 0;
      for (let i = 0; i < n; i++) cc += C[i * n + j]! ** 2;
      s2[j] = -0.5 * (K[j * n + j]! - cc) * (pi[j]! * (1 - pi[j]!) * (1 - 2 * pi[j]!));
    }
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = this.y[i]! - pi[i]!;
    for (let p = 0; p < dK.length; p++) {
      const D = dK[p]!;
      let aDa = 0;
      let RD = 0;
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        let sb = 0;
        for (let j = 0; j < n; j++) {
          const dij = D[i * n + j]!;
          s += dij * a[j]!;
          sb += dij * r[j]!;
          RD += R[j * n + i]! * dij;
        }
        aDa += a[i]! * s;
        b[i] = sb;
      }
      const s1 = 0.5 * aDa - 0.5 * RD;
      const Rb = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += R[i * n + j]! * b[j]!;
        Rb[i] = s;
      }
      let s23 = 0;
      for (let i = 0; i < n; i++) {
        let kr = 0;
        for (let j = 0; j < n; j++) kr += K[i * n + j]! * Rb[j]!;
        s23 += s2[i]! * (b[i]! - kr);
      }
      gradient[p] = s1 + s23;
    }
    return { value: mode.lml, gradient };
  }
}
