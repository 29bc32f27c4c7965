import { ShapeError, ValueError, assertFinite, tf } from '@astro/core';
import { MLP, type ActivationName } from '@astro/core/nn';
import { AdamW } from '@astro/core/optim';
import { fit as coreFit, loadModel, saveModel, type Batch, type FitProgress, type ModelConfig } from '@astro/core/train';

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

/** Options of {@link MixtureDensityNetwork.fit} (trained by core's `fit`). */
export interface MdnFitOptions {
  /** Epochs (default 500); an integer ≥ 1. */
  epochs?: number;
  /** Mini-batch size (default: the whole set). */
  batchSize?: number;
  /** AdamW learning rate (default 5e-3). */
  lr?: number;
  weightDecay?: number;
  /** Shuffling seed (core `Rng` stream). */
  seed?: number;
  /** core's one progress event (`'step'` and `'epoch'` phases). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort training: `fit` rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** Training data of {@link MixtureDensityNetwork.fit}: inputs (rows, or flat n×inputDim) and scalar targets. */
export interface MdnData {
  x: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  y: ArrayLike<number>;
}

/** Per-point mixture parameters, each n×K row-major, in the units of y. */
export interface MixtureParams {
  weights: Float64Array;
  means: Float64Array;
  stds: Float64Array;
  n: number;
  K: number;
}

type Rows = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Mixture density network (Bishop 1994): an MLP from `@astro/core/nn` maps x to the weights,
 * means and standard deviations of a K-component Gaussian mixture p(y | x), trained through
 * core's `fit` by minimising the negative log-likelihood with AdamW. Inputs and targets are
 * standardised internally; predictions are returned in the units of y. Follows the house model
 * contract: `await fit({ x, y })`, `await predict(x)`, `save(dir)` / `MixtureDensityNetwork.load(dir)`
 * (kind `@astro/bayes-ml/MixtureDensityNetwork`). Call `await ready()` first.
 */
export class MixtureDensityNetwork {
  /** `kind` in config.json. */
  static readonly kind = '@astro/bayes-ml/MixtureDensityNetwork';
  static readonly schemaVersion = 1;
  readonly inputDim: number;
  readonly K: number;
  private readonly opts: MdnOptions;
  private readonly net: MLP;
  private xMean: Float64Array;
  private xStd: Float64Array;
  private yMean = 0;
  private yStd = 1;
  private fitted = false;

  /** Constructing never trains: it only initialises the network from `seed`. */
  constructor(opts: MdnOptions) {
    if (!Number.isInteger(opts.inputDim) || opts.inputDim < 1)
      throw new ValueError(`inputDim must be a positive integer, got ${opts.inputDim}`);
    if (!Number.isInteger(opts.nComponents) || opts.nComponents < 1)
      throw new ValueError(`nComponents must be a positive integer, got ${opts.nComponents}`);
    const hidden = opts.hidden ?? [32, 32];
    for (const h of hidden) if (!Number.isInteger(h) || h < 1) throw new ValueError(`hidden widths must be positive integers, got ${h}`);
    this.opts = {
      inputDim: opts.inputDim,
      nComponents: opts.nComponents,
      hidden,
      activation: opts.activation ?? 'tanh',
      seed: opts.seed ?? 0,
    };
    this.inputDim = opts.inputDim;
    this.K = opts.nComponents;
    this.net = new MLP({ sizes: [opts.inputDim, ...hidden, 3 * this.K], activation: this.opts.activation!, seed: this.opts.seed! });
    this.xMean = new Float64Array(opts.inputDim);
    this.xStd = new Float64Array(opts.inputDim).fill(1);
  }

