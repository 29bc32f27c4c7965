import { Rng, tf } from '@astro/core';
import { Linear, MLP, Module } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import { colourFeatures, N_FEATURES, standardize, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { gridZ, normalizePdfs, type PdfSet, type ZGrid } from '../pdf/grid.js';

/** Hyper-parameters of the CLAP encoder. */
export interface EncoderConfig {
  /** Hidden width of the MLP (default 64). */
  hidden: number;
  /** Latent dimension (default 8); the latent is L2-normalised. */
  latentDim: number;
  /** Number of redshift bins of the cross-entropy head over [zMin, zMax] (default 32). */
  nBins: number;
  zMin: number;
  zMax: number;
  /** Temperature τ of the contrastive softmax (default 0.1). */
  temperature: number;
  /** Weight of the redshift-bin cross-entropy (default 1). */
  ceWeight: number;
  /** Weight of the contrastive term (default 1; 0 trains the softmax-over-bins baseline). */
  contrastiveWeight: number;
  /**
   * Weight of the paired-view redshift-contrast term {@link redshiftContrastLoss} (default 0):
   * a supervised-contrastive term whose positives are the other view of every galaxy in the same
   * redshift bin, so the latent space is organised by redshift as well as by galaxy identity.
   */
  redshiftContrastWeight?: number;
}

/** Default encoder hyper-parameters. */
export const DEFAULT_ENCODER: EncoderConfig = {
  hidden: 64,
  latentDim: 8,
  nBins: 32,
  zMin: 0,
  zMax: 0.8,
  temperature: 0.1,
  ceWeight: 1,
  contrastiveWeight: 1,
};

/**
 * The CLAP encoder: an MLP from standardised photometric features (4 colours + r) to an
 * L2-normalised latent vector, with a linear head giving logits over redshift bins.
 */
export class ClapEncoder extends Module {
  readonly config: EncoderConfig;
  readonly body: MLP;
  readonly head: Linear;
  constructor(config: EncoderConfig, seed: number) {
    super();
    this.config = config;
    const rng = new Rng(seed);
    this.body = this.child(
      'body',
      new MLP({
        sizes: [N_FEATURES, config.hidden, config.hidden, config.latentDim],
        activation: 'gelu',
        seed: rng.fork('body').nextUint32(),
      }),
    );
    this.head = this.child('head', new Linear(config.latentDim, config.nBins, { seed: rng.fork('head').nextUint32() }));
  }

  /** Latent vectors, [n, latentDim], unit norm. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = this.body.forward(x);
      return tf.div(h, tf.add(tf.norm(h, 'euclidean', 1, true), 1e-8));
    });
  }
}

/** Options of {@link trainEncoder}. */
export interface EncoderFitOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Seed of core's `fit` loop: its per-epoch `Rng` draws the noise re-draws and the shuffles. */
  seed: number;
  /** Called after each epoch with the mean loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Core's progress events (every step and epoch). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Aborting rejects with core's `AbortError`. */
  signal?: AbortSignal;
}

/** One noise re-draw of the catalogue: m' = m + σ_m·ε, ε ~ 𝒩(0,1), per band (the augmentation). */
export function redrawMagnitudes(cat: Photometry, rng: Rng): Float64Array {
  const out = new Float64Array(cat.mag.length);
  for (let i = 0; i < out.length; i++) out[i] = cat.mag[i]! + cat.magErr[i]! * rng.normal();
  return out;
}

/** Redshift-bin index of each z over nBins equal bins of [zMin, zMax] (clamped to the end bins). */
export function redshiftBins(zSpec: ArrayLike<number>, nBins: number, zMin: number, zMax: number): Int32Array {
  const bins = new Int32Array(zSpec.length);
  for (let i = 0; i < bins.length; i++)
    bins[i] = Math.min(nBins - 1, Math.max(0, Math.floor(((zSpec[i]! - zMin) / (zMax - zMin)) * nBins)));
  return bins;
}

/**
 * 0…n−1 in a Fisher–Yates shuffled order drawn from rng (one uniform per position); the image path's
 * training loop still draws this stream. @deprecated New code: core's `rng.permutation(n)`.
 */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm;
}

/** One batch of two views: standardised features x1, x2 [b, 5] and the galaxies' redshift bins. */
interface ViewBatch {
  x1: tf.Tensor2D;
  x2: tf.Tensor2D;
  bins: Int32Array;
}

