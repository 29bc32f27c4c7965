/**
 * `@astro/core/data`: the shared real-data folder, Arrow tables ↔ typed arrays ↔ tensors,
 * and seeded, resumable mini-batches.
 * @packageDocumentation
 */
export { sharedDataDir, dataPath } from './paths.js';
export { Rng } from './random.js';
export type { RngState } from './random.js';
export { tableToArrays, arraysToTable, tableToTensors, arraysToTensors, tensorsToTable, rowCount } from './arrow.js';
export type { ColumnArray, ColumnArrays, NumericArray } from './arrow.js';
export { batches, batchTensors } from './batches.js';
export type { BatchOptions, BatchState, ColumnBatch, BatchLoader } from './batches.js';
export { Table } from 'apache-arrow';