  /**
   * Train on `{ x, y }` (x: n×inputDim rows or flat, y: length n) with core's `fit` (seeded
   * shuffles, `AbortError` on `signal`, `FitProgress` events, `ValueError` on a NaN loss).
   * Resolves to the loss per epoch (mean NLL, standardised units).
   */
  async fit(data: MdnData, opts?: MdnFitOptions): Promise<Float64Array>;
  /** @deprecated Pass `{ x, y }`: `fit({ x, y }, opts)`. */
  async fit(x: Rows, y: ArrayLike<number>, opts?: MdnFitOptions): Promise<Float64Array>;
  async fit(a: MdnData | Rows, b?: ArrayLike<number> | MdnFitOptions, c?: MdnFitOptions): Promise<Float64Array> {
    const isData = typeof a === 'object' && a !== null && 'x' in a && 'y' in a && !Array.isArray(a);
    const x = isData ? (a as MdnData).x : (a as Rows);
    const y = isData ? (a as MdnData).y : (b as ArrayLike<number>);
    const opts = (isData ? (b as MdnFitOptions | undefined) : c) ?? {};
    const X = this.flatten(x);
    const n = X.length / this.inputDim;
    if (y === undefined || y.length !== n) throw new ShapeError(`y has ${y?.length} values but x has ${n} rows`);
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
    this.yMean = Array.from(y).reduce((p, q) => p + q, 0) / n;
    this.yStd = Math.sqrt(Array.from(y).reduce((p, q) => p + (q - this.yMean) ** 2, 0) / n) || 1;
    const batchSize = opts.batchSize ?? n;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`batchSize must be a positive integer, got ${batchSize}`);
    const xt = tf.tensor2d(this.standardise(X), [n, d]);
    const yt = tf.tensor2d(
      Float32Array.from(y, (v) => (v - this.yMean) / this.yStd),
      [n, 1],
    );
    const optimizer = new AdamW(this.net.namedParameters(), { lr: opts.lr ?? 5e-3, weightDecay: opts.weightDecay ?? 0 });
    try {
      const r = await coreFit(
        this.net,
        { x: xt, y: yt },
        {
          epochs: opts.epochs ?? 500,
          batchSize: Math.min(batchSize, n),
          seed: opts.seed ?? 0,
          optimizer,
          step: (batch: Batch) => this.nll(batch.x as tf.Tensor2D, batch.y as tf.Tensor2D),
          onProgress: opts.onProgress,
          signal: opts.signal,
          progressBar: false,
        },
      );
      this.fitted = true;
      return Float64Array.from(r.history.loss);
    } finally {
      optimizer.dispose(); // the AdamW moment estimates
      tf.dispose([xt, yt]);
    }
  }

  /** config.json (hyper-parameters, standardisation) + model.safetensors in `dir`, written atomically. */
  async save(dir: string): Promise<void> {
    if (!this.fitted) throw new ValueError('MixtureDensityNetwork: call fit() before save()');
    const config: ModelConfig = {
      kind: MixtureDensityNetwork.kind,
      schemaVersion: MixtureDensityNetwork.schemaVersion,
      hyperParameters: { ...this.opts },
      standardisation: { xMean: Array.from(this.xMean), xStd: Array.from(this.xStd), yMean: this.yMean, yStd: this.yStd },
    };
    await saveModel(dir, this.net, config);
  }

  /** Load a directory written by {@link MixtureDensityNetwork.save} (kind, schema and SHA-256 checked). */
  static async load(dir: string): Promise<MixtureDensityNetwork> {
    let made: MixtureDensityNetwork | undefined;
    const { config } = await loadModel(dir, {
      kind: MixtureDensityNetwork.kind,
      schemaVersion: MixtureDensityNetwork.schemaVersion,
      build: (c) => {
        made = new MixtureDensityNetwork(c.hyperParameters as unknown as MdnOptions);
        return made.net;
      },
    });
    const st = config['standardisation'] as { xMean: number[]; xStd: number[]; yMean: number; yStd: number } | undefined;
    const m = made!;
    if (!st || st.xMean.length !== m.inputDim || st.xStd.length !== m.inputDim) {
      m.dispose();
      throw new ValueError(`${dir}/config.json: standardisation is missing or has the wrong length`);
    }
    m.xMean = Float64Array.from(st.xMean);
    m.xStd = Float64Array.from(st.xStd);
    m.yMean = st.yMean;
    m.yStd = st.yStd;
    m.fitted = true;
    return m;
  }

  /** Mixture weights, means and standard deviations of p(y | x) for each row of x (read back asynchronously). */
  async predict(x: Rows): Promise<MixtureParams> {
    if (!this.fitted) throw new ValueError('MixtureDensityNetwork: call fit() first');
    const X = this.flatten(x);
    const n = X.length / this.inputDim;
    const K = this.K;
    const out = tf.tidy(() => {
      const h = this.net.forward(tf.tensor2d(this.standardise(X), [n, this.inputDim]));
      const [logits, mu, logSigma] = tf.split(h, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      return [tf.softmax(logits), mu, tf.exp(tf.clipByValue(logSigma, -7, 7))] as const;
    });
    let w: Float64Array, m: Float64Array, s: Float64Array;
    try {
      [w, m, s] = (await Promise.all(out.map((t) => t.data()))).map((v) => Float64Array.from(v)) as [
        Float64Array,
        Float64Array,
        Float64Array,
      ];
    } finally {
      out.forEach((t) => t.dispose());
    }
    for (let i = 0; i < n * K; i++) {
      m[i] = m[i]! * this.yStd + this.yMean;
      s[i] = s[i]! * this.yStd;
    }
    return { weights: w, means: m, stds: s, n, K };
  }

  /** log p(y | x) of each pair under the predicted mixture (float64, in the units of y). */
  async logProb(x: Rows, y: ArrayLike<number>): Promise<Float64Array> {
    const p = await this.predict(x);
    if (y.length !== p.n) throw new ShapeError(`y has ${y.length} values but x has ${p.n} rows`);
    return mixtureLogPdf(p, y);
  }

  /** Mean and variance of the predicted mixture for each row of x (law of total variance). */
  async predictMeanVar(x: Rows): Promise<{ mean: Float64Array; variance: Float64Array }> {
    const p = await this.predict(x);
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
