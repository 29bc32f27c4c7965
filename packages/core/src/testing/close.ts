import type { BackendName } from '../backend/types.js';

/** Absolute/relative tolerances matched to a backend's float32 arithmetic. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Default tolerance for comparing a backend's float32 output with a float64
 * reference. The webgpu backend accumulates in a different order (tiled matmul,
 * fused kernels) and some drivers flush denormals, so it gets a looser bound.
 */
export function toleranceFor(backend: BackendName): Tolerance {
  return backend === 'webgpu' ? { atol: 2e-4, rtol: 2e-4 } : { atol: 2e-5, rtol: 2e-5 };
}

/** Result of {@link compareClose}. */
export interface CloseReport {
  ok: boolean;
  maxAbsErr: number;
  worstIndex: number;
  message: string;
}

/**
 * Compare two arrays element-wise: |a − b| ≤ atol + rtol·|b|. Reports the worst
 * element so a failure says where and by how much.
 */
export function compareClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Partial<Tolerance> = {}): CloseReport {
  const atol = tol.atol ?? 1e-6;
  const rtol = tol.rtol ?? 1e-6;
  if (actual.length !== expected.length) {
    return {
      ok: false,
      maxAbsErr: Infinity,
      worstIndex: -1,
      message: `length ${actual.length} != expected ${expected.length}`,
    };
  }
  let maxAbsErr = 0;
  let worstIndex = -1;
  let ok = true;
  let firstBad = -1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const err = Math.abs(a - b);
    if (!(err <= atol + rtol * Math.abs(b))) {
      ok = false;
      if (firstBad < 0) firstBad = i;
    }
    if (err > maxAbsErr || Number.isNaN(err)) {
      maxAbsErr = Number.isNaN(err) ? NaN : err;
      worstIndex = i;
    }
  }
  const message = ok
    ? `max |err| ${maxAbsErr.toExponential(2)}`
    : `not close: first bad index ${firstBad} (actual ${actual[firstBad]}, expected ${expected[firstBad]}); ` +
      `max |err| ${maxAbsErr} at ${worstIndex}; atol ${atol}, rtol ${rtol}`;
  return { ok, maxAbsErr, worstIndex, message };
}

/** Throw an Error with the worst element when `actual` is not close to `expected`. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Partial<Tolerance> = {}): void {
  const r = compareClose(actual, expected, tol);
  if (!r.ok) throw new Error(r.message);
}
