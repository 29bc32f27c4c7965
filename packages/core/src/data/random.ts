/**
 * Core's one {@link Rng} (`@astro/core`), re-exported so `import { Rng } from '@astro/core/data'`
 * keeps working.
 */
export { Rng } from '../random/rng.js';
export type { RngState } from '../random/rng.js';
