import type { Module } from '../nn/module.js';
import { Rng } from '../random/rng.js';

/** Modules with a `reseed(seed)` method (e.g. Dropout), in a fixed depth-first order. */
export function stochasticLayers(m: Module): { reseed(seed: number): void }[] {
  const out: { reseed(seed: number): void }[] = [];
  const visit = (x: Module): void => {
    const r = (x as unknown as { reseed?: unknown }).reseed;
    if (typeof r === 'function') out.push(x as unknown as { reseed(seed: number): void });
    for (const [, c] of x.children()) visit(c);
  };
  visit(m);
  return out;
}

/**
 * The seed of stochastic layer `layer`'s masks at optimiser step `step` of a run seeded `seed`:
 * the first draw of `new Rng(seed).fork('dropout').fork(String(step)).fork(String(layer))`, so it
 * depends only on (seed, step, layer) and a resumed run reproduces the masks of an uninterrupted one.
 */
export function stochasticSeed(seed: number, step: number, layer: number): number {
  return new Rng(seed).fork('dropout').fork(String(step)).fork(String(layer)).nextUint32();
}
