/**
 * Data-parallel training on Node `worker_threads` (one backend per worker, gradients summed
 * through a SharedArrayBuffer, replicas kept bitwise in sync). See docs/backends.md,
 * "Multi-core training".
 * @module
 */
export { DataParallelTrainer, fitParallel } from './trainer.js';
export type { FitParallelOptions, FitParallelResult } from './trainer.js';
export { ParallelWorkerError } from './types.js';
export type {
  DataParallelOptions,
  HostTensor,
  ParallelBatch,
  ParallelBuilder,
  ParallelModelSpec,
  ParallelSetup,
  ParallelStepContext,
  ParallelStepResult,
} from './types.js';
