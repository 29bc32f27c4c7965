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
import { assignNamed, defaultBatchRows, makeTrainee, snapshotNamed, tensorsIn, type FitModel, type NamedVariables } from './trainee.js';
import { resolveLoss, type LossFn, type LossName } from './loss.js';
import { stochasticSeed } from './stochastic.js';
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

/**
 * Everything a {@link StepFn} may need besides the batch. `rng` is a fresh stream per step,
 * `new Rng(seed).fork('step/<step>')`, so a run resumed from a checkpoint draws the same
 * numbers (masks, augmentations, negatives) as an uninterrupted one.
 */
export interface StepContext {
  /** This step's generator (path `<seed>/step/<step>`; `<seed>/val/<epoch>/<batch>` in `valStep`). */
  rng: Rng;
  /** 0-based epoch. */
  epoch: number;
  /** 0-based global index of this optimiser step (for `valStep`: of the last one done). */
  step: number;
  /** 0-based index of the batch within the epoch. */
  batch: number;
  /** `true` inside `step`, `false` inside `valStep`. */
  training: boolean;
}

/**
 * A training objective: the scalar loss of one batch. `fit` calls it inside the optimiser's
 * gradient tape (do not read values back or dispose the result inside it); intermediate
 * tensors are freed by the tape.
 */
export type StepFn<B> = (batch: B, ctx: StepContext) => tf.Scalar;

/**
 * A batch source for any batch type `B` (e.g. `{ spectra, photometry }` pairs for a
 * contrastive loss). `batches(epoch, rng)` is called once per epoch; the loop disposes every
 * tensor of a batch after its step (tensors in the batch, in its arrays or plain objects),
 * unless `disposeBatches: false`. For an exactly resumable run it must be deterministic given
 * `epoch` and the draws it takes from `rng` (a resumed run replays the epoch and skips the
 * batches already done). `numBatches` (per epoch), when known, is shown in progress reports.
 */
export interface BatchStream<B> {
  numBatches?: number;
  batches(epoch: number, rng: Rng): Iterable<B> | AsyncIterable<B>;
}

