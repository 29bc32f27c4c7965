import * as tf from '@tensorflow/tfjs-core';
import { AbortError, SchemaError, ShapeError, ValueError } from '../errors/index.js';
import { AdamW, type Optimizer } from '../optim/index.js';
import {
  CHECKPOINT_KIND,
  CHECKPOINT_SCHEMA_VERSION,
  type EarlyStoppingState,
  type FitHistory,
  type TrainingCheckpoint,
} from './checkpoint.js';
import { prepareArrays, splitTail, type ArrayDataset, type Batch, type BatchSource, type TensorPair } from './data.js';
import { arrayBatches, evaluatePrepared, type Trainable } from './evaluate.js';
import { resolveLoss, type LossFn, type LossName } from './loss.js';
import { mixSeed, stochasticLayers } from './stochastic.js';
import { ProgressBar, shouldDrawBar, type FitProgress } from './progress.js';
import { Rng, type RngState, type RngWords } from './rng.js';

/** Early stopping (Prechelt 1998): stop when the monitored loss stops improving. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** What to watch (default `'valLoss'` when there is a validation set, else `'loss'`). */
  monitor?: 'valLoss' | 'loss';
  /** An improvement must lower the monitored loss by more than this (default 0). */
  minDelta?: number;
  /** At the end of training, put back the weights of the best epoch (default true). */
  restoreBestWeights?: boolean;
}

/** When and how to save training checkpoints. */
export interface CheckpointOptions {
  /** Save after every N completed epochs. */
  everyEpochs?: number;
  /** Save after every N optimiser steps. */
  everySteps?: number;
  /**
   * Receives each checkpoint. Its tensors are disposed when the returned promise settles,
   * so encode them (e.g. with `saveCheckpoint`) or clone what you keep.
   */
  save: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Number of epochs (total, counting those of a resumed run). */
  epochs: number;
  /** Rows per batch (default 32); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Optimiser over the model's parameters (default AdamW, lr 1e-3, no weight decay). */
  optimizer?: Optimizer;
  /** Loss (default `'mse'`). */
  loss?: LossName | LossFn;
  /** Seed of the shuffling RNG and of stochastic layers' masks (default 0). */
  seed?: number;
  /** Shuffle the rows each epoch (default true; array datasets only). */
  shuffle?: boolean;
  /** Hold out the last fraction of the rows (before shuffling) as the validation set. */
  validationSplit?: number;
  /** A separate validation set. */
  validationData?: ArrayDataset;
  /** Stop early when the monitored loss stops improving. */
  earlyStopping?: EarlyStoppingOptions;
  /** Called after every step and every epoch; may be async (training waits for it). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Draw a progress bar on stdout (default: only on a TTY and when `CI` is not set). */
  progressBar?: boolean;
  /** Abort between steps; `fit` then rejects with an `AbortError`, the model holding the last completed step. */
  signal?: AbortSignal;
  /** Save checkpoints periodically. */
  checkpoint?: CheckpointOptions;
  /** Resume from a checkpoint (the tensors are read, not disposed). */
  resumeFrom?: TrainingCheckpoint;
}

/** What {@link fit} returns. */
export interface FitResult {
  history: FitHistory;
  /** Epochs completed (resumed ones included). */
  epochs: number;
  /** Optimiser steps completed. */
  globalStep: number;
  /** Whether early stopping ended the run. */
  stoppedEarly: boolean;
  /** 0-based epoch with the best monitored loss (with early stopping). */
  bestEpoch?: number;
}

function checkCount(v: number | undefined, what: string): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new ValueError(`${what} must be an integer ≥ 1, got ${v}`);
}

function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) {
    const r: unknown = signal.reason;
    const why = r instanceof Error ? r.message : typeof r === 'string' ? r : '';
    throw new AbortError(`training aborted ${where}${why ? `: ${why}` : ''}`);
  }
}

