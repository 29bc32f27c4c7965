import { ValueError, type Rng } from '@astro/core';
import type { FitProgress } from '@astro/core/train';

/** Options shared by the encoders' pre-training (`SpectrumTransformer.fit`, `XpAutoencoder.fit`). */
export interface PretrainOptions {
  epochs: number;
  batchSize?: number;
  /** Peak learning rate (default 1e-3), warm-up over the first 5% of steps then cosine decay. */
  lr?: number;
  weightDecay?: number;
  seed?: number;
  /** Progress after every step and epoch (core's `FitProgress`; `phase: 'epoch'` carries the epoch's mean loss). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort between steps (rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/** Options of `SpectrumTransformer.fit` (masked modelling). */
export interface MaskedPretrainOptions extends PretrainOptions {
  /** Fraction of tokens masked per spectrum (default 0.3). */
  maskRatio?: number;
  /** Tokens per masked chunk (default 4). */
  chunk?: number;
}

/** Rows of each batch of an epoch: a fresh permutation from the epoch's generator. */
export function* batchOrder(n: number, batchSize: number, rng: Rng): Generator<Int32Array> {
  const idx = rng.permutation(n);
  for (let s = 0; s < n; s += batchSize) yield idx.subarray(s, Math.min(n, s + batchSize));
}

/** Rows `rows` of a row-major array of `width` columns, gathered into a new array. */
export function gatherRows(x: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(x.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/** @throws {ValueError} unless `epochs` is a positive integer (and `batchSize`, when given). */
export function checkPretrainOptions(opts: PretrainOptions, where: string): void {
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
    throw new ValueError(`${where}: epochs must be a positive integer, got ${opts.epochs}`);
  if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 1))
    throw new ValueError(`${where}: batchSize must be a positive integer, got ${opts.batchSize}`);
}

/** The options core's `fit` takes from {@link PretrainOptions}. */
export function fitOptionsOf(opts: PretrainOptions): {
  seed: number;
  progressBar: false;
  onProgress?: (p: FitProgress) => void | Promise<void>;
  signal?: AbortSignal;
} {
  return {
    seed: opts.seed ?? 0,
    progressBar: false,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}
