import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';
import type { Rng } from './rng.js';

/** Array-like input: a tensor, nested number arrays (rows first), or flat values with a shape. */
export type TensorData =
  tf.Tensor | number[] | number[][] | number[][][] | { data: Float32Array | readonly number[]; shape: readonly number[] };

/** Inputs `x` and targets `y` with the same number of rows (the first axis indexes samples). */
export interface ArrayDataset {
  x: TensorData;
  y: TensorData;
}

/** One mini-batch. In a {@link BatchSource}, the training loop disposes the batch after use. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/**
 * A custom batch iterator: called once per epoch, it yields that epoch's batches. For a
 * resumable run it must be deterministic given `epoch` and the draws it takes from `rng`
 * (a resumed run replays the epoch and skips the batches already done).
 * @deprecated Pass a `BatchStream` (`{ numBatches?, batches(epoch, rng) }`), which takes any batch type.
 */
export type BatchSource = (ctx: { epoch: number; rng: Rng }) => Iterable<Batch> | AsyncIterable<Batch>;

/** Tensors of an array dataset, owned by the training loop. */
export interface TensorPair {
  x: tf.Tensor;
  y: tf.Tensor;
  /** Number of samples (rows). */
  n: number;
}

/** Shape of a nested number array; throws a {@link ShapeError} naming the first ragged row. */
function nestedShape(a: unknown, what: string): number[] {
  if (!Array.isArray(a)) return [];
  const shape = [a.length];
  if (a.length === 0) return shape;
  const inner = nestedShape(a[0], `${what}[0]`);
  for (let i = 0; i < a.length; i++) {
    const si = i === 0 ? inner : nestedShape(a[i], `${what}[${i}]`);
    if (si.length !== inner.length || si.some((d, k) => d !== inner[k])) {
      throw new ShapeError(`${what}[${i}] has shape [${si}] but ${what}[0] has [${inner}] (ragged array)`);
    }
    if (si.length === 0 && typeof a[i] !== 'number') throw new ValueError(`${what}[${i}] is ${typeof a[i]}, not a number`);
  }
  return [...shape, ...inner];
}

function toTensor(d: TensorData, what: string): { t: tf.Tensor; owned: boolean } {
  if (d instanceof tf.Tensor) {
    if (d.isDisposed) throw new ValueError(`${what} is a disposed tensor`);
    return { t: d, owned: false };
  }
  try {
    if (Array.isArray(d)) {
      const shape = nestedShape(d, what);
      return { t: tf.tensor((d as number[]).flat(Infinity as 1) as number[], shape, 'float32'), owned: true };
    }
    const { data, shape } = d as { data: Float32Array | readonly number[]; shape: readonly number[] };
    return { t: tf.tensor(data as Float32Array, [...shape], 'float32'), owned: true };
  } catch (e) {
    if (e instanceof ShapeError || e instanceof ValueError) throw e;
    throw new ShapeError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Convert and check a dataset: both parts rank ≥ 1 with equal row counts (else
 * {@link ShapeError}), at least one row, and only finite values (else {@link ValueError}).
 * Tensors given by the caller are used as they are (not copied, not disposed later).
 */
export async function prepareArrays(ds: ArrayDataset, what: string): Promise<TensorPair & { owned: tf.Tensor[] }> {
  const x = toTensor(ds.x, `${what}.x`);
  let y: { t: tf.Tensor; owned: boolean };
  try {
    y = toTensor(ds.y, `${what}.y`);
  } catch (e) {
    if (x.owned) x.t.dispose();
    throw e;
  }
  const owned = [x, y].filter((p) => p.owned).map((p) => p.t);
  try {
    if (x.t.rank < 1 || y.t.rank < 1) throw new ShapeError(`${what}: x and y need a sample axis (rank ≥ 1)`);
    const n = x.t.shape[0]!;
    if (y.t.shape[0] !== n) {
      throw new ShapeError(`${what}: x has ${n} rows but y has ${y.t.shape[0]} (shapes [${x.t.shape}] and [${y.t.shape}])`);
    }
    if (n < 1) throw new ShapeError(`${what}: the dataset is empty`);
    for (const [t, name] of [
      [x.t, 'x'],
      [y.t, 'y'],
    ] as const) {
      if (t.dtype !== 'float32') continue;
      // read back asynchronously: synchronous reads are unavailable on webgpu in Node
      const flag = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(t))));
      const bad = (await flag.data())[0];
      flag.dispose();
      if (bad) {
        const v = await t.data();
        const i = v.findIndex((a) => !Number.isFinite(a));
        throw new ValueError(`${what}.${name} contains ${v[i]} at flat index ${i}`);
      }
    }
    return { x: x.t, y: y.t, n, owned };
  } catch (e) {
    tf.dispose(owned);
    throw e;
  }
}

/**
 * Split off the last `fraction` of the rows as a validation set (before any shuffling, as
 * Keras' `validationSplit`). Returns slices (new tensors owned by the caller).
 */
export function splitTail(data: TensorPair, fraction: number): { train: TensorPair; val: TensorPair } {
  if (!(fraction > 0 && fraction < 1)) throw new ValueError(`validationSplit must lie in (0, 1), got ${fraction}`);
  const nVal = Math.floor(data.n * fraction);
  const nTrain = data.n - nVal;
  if (nVal < 1 || nTrain < 1) {
    throw new ValueError(`validationSplit ${fraction} of ${data.n} rows leaves ${nTrain} training and ${nVal} validation rows`);
  }
  const slice = (t: tf.Tensor, start: number, size: number): tf.Tensor =>
    tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
  return {
    train: { x: slice(data.x, 0, nTrain), y: slice(data.y, 0, nTrain), n: nTrain },
    val: { x: slice(data.x, nTrain, nVal), y: slice(data.y, nTrain, nVal), n: nVal },
  };
}
