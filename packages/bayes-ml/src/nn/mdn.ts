import { AbortError, ShapeError, ValueError, assertFinite, tf } from '@astro/core';
import { MLP, type ActivationName } from '@astro/core/nn';
import { AdamW } from '@astro/core/optim';
import { Rng } from '../sampling/rng.js';

/** Options of {@link MixtureDensityNetwork}. */
export interface MdnOptions {
  /** Number of input features. */
  inputDim: number;
  /** Number of Gaussian components K (1 gives a heteroscedastic Gaussian regressor). */
  nComponents: number;
  /** Hidden layer widths (default [32, 32]). */
  hidden?: number[];
  /** Hidden activation (default 'tanh'). */
  activation?: ActivationName;
  /** Initialisation seed. */
  seed?: number;
}

/** Options of {@link MixtureDensityNetwork.fit}. */
export interface MdnFitOptions {
  epochs?: number;
  /** Mini-batch size (default: the whole set). */
  batchSize?: number;
  /** AdamW learning rate (default 5e-3). */
  lr?: number;
  weightDecay?: number;
  /** Shuffling seed. */
  seed?: number;
  onProgress?: (p: { epoch: number; loss: number }) => void;
  signal?: AbortSignal;
}

/** Per-point mixture parameters, each n×K row-major, in the units of y. */
export interface MixtureParams {
  weights: Float64Array;
  means: Float64Array;
  stds: Float64Array;
  n: number;
  K: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Mixture density network (Bishop 1994): an MLP from `@astro/core/nn` maps x to the weights,
 * means and standard deviations of a K-component Gaussian mixture p(y | x), trained by
 * minimising the negative log-likelihood with AdamW. Inputs and targets are standardised
 * internally; predictions are returned in the units of y. Call `await ready()` first.
 */
export class MixtureDensityNetwork {
  readonly inputDim: number;
  readonly K: number;
  private readonly net: MLP;
  private xMean: Float64Array;
  private xStd: Float64Array;
  private yMean = 0;
  private yStd = 1;
  private fitted = false;

  constructor(opts: MdnOptions) {
    if (!Number.isInteger(opts.inputDim) || opts.inputDim < 1) throw new ValueError(`inputDim must be a positive integer, got ${opts.inputDim}`);
    if (!Number.isInteger(opts.nComponents) || opts.nComponents < 1) throw new ValueError(`nComponents must be a positive integer, got ${opts.nComponents}`);
    this.inputDim = opts.inputDim;
    this.K = opts.nComponents;
    this.net = new MLP({ sizes: [opts.inputDim, ...(opts.hidden ?? [32, 32]), 3 * this.K], activation: opts.activation ?? 'tanh', seed: opts.seed ?? 0 });
    this.xMean = new Float64Array(opts.inputDim);
    this.xStd = new Float64Array(opts.inputDim).fill(1);
  }

  /** Train on x (n×inputDim, rows or flat) and scalar targets y (length n). Returns the loss per epoch (mean NLL, standardised units). */
  async fit(x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, opts: MdnFitOptions = {}): Promise<Float64Array> {
    const X = this.flatten(x);
    const n = X.length / this.inputDim;
    if (y.length !== n) throw new ShapeError(`y has ${y.length} values but x has ${n} rows`);
    assertFinite(y, 'y');
    const d = this.inputDim;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X[i * d + j]!;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (X[i * d + j]! - m) ** 2;
      this.xMean[j] = m;
      this.xStd[j] = Math.sqrt(v / n) || 1;
    }
    this.yMean = Array.from(y).reduce((a, b) => a + b, 0) / n;
    this.yStd = Math.sqrt(Array.from(y).reduce((a, b) => a + (b - this.yMean) ** 2, 0) / n) || 1;
    const xs = this.standardise(X);
    const ys = Float32Array.from(y, (v) => (v - this.yMean) / this.yStd);
    const epochs = opts.epochs ?? 500;
    const batch = Math.min(opts.batchSize ?? n, n);
    const opt = new AdamW(this.net.namedParameters(), { lr: opts.lr ?? 5e-3, weightDecay: opts.weightDecay ?? 0 });
    const rng = new Rng(opts.seed ?? 0);
    const losses = new Float64Array(epochs);
    const perm = Uint32Array.from({ length: n }, (_, i) => i);
    try {
    for (let e = 0; e < epochs; e++) {
      if (opts.signal?.aborted) throw new AbortError('MixtureDensityNetwork.fit aborted');
      for (let i = n - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      let total = 0;
      for (let s = 0; s < n; s += batch) {
        const idx = perm.subarray(s, Math.min(n, s + batch));
        const bx = new Float32Array(idx.length * d);
        const by = new Float32Array(idx.length);
        idx.forEach((k, r) => {
          for (let j = 0; j < d; j++) bx[r * d + j] = xs[k * d + j]!;
          by[r] = ys[k]!;
        });
        const xt = tf.tensor2d(bx, [idx.length, d]);
        const yt = tf.tensor2d(by, [idx.length, 1]);
        const { loss } = opt.minimize(() => this.nll(xt, yt));
        total += loss.dataSync()[0]! * idx.length;
        loss.dispose();
        xt.dispose();
        yt.dispose();
      }
      losses[e] = total / n;
      if (!Number.isFinite(losses[e]!)) throw new ValueError(`MixtureDensityNetwork.fit: loss became ${losses[e]} at epoch ${e}; lower lr`);
      opts.onProgress?.({ epoch: e + 1, loss: losses[e]! });
      if (e % 20 === 19) await new Promise((r) => setTimeout(r, 0));
    }
    } finally {
      opt.dispose(); // the AdamW moment estimates
    }
    this.fitted = true;
    return losses;
  }

