/**
 * Self-supervised pre-training: next-patch regression with a masked Huber loss, AdamW with
 * linear warm-up and cosine decay, global-norm clipping, seeded minibatches.
 */
import { AbortError, tf, ValueError } from '@astro/core';
import { Rng } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import type { LightCurveGPT } from './gpt.js';
import { maskedHuber } from './loss.js';
import type { PatchWindows } from './tokens.js';

/** Options of {@link pretrain}. */
export interface PretrainOptions {
  /** Optimiser steps. */
  steps: number;
  /** Windows per step (default 16). */
  batchSize?: number;
  /** Peak learning rate (default 1e-3). */
  lr?: number;
  /** Warm-up steps (default 10 % of steps). */
  warmupSteps?: number;
  /** AdamW weight decay (default 0.01). */
  weightDecay?: number;
  /** Huber δ in standardised flux units (default 1). */
  huberDelta?: number;
  /** Minibatch seed (default 0). */
  seed?: number;
  /** Called after each step with the step index and training loss. */
  onStep?: (step: number, loss: number) => void;
  signal?: AbortSignal;
}

/** Build the next-patch loss of `model` on windows `idx` of `w`. */
export function nextPatchLoss(model: LightCurveGPT, w: PatchWindows, idx: readonly number[], delta = 1): tf.Scalar {
  const T = w.numPatches;
  const P = w.patchSize;
  const n = idx.length;
  const f = new Float32Array(n * T * P);
  const m = new Float32Array(n * T * P);
  const t = new Float32Array(n * T);
  idx.forEach((k, i) => {
    f.set(w.flux.subarray(k * T * P, (k + 1) * T * P), i * T * P);
    m.set(w.mask.subarray(k * T * P, (k + 1) * T * P), i * T * P);
    t.set(w.timeDays.subarray(k * T, (k + 1) * T), i * T);
  });
  return tf.tidy(() => {
    const flux = tf.tensor3d(f, [n, T, P]);
    const mask = tf.tensor3d(m, [n, T, P]);
    const pred = model.predictNext(flux, tf.tensor2d(t, [n, T]));
    const p = tf.slice(pred, [0, 0, 0], [n, T - 1, P]);
    const y = tf.slice(flux, [0, 1, 0], [n, T - 1, P]);
    const mk = tf.slice(mask, [0, 1, 0], [n, T - 1, P]);
    return maskedHuber(p, y, mk, delta);
  });
}

/**
 * Mean next-patch loss of `model` over all windows of `w` (masked Huber, each observed
 * predicted cadence weighted equally, as one big batch would), evaluated in batches of
 * `batchSize` windows and read back asynchronously (every backend). Returns NaN for no windows.
 */
export async function evaluateNextPatchLoss(model: LightCurveGPT, w: PatchWindows, opts: { batchSize?: number; huberDelta?: number } = {}): Promise<number> {
  const T = w.numPatches;
  const P = w.patchSize;
  const bs = opts.batchSize ?? 64;
  let num = 0;
  let den = 0;
  for (let b = 0; b < w.windows; b += bs) {
    const idx = Array.from({ length: Math.min(bs, w.windows - b) }, (_, i) => b + i);
    let observed = 0;
    for (const k of idx) for (let i = P; i < T * P; i++) observed += w.mask[k * T * P + i]!;
    const l = nextPatchLoss(model, w, idx, opts.huberDelta ?? 1);
    const v = (await l.data())[0]!;
    l.dispose();
    num += v * observed;
    den += observed;
  }
  return den > 0 ? num / den : NaN;
}

/**
 * Pre-train `model` on windows `w` for `steps` AdamW steps. Returns the per-step training
 * losses. Throws `ValueError` for no windows or a patch size that differs from the model's.
 */
export async function pretrain(model: LightCurveGPT, w: PatchWindows, opts: PretrainOptions): Promise<number[]> {
  if (w.windows < 1) throw new ValueError('pretrain: no windows');
  if (w.patchSize !== model.config.patchSize) throw new ValueError(`pretrain: windows have patchSize ${w.patchSize}, model ${model.config.patchSize}`);
  const bs = Math.min(opts.batchSize ?? 16, w.windows);
  const lr = warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: opts.warmupSteps ?? Math.max(1, Math.floor(opts.steps / 10)), totalSteps: opts.steps, minLr: (opts.lr ?? 1e-3) * 0.1 });
  const opt = new AdamW(model.namedParameters(), { lr, weightDecay: opts.weightDecay ?? 0.01, clipGradNorm: 1 });
  const rng = new Rng(opts.seed ?? 0);
  const order = Array.from({ length: w.windows }, (_, i) => i);
  let cursor = w.windows;
  const losses: number[] = [];
  try {
    for (let s = 0; s < opts.steps; s++) {
      if (opts.signal?.aborted) throw new AbortError('pretrain aborted');
      const idx: number[] = [];
      while (idx.length < bs) {
        if (cursor >= order.length) {
          for (let i = order.length - 1; i > 0; i--) {
            const j = Math.floor(rng.uniform() * (i + 1));
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          cursor = 0;
        }
        idx.push(order[cursor++]!);
      }
      const r = opt.minimize(() => nextPatchLoss(model, w, idx, opts.huberDelta ?? 1));
      const v = (await r.loss.data())[0]!;
      r.loss.dispose();
      r.gradNorm?.dispose();
      losses.push(v);
      opts.onStep?.(s, v);
    }
  } finally {
    opt.dispose();
  }
  return losses;
}
