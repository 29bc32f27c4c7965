/**
 * `@astro/core`: the shared tensor package of the astro-ml toolkit.
 *
 * ```ts
 * import { ready, tf } from '@astro/core';
 * const info = await ready(); // webgpu → wasm → cpu
 * ```
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';

export { tf };
export * from './backend/index.js';
export * from './errors/index.js';
export { Rng } from './random/index.js';
export type { RngState, RngWords } from './random/index.js';