/** The loss weights {@link clapObjective} reads from an encoder config. */
export interface ObjectiveWeights {
  temperature: number;
  ceWeight: number;
  contrastiveWeight: number;
  redshiftContrastWeight?: number;
}

/**
 * The CLAP training objective on two views z1, z2 [b, d] of b galaxies whose redshift bins are
 * `bins`: ½·contrastiveWeight·(symmetric InfoNCE, positives the same galaxy) + ½·ceWeight·(bin
 * cross-entropy of `head` on both views) + redshiftContrastWeight·{@link redshiftContrastLoss}.
 * Shared by the photometric and the image encoders.
 */
export function clapObjective(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  head: { forward(x: tf.Tensor): tf.Tensor },
  bins: Int32Array,
  nBins: number,
  w: ObjectiveWeights,
): tf.Scalar {
  return tf.tidy(() => {
    const b = bins.length;
    const diag = tf.oneHot(tf.range(0, b, 1, 'int32'), b);
    const yb = tf.oneHot(tf.tensor1d(bins, 'int32'), nBins);
    const logits = tf.div(tf.matMul(z1, z2, false, true), w.temperature);
    const con = tf.add(tf.losses.softmaxCrossEntropy(diag, logits), tf.losses.softmaxCrossEntropy(diag, tf.transpose(logits)));
    const ce = tf.add(tf.losses.softmaxCrossEntropy(yb, head.forward(z1)), tf.losses.softmaxCrossEntropy(yb, head.forward(z2)));
    const total = tf.add(tf.mul(con, 0.5 * w.contrastiveWeight), tf.mul(ce, 0.5 * w.ceWeight));
    const zc = w.redshiftContrastWeight ?? 0;
    return (zc > 0 ? tf.add(total, tf.mul(redshiftContrastLoss(z1, z2, bins, w.temperature), zc)) : total) as tf.Scalar;
  });
}

/**
 * Paired-view redshift-contrast loss: a supervised-contrastive (SupCon, Khosla et al. 2020)
 * term over two views z1, z2 [b, d] of the same b galaxies, in the spirit of CLAP's supervised
 * contrastive learning (Lin et al. 2024). For anchor i (view 1), every j with the same redshift
 * bin (view 2, j = i included) is a positive, weighted equally:
 * L = −(1/2b) Σ_i Σ_j P_ij [log softmax_j(z1_i·z2_j/τ) + log softmax_j(z2_i·z1_j/τ)],
 * P_ij = 1[bin_i = bin_j] / #{j : bin_j = bin_i}. With all bins distinct it is the symmetric
 * InfoNCE of the two views.
 */
export function redshiftContrastLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, bins: Int32Array, temperature: number): tf.Scalar {
  const b = bins.length;
  const p = new Float32Array(b * b);
  for (let i = 0; i < b; i++) {
    let c = 0;
    for (let j = 0; j < b; j++) if (bins[j] === bins[i]) c++;
    for (let j = 0; j < b; j++) if (bins[j] === bins[i]) p[i * b + j] = 1 / c;
  }
  return tf.tidy(() => {
    const target = tf.tensor2d(p, [b, b]);
    const logits = tf.div(tf.matMul(z1, z2, false, true), temperature);
    // P is symmetric in (i, j) up to the row normalisation, which depends only on bin_i: the
    // transposed logits with the same P give the view-2 anchors.
    const a = tf.losses.softmaxCrossEntropy(target, logits);
    const c = tf.losses.softmaxCrossEntropy(target, tf.transpose(logits));
    return tf.mul(tf.add(a, c), 0.5) as tf.Scalar;
  });
}

/**
 * Train the encoder with the CLAP objective (Lin et al. 2024, A&A 691, A331, "CLAP I"): a supervised-contrastive
 * InfoNCE term over two noise re-draws of each galaxy (positive pair: the same galaxy's two views;
 * negatives: every other galaxy in the batch; symmetric, temperature τ), plus cross-entropy of the
 * redshift-bin head on both views, plus (when `redshiftContrastWeight` > 0) the paired-view
 * redshift-contrast term {@link redshiftContrastLoss}. Returns the mean loss of the last epoch.
 */
