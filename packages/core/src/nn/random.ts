/**
 * The generator behind initialisers and dropout masks: core's one {@link Rng}
 * (`@astro/core`), drawn in JavaScript so that one seed gives bit-identical parameters on
 * every backend. Re-exported here so `import { Rng } from '@astro/core/nn'` keeps working.
 */
export { Rng } from '../random/rng.js';
