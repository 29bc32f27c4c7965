/**
 * Seeded, resumable mini-batches over an Arrow table or flat arrays. Each epoch's order is a
 * Fisher–Yates permutation drawn from `new Rng(seed).fork('epoch/<e>')`, so the order
 * of any epoch is reproducible on its own, and {@link BatchLoader.state} (plain JSON) lets a
 * restarted training run continue at exactly the next batch.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { Table } from 'apache-arrow';
import { ValueError } from '../errors/index.js';
import { arraysToTensors, rowCount, tableToArrays, type ColumnArrays, type NumericArray } from './arrow.js';
import { Rng } from './random.js';

/** Options for {@link batches}. */
export interface BatchOptions {
  /** Rows per batch (a positive integer). */
  batchSize: number;
  /** Shuffle rows each epoch (default `true`). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** Drop the last, smaller batch of each epoch (default `false`). */
  dropLast?: boolean;
  /** Columns to take from a table (default: every numeric or vector column). */
  columns?: readonly string[];
  /** Continue from a saved {@link BatchState}. */
  resume?: BatchState;
}

/** Where a loader is: JSON-serialisable, for checkpoints. */
export interface BatchState {
  seed: number;
  shuffle: boolean;
  /** Epoch being iterated (0-based). */
  epoch: number;
  /** Batches of this epoch already handed out. */
  batch: number;
  /** Rows in the data, to refuse resuming on different data. */
  rows: number;
  batchSize: number;
  dropLast: boolean;
}

/**
 * One mini-batch of table rows: its source row indices and columns (not `@astro/core/train`'s
 * `Batch`, the `{ x, y }` tensors a training step receives).
 */
export interface ColumnBatch {
  epoch: number;
  /** Index of this batch within its epoch. */
  index: number;
  /** Source row of each batch row. */
  rows: Uint32Array;
  /** The batch's columns, shape `[batchRows, …item]`. */
  columns: ColumnArrays;
}

/** An iterable of mini-batches; each `for…of` runs the rest of the current epoch, then moves to the next. */
export interface BatchLoader extends Iterable<ColumnBatch> {
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Rows in the data. */
  readonly rows: number;
  /** The current position, to save and pass back as `resume`. */
  state(): BatchState;
  /** The row order of epoch `e` (a permutation of 0…rows−1, or the identity without shuffling). */
  order(epoch: number): Uint32Array;
}

/**
 * Mini-batches over an Arrow table (numeric and `FixedSizeList` columns) or {@link ColumnArrays}.
 *
 * ```ts
 * const loader = batches(table, { batchSize: 64, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) for (const b of loader) train(b.columns);
 * const saved = loader.state(); // later: batches(table, { batchSize: 64, seed: 1, resume: saved })
 * ```
 * Throws {@link ValueError} for a bad batch size or a `resume` state that does not match the data.
 */
export function batches(source: Table | ColumnArrays, opts: BatchOptions): BatchLoader {
  const columns = source instanceof Table ? tableToArrays(source, opts.columns ? { columns: opts.columns } : {}) : source;
  const rows = rowCount(columns);
  const { batchSize } = opts;
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) throw new ValueError(`batchSize must be a positive integer, got ${batchSize}`);
  const seed = opts.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValueError(`seed must be a safe integer, got ${seed}`);
  const shuffle = opts.shuffle ?? true;
  const dropLast = opts.dropLast ?? false;
  const per = dropLast ? Math.floor(rows / batchSize) : Math.ceil(rows / batchSize);
  let epoch = 0;
  let batch = 0;
  if (opts.resume) {
    const r = opts.resume;
    const mismatch = (['seed', 'shuffle', 'rows', 'batchSize', 'dropLast'] as const).find(
      (k) => r[k] !== { seed, shuffle, rows, batchSize, dropLast }[k],
    );
    if (mismatch) throw new ValueError(`cannot resume: saved ${mismatch} ${String(r[mismatch])} differs from this loader's`);
    if (!Number.isSafeInteger(r.epoch) || r.epoch < 0 || !Number.isSafeInteger(r.batch) || r.batch < 0 || r.batch > per) {
      throw new ValueError(`cannot resume: bad position epoch ${r.epoch}, batch ${r.batch}`);
    }
    epoch = r.epoch;
    batch = r.batch;
  }
  const root = new Rng(seed);
  const order = (e: number): Uint32Array => {
    const idx = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) idx[i] = i;
    return shuffle ? root.fork(`epoch/${e}`).shuffle(idx) : idx;
  };
  const names = Object.keys(columns);
  const take = (idx: Uint32Array): ColumnArrays => {
    const out: ColumnArrays = {};
    for (const name of names) {
      const c = columns[name]!;
      const item = c.shape.slice(1);
      const per = item.reduce((a, b) => a * b, 1);
      const data = new (c.data.constructor as new (n: number) => NumericArray)(idx.length * per);
      for (let r = 0; r < idx.length; r++) {
        const from = idx[r]! * per;
        if (per === 1) data[r] = c.data[from]!;
        else (data as Float32Array).set((c.data as Float32Array).subarray(from, from + per), r * per);
      }
      Object.defineProperty(out, name, { value: { shape: [idx.length, ...item], data }, enumerable: true });
    }
    return out;
  };
  return {
    batchesPerEpoch: per,
    rows,
    state: () => ({ seed, shuffle, epoch, batch, rows, batchSize, dropLast }),
    order,
    *[Symbol.iterator](): Iterator<ColumnBatch> {
      if (batch >= per) {
        epoch++;
        batch = 0;
      }
      const perm = order(epoch);
      while (batch < per) {
        const idx = perm.subarray(batch * batchSize, Math.min(rows, (batch + 1) * batchSize));
        const b: ColumnBatch = { epoch, index: batch, rows: idx.slice(), columns: take(idx) };
        batch++;
        yield b;
      }
    },
  };
}

/** The batch's columns as tfjs tensors (float → float32, integer → int32); the caller disposes them. */
export function batchTensors(batch: ColumnBatch): Record<string, tf.Tensor> {
  return arraysToTensors(batch.columns);
}
