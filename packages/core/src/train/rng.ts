/**
 * The training loop draws from core's one {@link Rng} (`@astro/core`); its stream for a seed is
 * exactly that of the former `TrainRng`, so checkpoints written before stay valid.
 */
export { Rng } from '../random/rng.js';
export type { RngState, RngWords } from '../random/rng.js';
