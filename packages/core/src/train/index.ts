/**
 * Training (`@astro/core/train`): one seeded, resumable `fit` loop (any objective through
 * `step(batch, ctx)`, any batch source through `BatchStream`) with validation, early stopping,
 * progress, abort and checkpoints; model persistence as `config.json` + `model.safetensors`
 * (PyTorch-style dotted names, SHA-256 checked, atomic writes). See `docs/house.md`.
 *
 * ```ts
 * const opt = new AdamW(model.namedParameters(), { lr: 1e-3 });
 * const { history } = await fit(model, { x, y }, {
 *   epochs: 20, batchSize: 64, optimizer: opt, validationSplit: 0.1,
 *   earlyStopping: { patience: 3 }, signal,
 * });
 * // any objective: a contrastive loss over pairs from a batch stream
 * await fit({ a: encA, b: encB }, pairs, { epochs: 10, step: (batch, ctx) => clipLoss(batch, ctx) });
 * ```
 * @module
 */
export { fit } from './fit.js';
export { evaluate } from './evaluate.js';
export type { FitOptions, FitResult, EarlyStoppingOptions, CheckpointOptions, StepContext, StepFn, BatchStream } from './fit.js';
export type { FitModel, NamedVariables } from './trainee.js';
export { tensorBatches } from './stream.js';
export type { TensorBatchesOptions, TensorBatchStream } from './stream.js';
export type { Trainable } from './evaluate.js';
export type { ArrayDataset, Batch, BatchSource, TensorData } from './data.js';
export { mseLoss, maeLoss, resolveLoss } from './loss.js';
export type { LossFn, LossName } from './loss.js';
export { formatProgress, shouldDrawBar, ProgressBar } from './progress.js';
export type { FitProgress } from './progress.js';
export { Rng } from './rng.js';
export type { RngState, RngWords } from './rng.js';
export { CHECKPOINT_KIND, CHECKPOINT_SCHEMA_VERSION, disposeCheckpoint } from './checkpoint.js';
export type { TrainingCheckpoint, CheckpointMeta, FitHistory, EarlyStoppingState } from './checkpoint.js';
export { encodeCheckpoint, decodeCheckpoint, saveCheckpoint, loadCheckpoint } from './checkpoint-file.js';
export {
  MODEL_CONFIG_FILE,
  MODEL_WEIGHTS_FILE,
  encodeModel,
  decodeModel,
  saveModel,
  loadModel,
  encodeBundle,
  decodeBundle,
  saveBundle,
  loadBundle,
  parseModelConfig,
  checkModelConfig,
} from './persist.js';
export type { ModelConfig, ModelFiles, ModelBundle, ExpectedKind, FileDigest, Scaling, LoadModelOptions } from './persist.js';
export { writeFileAtomic, readFileChecked } from './fs.js';
export { sha256Hex } from './sha256.js';
export * from './parallel/index.js';
