/**
 * Core's one {@link Rng} (`@astro/core`), re-exported so `import { Rng } from '@astro/core/data'`
 * keeps working. `Rng.fromSeed`, `nextFloat` and `nextInt` are deprecated aliases of
 * `new Rng(seed)` / `fork(name)`, `uniform` and `below`.
 */
export { Rng } from '../random/rng.js';
export type { RngState } from '../random/rng.js';
