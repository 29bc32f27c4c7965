import { afterEach, describe, expect, it } from 'vitest';
import {
  choInverse,
  cholesky,
  choLogDet,
  choSolve,
  simdF64Available,
  solveLower,
  solveLowerTransposed,
  useSimdF64,
} from '@astro/core/linalg';

/** Kac–Murdock–Szegő matrix A_ij = ρ^|i−j|: Cholesky factor and inverse in closed form. */
function kms(n: number, rho: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = rho ** Math.abs(i - j);
  return a;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A well-conditioned SPD matrix with no structure: G Gᵀ / n + I. */
function randomSpd(n: number, seed: number): Float64Array {
  let s = seed;
  const g = Float64Array.from({ length: n * n }, () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += g[i * n + k]! * g[j * n + k]!;
      a[i * n + j] = a[j * n + i] = t / n + (i === j ? 1 : 0);
    }
  }
  return a;
}

describe('blocked float64 factorisations (WebAssembly SIMD f64x2)', () => {
  afterEach(() => useSimdF64(true));

  it('this engine has WebAssembly SIMD, so the blocked path is the one tested', () => {
    expect(simdF64Available()).toBe(true);
  });

  // n = 250: not a multiple of the 4×4 micro-kernel nor of the 64-wide blocks (ragged edges).
  it('KMS matrix (n = 250): Cholesky factor and inverse equal their closed forms', () => {
    const n = 250;
    const rho = 0.7;
    const f = cholesky(kms(n, rho), n, { jitter: false });
    const c = Math.sqrt(1 - rho * rho);
    let err = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = j > i ? 0 : j === 0 ? rho ** i : rho ** (i - j) * c;
        err = Math.max(err, Math.abs(f.L[i * n + j]! - want));
      }
    }
    expect(err).toBeLessThan(1e-13);
    expect(choLogDet(f)).toBeCloseTo((n - 1) * Math.log(1 - rho * rho), 10);
    const inv = choInverse(f);
    const d = 1 / (1 - rho * rho);
    let ierr = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let want = 0;
        if (i === j) want = i === 0 || i === n - 1 ? d : (1 + rho * rho) * d;
        else if (Math.abs(i - j) === 1) want = -rho * d;
        ierr = Math.max(ierr, Math.abs(inv[i * n + j]! - want));
      }
    }
    expect(ierr).toBeLessThan(1e-11);
  });

  it('agrees with the plain loops (n = 333) and A·A⁻¹ = I, A·X = B for 20 right-hand sides', () => {
    const n = 333;
    const k = 20;
    const a = randomSpd(n, 7);
    const b = Float64Array.from({ length: n * k }, (_, i) => Math.sin(0.37 * i));
    const f = cholesky(a, n, { jitter: false });
    const inv = choInverse(f);
    const x = choSolve(f, b);
    const y = solveLower(f.L, n, b);
    const z = solveLowerTransposed(f.L, n, b);
    useSimdF64(false);
    const fj = cholesky(a, n, { jitter: false });
    expect(maxAbsDiff(f.L, fj.L)).toBeLessThan(1e-13);
    expect(maxAbsDiff(inv, choInverse(fj))).toBeLessThan(1e-12);
    expect(maxAbsDiff(y, solveLower(fj.L, n, b))).toBeLessThan(1e-12);
    expect(maxAbsDiff(z, solveLowerTransposed(fj.L, n, b))).toBeLessThan(1e-12);
    let r = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < n; q++) s += a[i * n + q]! * inv[q * n + j]!;
        r = Math.max(r, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(r).toBeLessThan(1e-12);
    let rx = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let q = 0; q < n; q++) s += a[i * n + q]! * x[q * k + c]!;
        rx = Math.max(rx, Math.abs(s - b[i * k + c]!));
      }
    }
    expect(rx).toBeLessThan(1e-12);
  });

  it('reports the failing pivot of an indefinite matrix, and jitter rescues a singular one', () => {
    const n = 200;
    const a = kms(n, 0.5);
    a[150 * n + 150] = -1;
    expect(() => cholesky(a, n, { jitter: false })).toThrow(/row 150/);
    const ones = new Float64Array(n * n).fill(1);
    const warnings: string[] = [];
    const f = cholesky(ones, n, { onWarning: (m) => warnings.push(m) });
    expect(f.jitter).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
  });
});
