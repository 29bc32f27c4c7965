import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';
import type { BatchStream } from './fit.js';
import type { Rng } from './rng.js';

/** Options of {@link tensorBatches}. */
export interface TensorBatchesOptions {
  /** Rows per batch (an integer ≥ 1). */
  batchSize: number;
  /** Draw a new row order each epoch from the loop's `rng` (default true). */
  shuffle?: boolean;
  /** Drop the last, smaller batch of an epoch (default false; contrastive losses often want true). */
  dropLast?: boolean;
}

/** The {@link BatchStream} {@link tensorBatches} returns: a known batch count and a synchronous iterator. */
export interface TensorBatchStream<B> extends BatchStream<B> {
  numBatches: number;
  batches(epoch: number, rng: Rng): Iterable<B>;
}

/**
 * A {@link BatchStream} over named tensors that share their first (row) axis, e.g.
 * `tensorBatches({ spec, phot }, { batchSize: 64 })` yields `{ spec, phot }` batches of the same
 * rows. Each epoch's order is `rng.permutation(rows)` (the loop's seeded rng, so resume is exact).
 * The tensors are read, not disposed; every batch is a fresh gather that `fit` disposes.
 */
export function tensorBatches<T extends Record<string, tf.Tensor>>(
  tensors: T,
  opts: TensorBatchesOptions,
): TensorBatchStream<{ [K in keyof T]: tf.Tensor }> {
  const names = Object.keys(tensors) as (keyof T & string)[];
  if (names.length === 0) throw new ValueError('tensorBatches needs at least one tensor');
  const { batchSize } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  const first = names[0]!;
  const rows = tensors[first]!.shape[0];
  for (const k of names) {
    const t = tensors[k]!;
    if (!(t instanceof tf.Tensor)) throw new ValueError(`tensorBatches: '${k}' is not a tensor`);
    if (t.rank < 1 || t.shape[0] !== rows) {
      throw new ShapeError(`tensorBatches: '${k}' has shape [${t.shape}] but '${first}' has ${rows} rows; all need the same first axis`);
    }
  }
  if (!rows) throw new ShapeError('tensorBatches: the tensors have no rows');
  const shuffle = opts.shuffle ?? true;
  const dropLast = opts.dropLast ?? false;
  const numBatches = dropLast ? Math.floor(rows / batchSize) : Math.ceil(rows / batchSize);
  if (numBatches < 1) throw new ValueError(`tensorBatches: ${rows} rows make no batch of ${batchSize} with dropLast`);
  return {
    numBatches,
    *batches(_epoch, rng) {
      const order = shuffle ? rng.permutation(rows) : Int32Array.from({ length: rows }, (_, i) => i);
      for (let b = 0; b < numBatches; b++) {
        const idx = tf.tensor1d(order.subarray(b * batchSize, Math.min(rows, (b + 1) * batchSize)), 'int32');
        const out = {} as { [K in keyof T]: tf.Tensor };
        for (const k of names) out[k] = tf.gather(tensors[k]!, idx);
        idx.dispose();
        yield out;
      }
    },
  };
}