  /** Mixture weights, means and standard deviations of p(y | x) for each row of x. */
  predict(x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>): MixtureParams {
    if (!this.fitted) throw new ValueError('MixtureDensityNetwork: call fit() first');
    const X = this.flatten(x);
    const n = X.length / this.inputDim;
    const K = this.K;
    const out = tf.tidy(() => {
      const h = this.net.forward(tf.tensor2d(this.standardise(X), [n, this.inputDim]));
      const [logits, mu, logSigma] = tf.split(h, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      return [tf.softmax(logits), mu, tf.exp(tf.clipByValue(logSigma, -7, 7))] as const;
    });
    const [w, m, s] = out.map((t) => Float64Array.from(t.dataSync()));
    out.forEach((t) => t.dispose());
    for (let i = 0; i < n * K; i++) {
      m![i] = m![i]! * this.yStd + this.yMean;
      s![i] = s![i]! * this.yStd;
    }
    return { weights: w!, means: m!, stds: s!, n, K };
  }

  /** log p(y | x) of each pair under the predicted mixture (float64, in the units of y). */
  logProb(x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): Float64Array {
    const p = this.predict(x);
    if (y.length !== p.n) throw new ShapeError(`y has ${y.length} values but x has ${p.n} rows`);
    return mixtureLogPdf(p, y);
  }

  /** Mean and variance of the predicted mixture for each row of x (law of total variance). */
  predictMeanVar(x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>): { mean: Float64Array; variance: Float64Array } {
    const p = this.predict(x);
    const mean = new Float64Array(p.n);
    const variance = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) {
      let m = 0;
      let s2 = 0;
      for (let k = 0; k < p.K; k++) {
        const w = p.weights[i * p.K + k]!;
        m += w * p.means[i * p.K + k]!;
        s2 += w * (p.stds[i * p.K + k]! ** 2 + p.means[i * p.K + k]! ** 2);
      }
      mean[i] = m;
      variance[i] = Math.max(0, s2 - m * m);
    }
    return { mean, variance };
  }

  /** Free the network's tensors. */
  dispose(): void {
    this.net.dispose();
  }

  private nll(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const h = this.net.forward(x);
      const [logits, mu, logSigmaRaw] = tf.split(h, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const logSigma = tf.clipByValue(logSigmaRaw, -7, 7);
      const z = tf.div(tf.sub(y, mu), tf.exp(logSigma));
      const logN = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * LOG_2PI);
      const lp = tf.logSumExp(tf.add(tf.logSoftmax(logits), logN), 1);
      return tf.neg(tf.mean(lp)) as tf.Scalar;
    });
  }

  private flatten(x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>): Float64Array {
    const d = this.inputDim;
    let X: Float64Array;
    if (x.length > 0 && typeof (x as ArrayLike<unknown>)[0] !== 'number') {
      const rows = x as ReadonlyArray<ArrayLike<number>>;
      X = new Float64Array(rows.length * d);
      rows.forEach((r, i) => {
        if (r.length !== d) throw new ShapeError(`x row ${i} has ${r.length} features, expected ${d}`);
        for (let j = 0; j < d; j++) X[i * d + j] = r[j]!;
      });
    } else {
      X = Float64Array.from(x as ArrayLike<number>);
      if (X.length % d !== 0) throw new ShapeError(`x has ${X.length} values, not a multiple of inputDim = ${d}`);
    }
    if (X.length === 0) throw new ShapeError('x is empty');
    assertFinite(X, 'x');
    return X;
  }

  private standardise(X: Float64Array): Float32Array {
    const d = this.inputDim;
    return Float32Array.from(X, (v, i) => (v - this.xMean[i % d]!) / this.xStd[i % d]!);
  }
}

/** log Σₖ wₖ N(yᵢ | μᵢₖ, σᵢₖ²) for each i, computed stably in float64. */
export function mixtureLogPdf(p: MixtureParams, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.n);
  const terms = new Float64Array(p.K);
  for (let i = 0; i < p.n; i++) {
    let max = -Infinity;
    for (let k = 0; k < p.K; k++) {
      const s = p.stds[i * p.K + k]!;
      const z = (y[i]! - p.means[i * p.K + k]!) / s;
      terms[k] = Math.log(p.weights[i * p.K + k]!) - 0.5 * z * z - Math.log(s) - 0.5 * LOG_2PI;
      if (terms[k]! > max) max = terms[k]!;
    }
    let s = 0;
    for (let k = 0; k < p.K; k++) s += Math.exp(terms[k]! - max);
    out[i] = max + Math.log(s);
  }
  return out;
}