/** Options of {@link fit}. `B` is the batch type (`{ x, y }` tensors for array datasets). */
export interface FitOptions<B = Batch> {
  /** Number of epochs (total, counting those of a resumed run); an integer ≥ 1. */
  epochs: number;
  /** Rows per batch (default 32; array datasets); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Optimiser (default AdamW, lr 1e-3, no weight decay, over `params` or the model's trainable parameters). */
  optimizer?: Optimizer;
  /**
   * The objective: the loss of one batch. Without it the loss is `loss(model.forward(x), y)`
   * on `{ x, y }` batches.
   */
  step?: StepFn<B>;
  /** Loss for the default objective (default `'mse'`); ignored when `step` is given. */
  loss?: LossName | LossFn;
  /**
   * The variables to train, when they are not exactly the model's trainable parameters (a
   * subset, or variables outside any module). They are saved in checkpoints alongside the
   * model's parameters under their names.
   */
  params?: NamedVariables;
  /** Seed of the shuffling RNG, of each step's `ctx.rng` and of stochastic layers' masks (default 0). */
  seed?: number;
  /** Shuffle the rows each epoch (default true; array datasets only). */
  shuffle?: boolean;
  /** Hold out the last fraction of the rows (before shuffling) as the validation set (array datasets). */
  validationSplit?: number;
  /** A separate validation set: arrays (scored with `valStep`, or the default loss), or a batch stream (needs `valStep`). */
  validationData?: ArrayDataset | BatchStream<B>;
  /** Validation loss of one batch, averaged over the validation batches (row-weighted), in evaluation mode. */
  valStep?: StepFn<B>;
  /**
   * Compute the validation loss yourself after each epoch (models in evaluation mode). Use
   * instead of `validationData`.
   */
  validate?: (ctx: { epoch: number; step: number }) => number | Promise<number>;
  /** Rows of a batch, for the row-weighted epoch loss (default: `x.shape[0]`, or the first axis of the first tensor). */
  batchRows?: (batch: B) => number;
  /** Dispose the tensors of each source batch after its step (default true). */
  disposeBatches?: boolean;
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
 * Train with mini-batch gradient descent: seeded shuffling, validation, early stopping,
 * progress reports and bar, abort, periodic checkpoints and exact resume.
 *
 * - `model`: one module, a record of named modules, or `null` with `params`.
 * - `data`: `{ x, y }` (tensors or arrays; the first axis indexes samples), a
 *   {@link BatchStream} (`{ numBatches?, batches(epoch, rng) }`, any batch type) or a
 *   {@link BatchSource} function.
 * - `opts.step(batch, ctx)` returns the loss of a batch (contrastive, masked, ...); without
 *   it the loss is `opts.loss(model.forward(x), y)`.
 *
 * Every step reads the loss back; a NaN/Inf loss throws a {@link ValueError} before that
 * step's update, so the weights stay finite. Stochastic layers with a `reseed(seed)` method
 * (Dropout) are reseeded each step from (seed, step, layer) and `ctx.rng` is forked from
 * (seed, step), so a run resumed from a checkpoint reproduces an uninterrupted one exactly on
 * the cpu backend. Tensors created by `fit` (and the source's batches) are disposed; the live
 * tensor count stays flat across epochs. An aborted `signal` rejects with an {@link AbortError}.
 */
export async function fit(
  model: Trainable,
  data: ArrayDataset | BatchSource | BatchStream<Batch>,
  opts: FitOptions<Batch>,
): Promise<FitResult>;
export async function fit(model: FitModel, data: ArrayDataset, opts: FitOptions<Batch> & { step: StepFn<Batch> }): Promise<FitResult>;
export async function fit<B>(
  model: FitModel,
  data: BatchStream<B> | BatchSource,
  opts: FitOptions<B> & { step: StepFn<B> },
): Promise<FitResult>;
export async function fit<B>(model: FitModel, data: ArrayDataset | BatchSource | BatchStream<B>, opts: FitOptions<B>): Promise<FitResult> {
  if (opts === null || typeof opts !== 'object') throw new ValueError('fit needs an options object with epochs');
  if (opts.epochs === undefined) throw new ValueError('epochs is required (an integer ≥ 1)');
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
  if (opts.step !== undefined && typeof opts.step !== 'function') throw new ValueError('step must be a function (batch, ctx) => loss');
  const batchSize = opts.batchSize ?? 32;
  const seed = opts.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValueError(`seed must be a safe integer, got ${seed}`);
  const shuffle = opts.shuffle ?? true;
  const lossFn = resolveLoss(opts.loss);
  const trainee = makeTrainee(model, opts.params);
  const fwd = trainee.forward;
  const defaultStep = (b: Batch): tf.Scalar => {
    if (!fwd) throw new ValueError('fit needs opts.step, or a single model with a forward(x) method');
    return lossFn(fwd(b.x), b.y);
  };
  if (!opts.step && !fwd) throw new ValueError('fit needs opts.step, or a single model with a forward(x) method');
  const step = opts.step ?? (defaultStep as unknown as StepFn<B>);
  const rowsOf = opts.batchRows ?? (defaultBatchRows as (b: B) => number);
  throwIfAborted(opts.signal, 'before it started');

  const owned: tf.Tensor[] = [];
  let optimizer = opts.optimizer;
  const ownOptimizer = !optimizer;
  let best: Record<string, tf.Tensor> | undefined;
  try {
    let train: TensorPair | undefined;
    let val: TensorPair | undefined;
    let valStream: BatchStream<B> | undefined;
    let source: ((epoch: number, rng: Rng) => Iterable<B> | AsyncIterable<B>) | undefined;
    let numBatches: number | undefined;
    if (typeof data === 'function') {
      if (opts.validationSplit !== undefined) throw new ValueError('validationSplit needs an array dataset; pass validationData');
      const fn = data as BatchSource;
      source = (epoch, rng) => fn({ epoch, rng }) as Iterable<B> | AsyncIterable<B>;
    } else if (isStream<B>(data)) {
      if (opts.validationSplit !== undefined) throw new ValueError('validationSplit needs an array dataset; pass validationData');
      if (data.numBatches !== undefined) checkCount(data.numBatches, 'data.numBatches');
      source = (epoch, rng) => data.batches(epoch, rng);
      numBatches = data.numBatches;
    } else {
      if (data === null || typeof data !== 'object' || !('x' in data) || !('y' in data)) {
        throw new ValueError('data must be { x, y }, a batch stream { batches(epoch, rng) } or a batch-source function');
      }
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
      if (isStream<B>(opts.validationData)) {
        if (!opts.valStep) throw new ValueError('validationData as a batch stream needs valStep');
        valStream = opts.validationData;
      } else {
        const v = await prepareArrays(opts.validationData, 'validationData');
        owned.push(...v.owned);
        if (train && v.x.shape.slice(1).join() !== train.x.shape.slice(1).join()) {
          throw new ShapeError(`validationData.x rows have shape [${v.x.shape.slice(1)}] but data.x rows have [${train.x.shape.slice(1)}]`);
        }
        val = v;
      }
    }
    if (opts.validate !== undefined) {
      if (typeof opts.validate !== 'function') throw new ValueError('validate must be a function ({ epoch, step }) => loss');
      if (val || valStream) throw new ValueError('give validate or a validation set (validationData/validationSplit), not both');
    }
    if (opts.valStep !== undefined && typeof opts.valStep !== 'function')
      throw new ValueError('valStep must be a function (batch, ctx) => loss');
    if (val && !opts.valStep && !fwd) throw new ValueError('validation on arrays needs valStep, or a single model with forward(x)');
    const hasVal = Boolean(val || valStream || opts.validate);
    const monitor = es?.monitor ?? (hasVal ? 'valLoss' : 'loss');
    if (es && monitor === 'valLoss' && !hasVal) throw new ValueError("earlyStopping monitors 'valLoss' but there is no validation set");

    optimizer ??= new AdamW(trainee.trainable, { lr: 1e-3 });
    const opt = optimizer;
    const rng = new Rng(seed);
    const stepRoot = rng.fork('step');
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
      assignNamed(trainee.named, pick('model.'), 'resumeFrom');
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
      for (const [n, v] of trainee.named) tensors[`model.${n}`] = v.clone();
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
    const disposeBatch = (b: unknown, fromSource: boolean): void => {
      if (!fromSource || opts.disposeBatches !== false) tf.dispose(tensorsIn(b));
    };
    const validateEpoch = async (): Promise<number | undefined> => {
      if (opts.validate) {
        trainee.setTraining(false);
        try {
          const v = await opts.validate({ epoch, step: globalStep });
          if (typeof v !== 'number') throw new ValueError(`validate returned ${typeof v}, not a number`);
          return v;
        } finally {
          trainee.setTraining(true);
        }
      }
      if (!val && !valStream) return undefined;
      if (val && !opts.valStep) {
        return evaluatePrepared({ forward: fwd!, setTraining: trainee.setTraining }, val, lossFn, Math.max(batchSize, 256));
      }
      const vs = opts.valStep!;
      const vrng = rng.fork(`val/${epoch}`);
      const batches: Iterable<B> | AsyncIterable<B> = val
        ? (arrayBatches(val, Math.max(batchSize, 256), null) as Iterable<unknown> as Iterable<B>)
        : valStream!.batches(epoch, vrng);
      trainee.setTraining(false);
      try {
        let sum = 0;
        let rows = 0;
        let k = 0;
        for await (const b of batches) {
          try {
            const r = rowsOf(b);
            const ctx: StepContext = { rng: vrng.fork(String(k)), epoch, step: Math.max(0, globalStep - 1), batch: k, training: false };
            const l = tf.tidy(() => vs(b, ctx));
            sum += (await l.data())[0]! * r;
            l.dispose();
            rows += r;
          } finally {
            disposeBatch(b, !val);
          }
          k++;
        }
        if (rows === 0) throw new ValueError('the validation set produced no batches');
        return sum / rows;
      } finally {
        trainee.setTraining(true);
      }
    };
    const layers = trainee.stochastic;
    const batchesPerEpoch = train ? Math.ceil(train.n / batchSize) : numBatches;
    let stoppedEarly = es !== undefined && early.wait >= es.patience;
    let lastLr = globalStep > 0 ? opt.lrAt(globalStep - 1) : opt.currentLr();
    trainee.setTraining(true);

    while (epoch < opts.epochs && !stoppedEarly) {
      rng.setState(epochRngState);
      const batches: Iterable<B> | AsyncIterable<B> = train
        ? (arrayBatches(train, batchSize, shuffle ? rng.permutation(train.n) : null) as Iterable<unknown> as Iterable<B>)
        : source!(epoch, rng);
      let b = 0;
      for await (const batch of batches) {
        const fromSource = !train;
        if (b < batchInEpoch) {
          b++;
          disposeBatch(batch, fromSource);
          continue;
        }
        let lossValue: number;
        let gradNorm: number | undefined;
        let rows: number;
        try {
          throwIfAborted(opts.signal, `at epoch ${epoch + 1}, batch ${b + 1}`);
          const bx = (batch as { x?: unknown }).x;
          const by = (batch as { y?: unknown }).y;
          if (bx instanceof tf.Tensor && by instanceof tf.Tensor && bx.shape[0] !== by.shape[0]) {
            throw new ShapeError(`batch ${b + 1} of epoch ${epoch + 1}: x has ${bx.shape[0]} rows but y has ${by.shape[0]}`);
          }
          rows = rowsOf(batch);
          if (!(rows > 0) || !Number.isFinite(rows))
            throw new ValueError(`batchRows gave ${rows} for batch ${b + 1} of epoch ${epoch + 1}`);
          layers.forEach((l, i) => l.reseed(stochasticSeed(seed, globalStep, i)));
          lastLr = opt.currentLr();
          const ctx: StepContext = { rng: stepRoot.fork(String(globalStep)), epoch, step: globalStep, batch: b, training: true };
          const { loss, grads } = opt.valueAndGrads(() => {
            const l = step(batch, ctx);
            if (!(l instanceof tf.Tensor) || l.size !== 1) {
              throw new ValueError(
                `step must return a scalar loss tensor, got ${l instanceof tf.Tensor ? `shape [${l.shape}]` : typeof l}`,
              );
            }
            return l;
          });
          try {
            lossValue = (await loss.data())[0]!;
            if (!Number.isFinite(lossValue)) {
              throw new ValueError(
                `loss is ${lossValue} at epoch ${epoch + 1}, batch ${b + 1} (step ${globalStep + 1}); the update was not applied`,
              );
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
          lossSum += lossValue * rows;
          samples += rows;
        } finally {
          disposeBatch(batch, fromSource);
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
      const valLoss = await validateEpoch();
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
            best = snapshotNamed(trainee.named);
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

    if (es && (es.restoreBestWeights ?? true) && best && early.bestEpoch !== epoch - 1) assignNamed(trainee.named, best, 'best weights');
    const result: FitResult = { history, epochs: epoch, globalStep, stoppedEarly };
    if (es && early.bestEpoch >= 0) result.bestEpoch = early.bestEpoch;
    return result;
  } finally {
    trainee.setTraining(trainee.wasTraining);
    tf.dispose(owned);
    if (best) tf.dispose(Object.values(best));
    if (ownOptimizer) optimizer?.dispose();
  }
}

function isStream<B>(d: unknown): d is BatchStream<B> {
  return d !== null && typeof d === 'object' && typeof (d as { batches?: unknown }).batches === 'function';
}