/**
 * Train `model` with mini-batch gradient descent: seeded shuffling, validation, early
 * stopping, progress reports and bar, abort, periodic checkpoints and exact resume.
 *
 * Data is `{ x, y }` (tensors or arrays; the first axis indexes samples) or a
 * {@link BatchSource}. Every step reads the loss back; a NaN/Inf loss throws a
 * {@link ValueError} before that step's update, so the weights stay finite. Stochastic layers
 * with a `reseed(seed)` method (Dropout) are reseeded each step from (seed, step, layer), so a
 * run resumed from a checkpoint reproduces an uninterrupted one exactly on the cpu backend.
 * Tensors created by `fit` are disposed; the live tensor count stays flat across epochs.
 */
export async function fit(model: Trainable, data: ArrayDataset | BatchSource, opts: FitOptions): Promise<FitResult> {
  checkCount(opts.epochs, 'epochs');
  checkCount(opts.batchSize, 'batchSize');
  checkCount(opts.checkpoint?.everyEpochs, 'checkpoint.everyEpochs');
  checkCount(opts.checkpoint?.everySteps, 'checkpoint.everySteps');
  if (opts.checkpoint && !opts.checkpoint.everyEpochs && !opts.checkpoint.everySteps) {
    throw new ValueError('checkpoint needs everyEpochs or everySteps');
  }
  const es = opts.earlyStopping;
  if (es) {
    checkCount(es.patience, 'earlyStopping.patience');
    if (es.minDelta !== undefined && !(es.minDelta >= 0)) throw new ValueError(`earlyStopping.minDelta must be ≥ 0, got ${es.minDelta}`);
  }
  const batchSize = opts.batchSize ?? 32;
  const seed = opts.seed ?? 0;
  const shuffle = opts.shuffle ?? true;
  const lossFn = resolveLoss(opts.loss);
  throwIfAborted(opts.signal, 'before it started');

  const owned: tf.Tensor[] = [];
  let optimizer = opts.optimizer;
  const ownOptimizer = !optimizer;
  let best: Record<string, tf.Tensor> | undefined;
  const wasTraining = model.training;
  try {
    let train: TensorPair | undefined;
    let val: TensorPair | undefined;
    let source: BatchSource | undefined;
    if (typeof data === 'function') {
      if (opts.validationSplit !== undefined) throw new ValueError('validationSplit needs an array dataset; pass validationData');
      source = data;
    } else {
      const all = await prepareArrays(data, 'data');
      owned.push(...all.owned);
      if (opts.validationSplit !== undefined) {
        const s = splitTail(all, opts.validationSplit);
        owned.push(s.train.x, s.train.y, s.val.x, s.val.y);
        train = s.train;
        val = s.val;
      } else train = all;
    }
    if (opts.validationData) {
      if (val) throw new ValueError('give validationSplit or validationData, not both');
      const v = await prepareArrays(opts.validationData, 'validationData');
      owned.push(...v.owned);
      if (train && v.x.shape.slice(1).join() !== train.x.shape.slice(1).join()) {
        throw new ShapeError(`validationData.x rows have shape [${v.x.shape.slice(1)}] but data.x rows have [${train.x.shape.slice(1)}]`);
      }
      val = v;
    }
    const monitor = es?.monitor ?? (val ? 'valLoss' : 'loss');
    if (es && monitor === 'valLoss' && !val) throw new ValueError("earlyStopping monitors 'valLoss' but there is no validation set");

    optimizer ??= new AdamW(model.trainableParameters(), { lr: 1e-3 });
    const opt = optimizer;
    const rng = new Rng(seed);
    let epoch = 0;
    let batchInEpoch = 0;
    let globalStep = 0;
    let epochRngState: RngState | RngWords = rng.state();
    let lossSum = 0;
    let samples = 0;
    const history: FitHistory = { loss: [], valLoss: [], lr: [] };
    const early: EarlyStoppingState = { best: Infinity, bestEpoch: -1, wait: 0 };
    const run = { seed, batchSize, shuffle, trainRows: train ? train.n : null };

    if (opts.resumeFrom) {
      const c = opts.resumeFrom;
      const m = c.meta;
      if (m.kind !== CHECKPOINT_KIND) throw new SchemaError(`not a training checkpoint: kind '${m.kind}'`);
      if (m.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) {
        throw new SchemaError(`training checkpoint schemaVersion ${m.schemaVersion}; this version reads ${CHECKPOINT_SCHEMA_VERSION}`);
      }
      for (const k of ['seed', 'batchSize', 'shuffle', 'trainRows'] as const) {
        if (m.run[k] !== run[k]) {
          throw new ValueError(`cannot resume exactly: the checkpoint has ${k} = ${m.run[k]} but this run has ${run[k]}`);
        }
      }
      if (m.epoch > opts.epochs) throw new ValueError(`checkpoint is at epoch ${m.epoch}, beyond epochs = ${opts.epochs}`);
      const pick = (prefix: string): Record<string, tf.Tensor> => {
        const out: Record<string, tf.Tensor> = {};
        for (const [k, t] of Object.entries(c.tensors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = t;
        return out;
      };
      model.loadStateDict(pick('model.'));
      opt.loadStateDict({ meta: m.optimizer, tensors: pick('optim.') });
      const b = pick('best.');
      if (Object.keys(b).length) best = Object.fromEntries(Object.entries(b).map(([k, t]) => [k, t.clone()]));
      epoch = m.epoch;
      batchInEpoch = m.batchInEpoch;
      globalStep = m.globalStep;
      epochRngState = structuredClone(m.epochRngState);
      lossSum = m.epochLossSum;
      samples = m.epochSamples;
      history.loss.push(...m.history.loss);
      history.valLoss.push(...m.history.valLoss);
      history.lr.push(...m.history.lr);
      Object.assign(early, m.earlyStopping);
    }

    const snapshot = (): TrainingCheckpoint => {
      const tensors: Record<string, tf.Tensor> = {};
      for (const [n, v] of model.namedParameters()) tensors[`model.${n}`] = v.clone();
      const os = opt.stateDict();
      for (const [n, t] of Object.entries(os.tensors)) tensors[`optim.${n}`] = t;
      if (best) for (const [n, t] of Object.entries(best)) tensors[`best.${n}`] = t.clone();
      return {
        meta: {
          kind: CHECKPOINT_KIND,
          schemaVersion: CHECKPOINT_SCHEMA_VERSION,
          epoch,
          batchInEpoch,
          globalStep,
          epochRngState: structuredClone(epochRngState),
          epochLossSum: lossSum,
          epochSamples: samples,
          history: { loss: [...history.loss], valLoss: [...history.valLoss], lr: [...history.lr] },
          earlyStopping: { ...early },
          optimizer: os.meta,
          run: { ...run },
        },
        tensors,
      };
    };
    const save = async (): Promise<void> => {
      const c = snapshot();
      try {
        await opts.checkpoint!.save(c);
      } finally {
        for (const t of Object.values(c.tensors)) t.dispose();
      }
    };

    const bar = (opts.progressBar ?? shouldDrawBar()) ? new ProgressBar() : undefined;
    const report = async (p: FitProgress): Promise<void> => {
      bar?.update(p);
      if (opts.onProgress) await opts.onProgress(p);
    };
    const layers = stochasticLayers(model);
    const batchesPerEpoch = train ? Math.ceil(train.n / batchSize) : undefined;
    let stoppedEarly = es !== undefined && early.wait >= es.patience;
    let lastLr = globalStep > 0 ? opt.lrAt(globalStep - 1) : opt.currentLr();
    model.train();

    while (epoch < opts.epochs && !stoppedEarly) {
      rng.setState(epochRngState);
      const batches: Iterable<Batch> | AsyncIterable<Batch> = train
        ? arrayBatches(train, batchSize, shuffle ? rng.permutation(train.n) : null)
        : source!({ epoch, rng });
      let b = 0;
      for await (const batch of batches) {
        if (b < batchInEpoch) {
          b++;
          tf.dispose([batch.x, batch.y]);
          continue;
        }
        let lossValue: number;
        let gradNorm: number | undefined;
        try {
          throwIfAborted(opts.signal, `at epoch ${epoch + 1}, batch ${b + 1}`);
          if (batch.x.shape[0] !== batch.y.shape[0]) {
            throw new ShapeError(`batch ${b + 1} of epoch ${epoch + 1}: x has ${batch.x.shape[0]} rows but y has ${batch.y.shape[0]}`);
          }
          layers.forEach((l, i) => l.reseed(mixSeed(seed, globalStep, i)));
          lastLr = opt.currentLr();
          const { loss, grads } = opt.valueAndGrads(() => lossFn(model.forward(batch.x), batch.y));
          try {
            lossValue = (await loss.data())[0]!;
            if (!Number.isFinite(lossValue)) {
              throw new ValueError(`loss is ${lossValue} at epoch ${epoch + 1}, batch ${b + 1} (step ${globalStep + 1}); the update was not applied`);
            }
            const norm = opt.applyGradients(grads);
            if (norm) {
              gradNorm = (await norm.data())[0]!;
              norm.dispose();
            }
          } finally {
            loss.dispose();
            tf.dispose(Object.values(grads));
          }
          lossSum += lossValue * batch.x.shape[0]!;
          samples += batch.x.shape[0]!;
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        b++;
        batchInEpoch = b;
        globalStep++;
        const p: FitProgress = {
          phase: 'step',
          epoch,
          epochs: opts.epochs,
          batch: b,
          batchesPerEpoch,
          globalStep,
          loss: lossValue,
          lr: lastLr,
        };
        if (gradNorm !== undefined) p.gradNorm = gradNorm;
        await report(p);
        if (opts.checkpoint?.everySteps && globalStep % opts.checkpoint.everySteps === 0) await save();
      }
      if (samples === 0) throw new ValueError(`epoch ${epoch + 1} produced no batches`);
      throwIfAborted(opts.signal, `at the end of epoch ${epoch + 1}`);

      const epochLoss = lossSum / samples;
      const valLoss = val ? await evaluatePrepared(model, val, lossFn, Math.max(batchSize, 256)) : undefined;
      history.loss.push(epochLoss);
      if (valLoss !== undefined) history.valLoss.push(valLoss);
      history.lr.push(lastLr);
      if (es) {
        const watched = monitor === 'valLoss' ? valLoss! : epochLoss;
        if (watched < early.best - (es.minDelta ?? 0)) {
          early.best = watched;
          early.bestEpoch = epoch;
          early.wait = 0;
          if (es.restoreBestWeights ?? true) {
            if (best) tf.dispose(Object.values(best));
            best = model.stateDict();
          }
        } else early.wait++;
        stoppedEarly = early.wait >= es.patience;
      }
      const done = b;
      epoch++;
      batchInEpoch = 0;
      lossSum = 0;
      samples = 0;
      epochRngState = rng.state();
      const p: FitProgress = {
        phase: 'epoch',
        epoch: epoch - 1,
        epochs: opts.epochs,
        batch: done,
        batchesPerEpoch,
        globalStep,
        loss: epochLoss,
        lr: lastLr,
      };
      if (valLoss !== undefined) p.valLoss = valLoss;
      await report(p);
      if (opts.checkpoint?.everyEpochs && epoch % opts.checkpoint.everyEpochs === 0) await save();
    }

    if (es && (es.restoreBestWeights ?? true) && best && early.bestEpoch !== epoch - 1) model.loadStateDict(best);
    const result: FitResult = { history, epochs: epoch, globalStep, stoppedEarly };
    if (es && early.bestEpoch >= 0) result.bestEpoch = early.bestEpoch;
    return result;
  } finally {
    model.train(wasTraining);
    tf.dispose(owned);
    if (best) tf.dispose(Object.values(best));
    if (ownOptimizer) optimizer?.dispose();
  }
}
