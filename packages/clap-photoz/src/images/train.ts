import { tf } from '@astro/core';
import { Rng } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { colourFeatures, N_FEATURES, standardize, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { clapObjective, redrawMagnitudes, redshiftBins, shuffledIndices, type EncoderFitOptions } from '../clap/encoder.js';
import type { ImageEncoder } from './encoder.js';
import { dihedral } from './prepare.js';

/** Stretched training images and, for an encoder with `useMagnitudes`, the catalogue and its feature standardisation. */
export interface ImageTrainingSet {
  /** n × size × size × bands, already stretched ({@link stretchCutouts}). */
  images: Float32Array;
  size: number;
  zSpec: Float64Array;
  photometry?: Photometry;
  std?: Standardizer;
}

/**
 * Train the image encoder with the CLAP objective (Lin et al. 2024, A&A 691, A331): each galaxy's
 * two views are independent random flips/90° rotations of its cutout (and, with magnitudes, two
 * noise re-draws of its photometry); a symmetric InfoNCE term pulls the two views' latents together
 * and pushes other galaxies of the batch away (temperature τ), plus the cross-entropy of the
 * redshift-bin head on both views. Seeded; returns the last epoch's mean loss.
 */
export async function trainImageEncoder(enc: ImageEncoder, set: ImageTrainingSet, opts: EncoderFitOptions): Promise<number> {
  const { nBins, zMin, zMax, bands, useMagnitudes } = enc.config;
  const n = set.zSpec.length;
  const S = set.size;
  const px = S * S * bands;
  const rng = new Rng(opts.seed);
  const bins = redshiftBins(set.zSpec, nBins, zMin, zMax);
  const steps = opts.epochs * Math.ceil(n / opts.batchSize);
  const opt = new AdamW(enc.namedParameters(), { lr: warmupCosine({ peakLr: opts.lr, warmupSteps: Math.min(50, steps >> 3), totalSteps: steps }), weightDecay: 1e-4 });
  let last = 0;
  try {
    for (let e = 0; e < opts.epochs; e++) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      const f1 = useMagnitudes ? standardize(colourFeatures(set.photometry!, redrawMagnitudes(set.photometry!, rng)), set.std!) : undefined;
      const f2 = useMagnitudes ? standardize(colourFeatures(set.photometry!, redrawMagnitudes(set.photometry!, rng)), set.std!) : undefined;
      const perm = shuffledIndices(n, rng);
      let sum = 0;
      let nb = 0;
      for (let s = 0; s + 2 <= n; s += opts.batchSize) {
        const idx = perm.subarray(s, Math.min(n, s + opts.batchSize));
        const b = idx.length;
        const x1 = new Float32Array(b * px);
        const x2 = new Float32Array(b * px);
        const y = new Int32Array(b);
        const g1 = new Float32Array(b * N_FEATURES);
        const g2 = new Float32Array(b * N_FEATURES);
        for (let r = 0; r < b; r++) {
          const g = idx[r]!;
          const t1 = Math.floor(rng.uniform() * 8);
          const t2 = (t1 + 1 + Math.floor(rng.uniform() * 7)) % 8;
          dihedral(set.images, g * px, S, bands, t1, x1, r * px);
          dihedral(set.images, g * px, S, bands, t2, x2, r * px);
          if (f1 && f2) {
            g1.set(f1.subarray(g * N_FEATURES, (g + 1) * N_FEATURES), r * N_FEATURES);
            g2.set(f2.subarray(g * N_FEATURES, (g + 1) * N_FEATURES), r * N_FEATURES);
          }
          y[r] = bins[g]!;
        }
        const t1 = tf.tensor4d(x1, [b, S, S, bands]);
        const t2 = tf.tensor4d(x2, [b, S, S, bands]);
        const m1 = useMagnitudes ? tf.tensor2d(g1, [b, N_FEATURES]) : undefined;
        const m2 = useMagnitudes ? tf.tensor2d(g2, [b, N_FEATURES]) : undefined;
        const { loss } = opt.minimize(() => clapObjective(enc.forward(t1, m1) as tf.Tensor2D, enc.forward(t2, m2) as tf.Tensor2D, enc.head, y, nBins, enc.config));
        sum += (await loss.data())[0]!;
        nb++;
        tf.dispose([loss, t1, t2, ...(m1 && m2 ? [m1, m2] : [])]);
      }
      last = sum / nb;
      opts.onEpoch?.(e, last);
    }
  } finally {
    opt.dispose();
  }
  return last;
}

/** Latent vectors (n × latentDim, Float32, unit norm) of stretched images, in batches of 256. */
export async function encodeImages(enc: ImageEncoder, images: Float32Array, size: number, features?: Float32Array): Promise<Float32Array> {
  const { bands, latentDim } = enc.config;
  const px = size * size * bands;
  const n = images.length / px;
  const out = new Float32Array(n * latentDim);
  for (let s = 0; s < n; s += 256) {
    const b = Math.min(256, n - s);
    const x = tf.tensor4d(images.subarray(s * px, (s + b) * px), [b, size, size, bands]);
    const f = features ? tf.tensor2d(features.subarray(s * N_FEATURES, (s + b) * N_FEATURES), [b, N_FEATURES]) : undefined;
    const z = enc.forward(x, f);
    out.set((await z.data()) as Float32Array, s * latentDim);
    tf.dispose([x, z, ...(f ? [f] : [])]);
  }
  return out;
}
