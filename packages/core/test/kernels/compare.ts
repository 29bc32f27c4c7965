import { expect } from 'vitest';
import type { TopKResult } from '@astro/core/kernels';
import type { Reference } from './reference.js';

/**
 * Assert a topK result equals the float64 brute force: the same indices in the same order,
 * except where the reference itself has an exact tie (then the keys must be equal), and values
 * equal to the float64 metric within `rtol` (they are float64-exact rounded to float32).
 */
export function expectMatchesReference(got: TopKResult, ref: Reference, rtol = 1e-6): void {
  const k = got.k;
  expect(got.indices.length).toBe(ref.indices.length);
  let mismatches = 0;
  for (let p = 0; p < ref.indices.length; p++) {
    const want = ref.values[p]!;
    const v = got.values[p]!;
    if (!(Math.abs(v - want) <= rtol * Math.max(1, Math.abs(want)))) {
      throw new Error(`value at query ${Math.floor(p / k)}, rank ${p % k}: got ${v}, float64 reference ${want}`);
    }
    if (got.indices[p] !== ref.indices[p]) {
      // Allowed only for an exact tie in the reference (same key at this rank or just past k).
      const i = Math.floor(p / k);
      const tiedNext = p % k === k - 1 && ref.next[i] === want;
      const tiedPeer = ref.values.subarray(i * k, (i + 1) * k).filter((x) => x === want).length > 1;
      if (!tiedNext && !tiedPeer) {
        throw new Error(`index at query ${i}, rank ${p % k}: got ${got.indices[p]}, reference ${ref.indices[p]} (no tie)`);
      }
      mismatches++;
    }
  }
  expect(mismatches).toBeLessThanOrEqual(ref.indices.length);
}
