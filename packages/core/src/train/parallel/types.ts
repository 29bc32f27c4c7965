import type * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../backend/types.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { AstroError } from '../../errors/index.js';

/** A tensor as plain host data (what crosses between threads). Rows are along axis 0. */
export interface HostTensor {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** One batch: named fields (e.g. `{ x, y }`), each a tensor or host data with the same number of rows. */
export type ParallelBatch = Record<string, tf.Tensor | HostTensor>;

/** Where the workers find the code that builds the model, its loss and its optimizer. */
export interface ParallelModelSpec {
  /** Module path or URL (absolute, or relative to the current working directory) each worker imports. */
  module: string | URL;
  /** Export of that module that is a {@link ParallelBuilder}; default `'default'`. */
  exportName?: string;
  /** Structured-cloneable options handed to the builder in every worker. */
  options?: unknown;
}

/** What the loss of one shard sees besides its rows. */
export interface ParallelStepContext {
  /** Optimizer steps completed before this one. */
  step: number;
  /** This worker's index and the number of workers. */
  worker: number;
  workers: number;
  /** Rows of this shard, rows of the whole batch, and the shard's first row in the batch. */
  rows: number;
  totalRows: number;
  offset: number;
}

/** What a builder returns in each worker: the trainable parameters, a per-shard mean loss and the optimizer over those parameters. */
export interface ParallelSetup {
  /** Mean loss over the rows of `batch` (the trainer weights each shard by its share of rows). */
  loss: (batch: Record<string, tf.Tensor>, ctx: ParallelStepContext) => tf.Scalar;
  /** The optimizer; its parameters (in order) are what the workers keep in sync. */
  optimizer: Optimizer;
  /** Called when the worker shuts down. */
  dispose?: () => void;
}

/**
 * The exported function that builds a replica in a worker. It runs after the worker's backend is
 * ready; every replica must create the same parameters (names and shapes). Worker 0's initial
 * weights are copied to the others, so the replicas start identical even with an unseeded init.
 */
export type ParallelBuilder = (options: unknown, ctx: { worker: number; workers: number }) => ParallelSetup | Promise<ParallelSetup>;

/** Options of {@link DataParallelTrainer.create}. */
export interface DataParallelOptions {
  /** Number of worker threads; default `os.availableParallelism()`. */
  workers?: number;
  /** Backend of every worker (strict); default `'wasm'`. */
  backend?: BackendName;
  /** Aborting terminates the workers; pending and later calls reject with an `AbortError`. */
  signal?: AbortSignal;
  /** Extra Node flags for the workers (appended to the parent's `execArgv`). */
  execArgv?: string[];
}

/** Result of one data-parallel step. */
export interface ParallelStepResult {
  /** Mean loss over the whole batch (row-weighted mean of the shard losses). */
  loss: number;
  /** Rows in the batch. */
  rows: number;
  /** Global gradient norm before clipping, when the optimizer clips. */
  gradNorm?: number;
}

/** A worker failed: its builder or a step threw, it crashed, or it exited. */
export class ParallelWorkerError extends AstroError {
  /** Index of the worker that failed. */
  readonly worker: number;
  /** Name of the error thrown inside the worker (e.g. `'ShapeError'`), when known. */
  readonly remoteName: string | undefined;
  constructor(worker: number, message: string, remoteName?: string, options?: { cause?: unknown }) {
    super('PARALLEL_WORKER', `worker ${worker}: ${message}`, options);
    this.worker = worker;
    this.remoteName = remoteName;
  }
}
