import { Rng } from '@astro/core';

export { Rng };

/**
 * Accept either core's {@link Rng} or an integer seed (default 0); every stochastic routine of this
 * package draws from core's one generator (`@astro/core`'s `Rng`, xoshiro128**).
 * @throws ValueError when the seed is not a safe integer.
 */
export function toRng(rng: Rng | number | undefined): Rng {
  return rng instanceof Rng ? rng : new Rng(rng ?? 0);
}

/** A uniform draw on the open interval (0, 1) (safe for logarithms): redraws the rare exact 0. */
export function uniformOpen(rng: Rng): number {
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  return u;
}