export async function trainEncoder(
  enc: ClapEncoder,
  cat: Photometry,
  zSpec: Float64Array,
  std: Standardizer,
  opts: EncoderFitOptions,
): Promise<number> {
  const { nBins, zMin, zMax } = enc.config;
  const n = cat.n;
  const bs = opts.batchSize;
  const bins = redshiftBins(zSpec, nBins, zMin, zMax);
  const starts: number[] = [];
  for (let s = 0; s + 2 <= n; s += bs) starts.push(s); // a last batch of one galaxy has no negatives
  const steps = opts.epochs * starts.length;
  const optimizer = new AdamW(enc.namedParameters(), {
    lr: warmupCosine({ peakLr: opts.lr, warmupSteps: Math.min(50, steps >> 3), totalSteps: steps }),
    weightDecay: 1e-4,
  });
  // Each epoch: two noise re-draws of every galaxy and a shuffle, all from the loop's epoch Rng.
  const views: BatchStream<ViewBatch> = {
    numBatches: starts.length,
    *batches(_epoch, rng) {
      const v1 = standardize(colourFeatures(cat, redrawMagnitudes(cat, rng)), std);
      const v2 = standardize(colourFeatures(cat, redrawMagnitudes(cat, rng)), std);
      const perm = rng.permutation(n);
      for (const s of starts) {
        const idx = perm.subarray(s, Math.min(n, s + bs));
        const b = idx.length;
        const x1 = new Float32Array(b * N_FEATURES);
        const x2 = new Float32Array(b * N_FEATURES);
        const y = new Int32Array(b);
        for (let r = 0; r < b; r++) {
          const g = idx[r]!;
          x1.set(v1.subarray(g * N_FEATURES, (g + 1) * N_FEATURES), r * N_FEATURES);
          x2.set(v2.subarray(g * N_FEATURES, (g + 1) * N_FEATURES), r * N_FEATURES);
          y[r] = bins[g]!;
        }
        yield { x1: tf.tensor2d(x1, [b, N_FEATURES]), x2: tf.tensor2d(x2, [b, N_FEATURES]), bins: y };
      }
    },
  };
  try {
    const r = await fit(enc, views, {
      epochs: opts.epochs,
      seed: opts.seed,
      optimizer,
      progressBar: false,
      step: (b) => clapObjective(enc.forward(b.x1) as tf.Tensor2D, enc.forward(b.x2) as tf.Tensor2D, enc.head, b.bins, nBins, enc.config),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: async (p) => {
        if (p.phase === 'epoch') opts.onEpoch?.(p.epoch, p.loss);
        await opts.onProgress?.(p);
      },
    });
    return r.history.loss[r.history.loss.length - 1] ?? NaN;
  } finally {
    optimizer.dispose();
  }
}

/** Latent vectors of a catalogue (n × latentDim, Float32, unit norm). */
export async function encode(enc: ClapEncoder, cat: Photometry, std: Standardizer): Promise<Float32Array> {
  const x = tf.tensor2d(standardize(colourFeatures(cat), std), [cat.n, N_FEATURES]);
  const z = enc.forward(x);
  const out = (await z.data()) as Float32Array;
  tf.dispose([x, z]);
  return out;
}

/**
 * The softmax-over-bins PDFs of the encoder's redshift head (the baseline network when trained with
 * `contrastiveWeight: 0`): bin probabilities P_b spread uniformly over each bin of width Δ, i.e.
 * density P_b/Δ, sampled at the grid points and renormalised on the grid.
 */
export async function binPdfs(enc: ClapEncoder, cat: Photometry, std: Standardizer, grid: ZGrid): Promise<PdfSet> {
  const { nBins, zMin, zMax } = enc.config;
  const x = tf.tensor2d(standardize(colourFeatures(cat), std), [cat.n, N_FEATURES]);
  const probs = tf.tidy(() => tf.softmax(enc.head.forward(enc.forward(x))));
  const pb = await probs.data();
  tf.dispose([x, probs]);
  const w = (zMax - zMin) / nBins;
  const p = new Float64Array(cat.n * grid.n);
  for (let i = 0; i < cat.n; i++) {
    for (let j = 0; j < grid.n; j++) {
      const b = Math.floor((gridZ(grid, j) - zMin) / w);
      p[i * grid.n + j] = b >= 0 && b < nBins ? pb[i * nBins + b]! / w : 0;
    }
  }
  return normalizePdfs(grid, p);
}
