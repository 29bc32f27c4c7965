import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';

/** `[2, 3, ...]` / `[..., 4]` for messages; `null` entries print as `*`. */
export function fmtShape(shape: readonly (number | null)[], leadingAny = false): string {
  const dims = shape.map((d) => (d === null ? '*' : String(d)));
  return `[${leadingAny ? ['...', ...dims].join(', ') : dims.join(', ')}]`;
}

/**
 * Throw a {@link ShapeError} naming `layer` unless `x` has rank ≥ `minRank` and its last
 * dimension equals `last`.
 */
export function expectLastDim(layer: string, what: string, x: tf.Tensor, last: number, minRank = 1): void {
  if (x.rank < minRank || x.shape[x.rank - 1] !== last) {
    const lead = Array<null>(Math.max(0, minRank - 1)).fill(null);
    throw new ShapeError(`${layer}: ${what} must have shape ${fmtShape([...lead, last], true)}, got ${fmtShape(x.shape)}`);
  }
}

/** Throw a {@link ShapeError} naming `layer` unless `x` matches `expected` (`null` = any size). */
export function expectShape(layer: string, what: string, x: tf.Tensor, expected: readonly (number | null)[]): void {
  const ok = x.rank === expected.length && expected.every((d, i) => d === null || d === x.shape[i]);
  if (!ok) throw new ShapeError(`${layer}: ${what} must have shape ${fmtShape(expected)}, got ${fmtShape(x.shape)}`);
}

/** Throw a {@link ValueError} unless `x` is a float32 tensor. */
export function expectFloat(layer: string, what: string, x: tf.Tensor): void {
  if (x.dtype !== 'float32') throw new ValueError(`${layer}: ${what} must be float32, got ${x.dtype}`);
}

/** Throw a {@link ValueError} unless `n` is a positive integer. */
export function expectPositiveInt(layer: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new ValueError(`${layer}: ${what} must be a positive integer, got ${n}`);
}
