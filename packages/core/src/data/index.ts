/** Data helpers: the shared real-data folder, Arrow ↔ tensors, seeded batches. */
export { sharedDataDir, dataPath } from './paths.js';
