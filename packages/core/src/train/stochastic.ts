import type { Module } from '../nn/module.js';

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

/** splitmix32 hash of (seed, step, layer) → uint32 seed. */
export function mixSeed(seed: number, step: number, layer: number): number {
  let z = (Math.trunc(seed) ^ Math.imul(step + 1, 0x9e3779b9) ^ Math.imul(layer + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
