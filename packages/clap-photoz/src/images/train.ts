import { tf } from '@astro/core';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream } from '@astro/core/train';
import { colourFeatures, N_FEATURES, standardize, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { clapObjective, redrawMagnitudes, redshiftBins, type EncoderFitOptions } from '../clap/encoder.js';
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
  const bins = redshiftBins(set.zSpec, nBins, zMin, zMax);
  const starts: number[] = [];
  for (let s = 0; s + 2 <= n; s += opts.batchSize) starts.push(s);
  const steps = opts.epochs * starts.length;
  const optimizer = new AdamW(enc.namedParameters(), {
    lr: warmupCosine({ peakLr: opts.lr, warmupSteps: Math.min(50, steps >> 3), totalSteps: steps }),
    weightDecay: 1e-4,
  });
  interface Views {
    x1: tf.Tensor4D;
    x2: tf.Tensor4D;
    m1?: tf.Tensor2D;
    m2?: tf.Tensor2D;
    bins: Int32Array;
  }
  // Each epoch, from the loop's epoch Rng: magnitude re-draws, the shuffle, and per galaxy two different D4 elements.
  const views: BatchStream<Views> = {
    numBatches: starts.length,
    *batches(_epoch, rng) {
      const f1 = useMagnitudes ? standardize(colourFeatures(set.photometry!, redrawMagnitudes(set.photometry!, rng)), set.std!) : undefined;
      const f2 = useMagnitudes ? standardize(colourFeatures(set.photometry!, redrawMagnitudes(set.photometry!, rng)), set.std!) : undefined;
      const perm = rng.permutation(n);
      for (const s of starts) {
        const idx = perm.subarray(s, Math.min(n, s + opts.batchSize));
        const b = idx.length;
        const x1 = new Float32Array(b * px);
        const x2 = new Float32Array(b * px);
        const y = new Int32Array(b);
        const g1 = new Float32Array(b * N_FEATURES);
        const g2 = new Float32Array(b * N_FEATURES);
        for (let r = 0; r < b; r++) {
          const g = idx[r]!;
          const t1 = rng.below(8);
          const t2 = (t1 + 1 + rng.below(7)) % 8;
          dihedral(set.images, g * px, S, bands, t1, x1, r * px);
          dihedral(set.images, g * px, S, bands, t2, x2, r * px);
          if (f1 && f2) {
            g1.set(f1.subarray(g * N_FEATURES, (g + 1) * N_FEATURES), r * N_FEATURES);
            g2.set(f2.subarray(g * N_FEATURES, (g + 1) * N_FEATURES), r * N_FEATURES);
          }
          y[r] = bins[g]!;
        }
        const v: Views = { x1: tf.tensor4d(x1, [b, S, S, bands]), x2: tf.tensor4d(x2, [b, S, S, bands]), bins: y };
        if (useMagnitudes) {
          v.m1 = tf.tensor2d(g1, [b, N_FEATURES]);
          v.m2 = tf.tensor2d(g2, [b, N_FEATURES]);
        }
        yield v;
      }
    },
  };
  try {
    const r = await fit(enc, views, {
      epochs: opts.epochs,
      seed: opts.seed,
      optimizer,
      progressBar: false,
      step: (b) =>
        clapObjective(enc.forward(b.x1, b.m1) as tf.Tensor2D, enc.forward(b.x2, b.m2) as tf.Tensor2D, enc.head, b.bins, nBins, enc.config),
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
