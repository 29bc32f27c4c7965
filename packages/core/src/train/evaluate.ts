import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../nn/module.js';
import { prepareArrays, type ArrayDataset, type Batch, type TensorPair } from './data.js';
import { resolveLoss, type LossFn, type LossName } from './loss.js';

/** A module with a forward pass from a batch of inputs to a batch of predictions. */
export type Trainable = Module & { forward(x: tf.Tensor): tf.Tensor };

/** Batches of an array dataset in `order` (a permutation of the rows) or in row order. */
export function* arrayBatches(data: TensorPair, batchSize: number, order: Int32Array | null): Generator<Batch> {
  for (let start = 0; start < data.n; start += batchSize) {
    const size = Math.min(batchSize, data.n - start);
    if (order) {
      const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
      const b = { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
      idx.dispose();
      yield b;
    } else {
      const sl = (t: tf.Tensor): tf.Tensor => tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
      yield { x: sl(data.x), y: sl(data.y) };
    }
  }
}

/**
 * Mean loss of `model` over a dataset in evaluation mode, computed in batches and weighted
 * by rows (exact for losses that are means over the batch, as the built-in ones).
 */
export async function evaluate(
  model: Trainable,
  data: ArrayDataset,
  opts: { loss?: LossName | LossFn; batchSize?: number } = {},
): Promise<number> {
  const prepared = await prepareArrays(data, 'evaluate');
  try {
    const was = model.training;
    const view = { forward: (x: tf.Tensor) => model.forward(x), setTraining: (mode: boolean) => void model.train(mode) };
    try {
      return await evaluatePrepared(view, prepared, resolveLoss(opts.loss), opts.batchSize ?? 256);
    } finally {
      model.train(was);
    }
  } finally {
    tf.dispose(prepared.owned);
  }
}

/** Row-weighted mean loss of `model` over prepared arrays, in evaluation mode (training mode after). */
export async function evaluatePrepared(
  model: { forward(x: tf.Tensor): tf.Tensor; setTraining(mode: boolean): void },
  data: TensorPair,
  lossFn: LossFn,
  batchSize: number,
): Promise<number> {
  model.setTraining(false);
  try {
    let sum = 0;
    for (const b of arrayBatches(data, batchSize, null)) {
      const rows = b.x.shape[0]!;
      const l = tf.tidy(() => lossFn(model.forward(b.x), b.y));
      tf.dispose([b.x, b.y]);
      sum += (await l.data())[0]! * rows;
      l.dispose();
    }
    return sum / data.n;
  } finally {
    model.setTraining(true);
  }
}
