import { tf, ValueError } from '@astro/core';
import { MLP, Module } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream } from '@astro/core/train';
import { cdfRow, gridMax, gridZ, normalizePdfs, type PdfSet, type ZGrid } from '../pdf/grid.js';

/** Hyper-parameters of the refit network. */
export interface RefitConfig {
  /** Hidden width (default 64). */
  hidden: number;
  /** Redshift bins of its softmax output over the PDF grid's range (default 160: Δz = 0.005 on 0–0.8). */
  nBins: number;
  /** Training epochs (default 60), batch size (256) and peak learning rate (1e-2). */
  epochs: number;
  batchSize: number;
  lr: number;
}

/** Default refit hyper-parameters. */
export const DEFAULT_REFIT: RefitConfig = { hidden: 64, nBins: 160, epochs: 60, batchSize: 256, lr: 1e-2 };

/**
 * The CLAP refit network (Lin et al. 2024, CLAP I, §3: "refitting"): an MLP from a (fixed)
 * encoder's latent vector to softmax probabilities over redshift bins, trained from scratch on the
 * calibrated KNN PDFs of the training set as soft labels, so that prediction needs no neighbour
 * search. Parameters `mlp.layers.<l>.weight|bias`.
 */
export class RefitNetwork extends Module {
  readonly config: RefitConfig;
  readonly mlp: MLP;
  constructor(latentDim: number, config: RefitConfig, seed: number) {
    super();
    this.config = config;
    this.mlp = this.child('mlp', new MLP({ sizes: [latentDim, config.hidden, config.hidden, config.nBins], activation: 'gelu', seed }));
  }
}

/** Probability of each of nBins equal bins over [grid.zMin, gridMax(grid)] under each PDF (m × nBins, rows sum to 1). */
export function binProbabilities(set: PdfSet, nBins: number): Float32Array {
  const { grid, m } = set;
  const out = new Float32Array(m * nBins);
  const cum = new Float64Array(grid.n);
  const w = (gridMax(grid) - grid.zMin) / nBins;
  for (let i = 0; i < m; i++) {
    cdfRow(set, i, cum);
    let prev = 0;
    for (let b = 0; b < nBins; b++) {
      // CDF at the bin's upper edge, linear in the grid's cumulative integral
      const t = Math.min(grid.n - 1, ((b + 1) * w) / grid.dz);
      const j = Math.min(grid.n - 2, Math.floor(t));
      const c = cum[j]! + (t - j) * (cum[j + 1]! - cum[j]!);
      out[i * nBins + b] = Math.max(0, c - prev);
      prev = c;
    }
  }
  return out;
}

/**
 * Train a refit network on latents [n, d] with soft labels: cross-entropy −Σ_b q_b log softmax(logits)_b
 * against the targets' bin probabilities q (AdamW, warm-up + cosine). Returns the last epoch's mean loss.
 * @throws {ValueError} if latents and targets disagree in count.
 */
export async function trainRefit(
  net: RefitNetwork,
  latent: Float32Array,
  d: number,
  targets: PdfSet,
  seed: number,
  signal?: AbortSignal,
): Promise<number> {
  const n = latent.length / d;
  if (targets.m !== n) throw new ValueError(`trainRefit: ${n} latents but ${targets.m} target PDFs`);
  const { nBins, epochs, batchSize, lr } = net.config;
  const q = binProbabilities(targets, nBins);
  const perEpoch = Math.ceil(n / batchSize);
  const steps = epochs * perEpoch;
  const optimizer = new AdamW(net.namedParameters(), {
    lr: warmupCosine({ peakLr: lr, warmupSteps: Math.min(50, steps >> 3), totalSteps: steps }),
    weightDecay: 1e-4,
  });
  const data: BatchStream<{ x: tf.Tensor2D; y: tf.Tensor2D }> = {
    numBatches: perEpoch,
    *batches(_epoch, rng) {
      const perm = rng.permutation(n);
      for (let s = 0; s < n; s += batchSize) {
        const idx = perm.subarray(s, Math.min(n, s + batchSize));
        const b = idx.length;
        const x = new Float32Array(b * d);
        const y = new Float32Array(b * nBins);
        for (let r = 0; r < b; r++) {
          x.set(latent.subarray(idx[r]! * d, (idx[r]! + 1) * d), r * d);
          y.set(q.subarray(idx[r]! * nBins, (idx[r]! + 1) * nBins), r * nBins);
        }
        yield { x: tf.tensor2d(x, [b, d]), y: tf.tensor2d(y, [b, nBins]) };
      }
    },
  };
  try {
    const r = await fit(net, data, {
      epochs,
      seed,
      optimizer,
      progressBar: false,
      step: (b) => tf.losses.softmaxCrossEntropy(b.y, net.mlp.forward(b.x)) as tf.Scalar,
      ...(signal ? { signal } : {}),
    });
    return r.history.loss[r.history.loss.length - 1] ?? NaN;
  } finally {
    optimizer.dispose();
  }
}

/** PDFs of the refit network for latents [m, d]: bin probabilities P_b spread over each bin (density P_b/Δ) sampled on the grid, renormalised. */
export async function refitPdfs(net: RefitNetwork, latent: Float32Array, d: number, grid: ZGrid): Promise<PdfSet> {
  const m = latent.length / d;
  const { nBins } = net.config;
  const x = tf.tensor2d(latent, [m, d]);
  const probs = tf.tidy(() => tf.softmax(net.mlp.forward(x)));
  const pb = await probs.data();
  tf.dispose([x, probs]);
  const w = (gridMax(grid) - grid.zMin) / nBins;
  const G = grid.n;
  const p = new Float64Array(m * G);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < G; j++) {
      const b = Math.min(nBins - 1, Math.floor((gridZ(grid, j) - grid.zMin) / w));
      p[i * G + j] = pb[i * nBins + b]! / w;
    }
  }
  return normalizePdfs(grid, p);
}
