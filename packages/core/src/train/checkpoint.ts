import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerStateMeta } from '../optim/index.js';
import type { RngState, RngWords } from './rng.js';

/** `kind` of a training checkpoint. */
export const CHECKPOINT_KIND = 'astro.training-checkpoint';
/** Current schema version of {@link CheckpointMeta}. */
export const CHECKPOINT_SCHEMA_VERSION = 1;

/** Loss curves of a run, one entry per completed epoch. */
export interface FitHistory {
  /** Sample-weighted mean training loss of each epoch. */
  loss: number[];
  /** Validation loss after each epoch (empty without a validation set). */
  valLoss: number[];
  /** Learning rate (before group multipliers) of the last step of each epoch. */
  lr: number[];
}

/** Early-stopping bookkeeping. */
export interface EarlyStoppingState {
  /** Best monitored value so far (`Infinity` before the first epoch). */
  best: number;
  /** 0-based epoch of the best value (−1 before the first epoch). */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/**
 * JSON-serialisable part of a training checkpoint: where the run is (epoch, batch, global
 * step), the shuffling RNG at the start of the current epoch, the partial epoch loss, the
 * history, early-stopping state and the optimiser's step counts.
 */
export interface CheckpointMeta {
  kind: typeof CHECKPOINT_KIND;
  schemaVersion: number;
  /** 0-based index of the epoch in progress (or next to start). */
  epoch: number;
  /** Batches of `epoch` already done (0 at an epoch boundary). */
  batchInEpoch: number;
  /** Optimiser steps completed. */
  globalStep: number;
  /**
   * Shuffling RNG state at the start of `epoch` (before its permutation is drawn): a full
   * {@link RngState}, or four words in checkpoints written before the one `Rng`.
   */
  epochRngState: RngState | RngWords;
  /** Σ (batch loss × batch rows) and Σ rows over the done batches of `epoch`. */
  epochLossSum: number;
  epochSamples: number;
  history: FitHistory;
  earlyStopping: EarlyStoppingState;
  optimizer: OptimizerStateMeta;
  /** Settings a resumed run must share to reproduce the original exactly. */
  run: { seed: number; batchSize: number; shuffle: boolean; trainRows: number | null };
}

/**
 * Everything needed to resume training exactly: {@link CheckpointMeta} plus tensors named
 * `model.<param>` (weights), `optim.<slot>.<param>` (optimiser moments) and `best.<param>`
 * (best weights so far, with early stopping). Tensors are owned by whoever holds the object.
 */
export interface TrainingCheckpoint {
  meta: CheckpointMeta;
  tensors: Record<string, tf.Tensor>;
}

/** Free a checkpoint's tensors. */
export function disposeCheckpoint(c: TrainingCheckpoint): void {
  for (const t of Object.values(c.tensors)) t.dispose();
}
