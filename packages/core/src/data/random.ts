/**
 * Core's one {@link Rng} (`@astro/core`), re-exported so `import { Rng } from '@astro/core/data'`
 * keeps working. `nextFloat` is a deprecated alias of `uniform`.
 */
export { Rng } from '../random/rng.js';
export type { RngState } from '../random/rng.js';
