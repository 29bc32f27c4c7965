import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Module } from './module.js';
import { type Initializer, initTensor, normal, rngFor } from './init.js';
import { expectPositiveInt } from './shape.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Seed of the initialisation. */
  seed?: number;
  /** Initialiser of the table (default N(0, 1), as PyTorch). */
  init?: Initializer;
  /**
   * Check that tensor ids lie in [0, numEmbeddings) (default true; reads the ids on the host).
   * Ids given as JavaScript arrays are always checked. On webgpu, ids that exist only on the
   * GPU (computed there) cannot be read synchronously and are not checked.
   */
  checkIds?: boolean;
}

/**
 * Lookup table, as `torch.nn.Embedding`: weight [numEmbeddings, dim] (muP role `'input'`);
 * integer ids of any shape S → [...S, dim].
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly dim: number;
  readonly weight: tf.Variable;
  private readonly checkIds: boolean;

  constructor(numEmbeddings: number, dim: number, opts: EmbeddingOptions = {}) {
    super();
    expectPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    expectPositiveInt('Embedding', 'dim', dim);
    this.numEmbeddings = numEmbeddings;
    this.dim = dim;
    this.checkIds = opts.checkIds ?? true;
    this.weight = this.param('weight', initTensor(opts.init ?? normal(), [numEmbeddings, dim], rngFor(opts.seed)), 'input');
  }

  /** ids: int32 tensor or integer array of shape S → [...S, dim]. */
  forward(ids: tf.Tensor | readonly number[] | Int32Array): tf.Tensor {
    const name = `Embedding(${this.numEmbeddings}, ${this.dim})`;
    if (!(ids instanceof tf.Tensor)) {
      for (let i = 0; i < ids.length; i++) this.assertId(name, ids[i]!, i);
      return tf.tidy(() => lookup(this.weight, tf.tensor1d(Array.from(ids), 'int32')));
    }
    if (ids.dtype !== 'int32') throw new ValueError(`${name}: ids must be an int32 tensor, got ${ids.dtype}`);
    if (this.checkIds && ids.size > 0) {
      let values: ArrayLike<number> | undefined;
      try {
        values = ids.dataSync() as Int32Array;
      } catch {
        values = undefined; // webgpu ids computed on the GPU cannot be read synchronously
      }
      if (values) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (lo < 0 || hi >= this.numEmbeddings) {
          throw new ValueError(`${name}: ids must lie in [0, ${this.numEmbeddings}), got range [${lo}, ${hi}]`);
        }
      }
    }
    return tf.tidy(() => {
      const flat = lookup(this.weight, tf.reshape(ids, [-1]) as tf.Tensor1D);
      return tf.reshape(flat, [...ids.shape, this.dim]);
    });
  }

  private assertId(name: string, id: number, i: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.numEmbeddings) {
      throw new ValueError(`${name}: id ${id} at position ${i} is not an integer in [0, ${this.numEmbeddings})`);
    }
  }
}

/**
 * Rows `ids` of `table`. The gradient w.r.t. the table is a scatter-add (UnsortedSegmentSum),
 * which the wasm backend lacks; there it is computed as oneHot(ids)ᵀ·dy, one matMul. (The
 * one-hot is made int32 and cast: tfjs 4.22's wasm OneHot ignores a float32 dtype.)
 */
function lookup(table: tf.Variable, ids: tf.Tensor1D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.gather(table, ids) as tf.Tensor2D;
  const V = table.shape[0]!;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const w = args[0] as tf.Tensor2D;
    return {
      value: tf.gather(w, ids) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D) => [tf.matMul(tf.cast(tf.oneHot(ids, V), 'float32'), dy, true, false)],
    };
  });
  return f(table) as tf.Tensor2D;
}
