/**
 * The project's one seeded random-number generator ({@link Rng}: xoshiro128**, splitmix32
 * seeding, named forks). Exported from `@astro/core`.
 * @module
 */
export { Rng } from './rng.js';
export type { RngState, RngWords } from './rng.js';
