import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import {
  NotPositiveDefiniteError,
  choInverse,
  choLogDet,
  choSolve,
  cholesky,
  solveLower,
  solveLowerTransposed,
  solveUpper,
} from '@astro/core/linalg';
import { compareClose } from '@astro/core/testing';

const fx = JSON.parse(readFileSync(new URL('./fixtures/linalg.json', import.meta.url), 'utf8')) as {
  spd: { n: number; A: number[]; L: number[]; logdet: number; B: number[]; X: number[] };
};

describe('cholesky', () => {
  it('matches numpy.linalg.cholesky, slogdet and scipy cho_solve', () => {
    const { n, A, L, logdet, B, X } = fx.spd;
    const f = cholesky(A, n);
    expect(f.jitter).toBe(0);
    const r = compareClose(f.L, L, { atol: 1e-12, rtol: 1e-12 });
    expect(r.ok, r.message).toBe(true);
    expect(choLogDet(f)).toBeCloseTo(logdet, 11);
    const x = choSolve(f, B);
    const rx = compareClose(x, X, { atol: 1e-12, rtol: 1e-10 });
    expect(rx.ok, rx.message).toBe(true);
  });

  it('choInverse gives A·A⁻¹ = I', () => {
    const { n, A } = fx.spd;
    const inv = choInverse(cholesky(A, n));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * inv[k * n + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('closed form: the 2×2 covariance [[σ1², ρσ1σ2],[ρσ1σ2, σ2²]]', () => {
    const s1 = 2,
      s2 = 3,
      rho = 0.6;
    const f = cholesky([s1 * s1, rho * s1 * s2, rho * s1 * s2, s2 * s2], 2);
    expect(Array.from(f.L)).toEqual([s1, 0, rho * s2, expect.closeTo(s2 * Math.sqrt(1 - rho * rho), 14)]);
    expect(choLogDet(f)).toBeCloseTo(Math.log(s1 * s1 * s2 * s2 * (1 - rho * rho)), 13);
  });

  it('adds jitter with a warning to a singular PSD matrix (rank-1 ones)', () => {
    const n = 4;
    const A = new Float64Array(n * n).fill(1);
    const warnings: string[] = [];
    const f = cholesky(A, n, { onWarning: (m) => warnings.push(m) });
    expect(f.jitter).toBeGreaterThan(0);
    expect(f.jitter).toBeLessThanOrEqual(1e-5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/jitter/);
    // L Lᵀ reproduces A + jitter·I.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += f.L[i * n + k]! * f.L[j * n + k]!;
        expect(s).toBeCloseTo(1 + (i === j ? f.jitter : 0), 12);
      }
    }
  });

  it('warns through console.warn by default', () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    cholesky([1, 1, 1, 1], 2);
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
  });

  it('throws NotPositiveDefiniteError for an indefinite matrix and when jitter is disabled', () => {
    const indefinite = [1, 2, 2, 1]; // eigenvalues 3, −1
    expect(() => cholesky(indefinite, 2, { onWarning: () => undefined })).toThrow(NotPositiveDefiniteError);
    try {
      cholesky([1, 1, 1, 1], 2, { jitter: false });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NotPositiveDefiniteError);
      expect((e as NotPositiveDefiniteError).pivot).toBe(1);
      expect((e as NotPositiveDefiniteError).code).toBe('NOT_POSITIVE_DEFINITE');
    }
  });

  it('a fixed jitter is added exactly', () => {
    const f = cholesky([1, 0, 0, 1], 2, { jitter: 3 });
    expect(Array.from(f.L)).toEqual([2, 0, 0, 2]);
  });

  it('rejects wrong sizes and non-finite input with typed errors', () => {
    expect(() => cholesky([1, 2, 3], 2)).toThrow(ShapeError);
    expect(() => cholesky([1, NaN, NaN, 1], 2)).toThrow(/row 0, column 1/);
    expect(() => cholesky([1, 0, 0, Infinity], 2)).toThrow(ValueError);
  });
});

describe('triangular solves', () => {
  const L = [2, 0, 0, 1, 3, 0, -1, 0.5, 4];
  it('solveLower / solveLowerTransposed / solveUpper invert their matrices', () => {
    const b = [1, 2, 3];
    const x = solveLower(L, 3, b);
    // L x = b
    expect(2 * x[0]!).toBeCloseTo(1, 14);
    expect(1 * x[0]! + 3 * x[1]!).toBeCloseTo(2, 14);
    expect(-1 * x[0]! + 0.5 * x[1]! + 4 * x[2]!).toBeCloseTo(3, 14);
    const y = solveLowerTransposed(L, 3, b);
    const U = [2, 1, -1, 0, 3, 0.5, 0, 0, 4]; // Lᵀ
    const z = solveUpper(U, 3, b);
    expect(compareClose(y, z, { atol: 1e-15, rtol: 1e-14 }).ok).toBe(true);
    expect(2 * y[0]! + y[1]! - y[2]!).toBeCloseTo(1, 14);
  });

  it('handles several right-hand sides (n×k row-major)', () => {
    const B = [1, 10, 2, 20, 3, 30];
    const X = solveLower(L, 3, B);
    const x1 = solveLower(L, 3, [1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      expect(X[i * 2]).toBeCloseTo(x1[i]!, 14);
      expect(X[i * 2 + 1]).toBeCloseTo(10 * x1[i]!, 13);
    }
  });

  it('rejects a right-hand side of the wrong length', () => {
    expect(() => solveLower(L, 3, [1, 2])).toThrow(ShapeError);
  });
});
