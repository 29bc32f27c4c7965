import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '@astro/core';
import { SingularMatrixError, eigh, inverse, solve, svd } from '@astro/core/linalg';
import { compareClose } from '@astro/core/testing';

interface SvdCase {
  rows: number;
  cols: number;
  A: number[];
  s: number[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/linalg.json', import.meta.url), 'utf8')) as {
  svd_tall: SvdCase;
  svd_wide: SvdCase;
  eigh: { n: number; A: number[]; values: number[] };
};

function reconstructs(c: SvdCase): void {
  const d = svd(c.A, c.rows, c.cols);
  const r = compareClose(d.s, c.s, { atol: 1e-12, rtol: 1e-12 });
  expect(r.ok, r.message).toBe(true);
  for (let i = 0; i < c.rows; i++) {
    for (let j = 0; j < c.cols; j++) {
      let s = 0;
      for (let k = 0; k < d.rank; k++) s += d.U[i * d.rank + k]! * d.s[k]! * d.V[j * d.rank + k]!;
      expect(s).toBeCloseTo(c.A[i * c.cols + j]!, 12);
    }
  }
  // Orthonormal columns of U and V.
  for (let a = 0; a < d.rank; a++) {
    for (let b = 0; b < d.rank; b++) {
      let u = 0;
      let v = 0;
      for (let i = 0; i < c.rows; i++) u += d.U[i * d.rank + a]! * d.U[i * d.rank + b]!;
      for (let j = 0; j < c.cols; j++) v += d.V[j * d.rank + a]! * d.V[j * d.rank + b]!;
      expect(u).toBeCloseTo(a === b ? 1 : 0, 12);
      expect(v).toBeCloseTo(a === b ? 1 : 0, 12);
    }
  }
}

describe('svd', () => {
  it('tall matrix: singular values match numpy and U diag(s) Vᵀ = A', () => reconstructs(fx.svd_tall));
  it('wide matrix: same', () => reconstructs(fx.svd_wide));
  it('rejects non-finite input', () => {
    expect(() => svd([1, NaN], 1, 2)).toThrow(/row 0, column 1/);
  });
});

describe('eigh', () => {
  it('eigenvalues ascending as numpy.linalg.eigh, A v = λ v', () => {
    const { n, A, values } = fx.eigh;
    const e = eigh(A, n);
    const r = compareClose(e.values, values, { atol: 1e-12, rtol: 1e-12 });
    expect(r.ok, r.message).toBe(true);
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * e.vectors[k * n + c]!;
        expect(s).toBeCloseTo(e.values[c]! * e.vectors[i * n + c]!, 12);
      }
    }
  });
});

describe('solve and inverse', () => {
  it('solves a square system and a least-squares one', () => {
    const x = solve([2, 1, 1, 3], 2, 2, [3, 5]);
    expect(x[0]).toBeCloseTo(0.8, 14);
    expect(x[1]).toBeCloseTo(1.4, 14);
    // Fit y = a + b t through (0,1), (1,3), (2,5): exact line a = 1, b = 2.
    const ls = solve([1, 0, 1, 1, 1, 2], 3, 2, [1, 3, 5]);
    expect(ls[0]).toBeCloseTo(1, 12);
    expect(ls[1]).toBeCloseTo(2, 12);
  });

  it('inverse of a 2×2 in closed form', () => {
    const inv = inverse([4, 7, 2, 6], 2);
    const r = compareClose(inv, [0.6, -0.7, -0.2, 0.4], { atol: 1e-14, rtol: 1e-13 });
    expect(r.ok, r.message).toBe(true);
  });

  it('singular systems raise SingularMatrixError; bad shapes raise ShapeError', () => {
    expect(() => inverse([1, 2, 2, 4], 2)).toThrow(SingularMatrixError);
    expect(() => solve([1, 2, 2, 4], 2, 2, [1, 1])).toThrow(SingularMatrixError);
    expect(() => solve([1, 2, 3, 4], 2, 2, [1, 1, 1])).toThrow(ShapeError);
  });
});
