import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AbortError, ShapeError, ValueError } from '@astro/core';
import { minimizeLbfgs, numericGradient } from '@astro/core/linalg';

const fx = JSON.parse(readFileSync(new URL('./fixtures/linalg.json', import.meta.url), 'utf8')) as {
  bounded_least_squares: {
    A: number[];
    b: number[];
    rows: number;
    cols: number;
    x0: number[];
    lower: number[];
    upper: number[];
    x: number[];
    f: number;
    active: number;
  };
};

/** Rosenbrock function in n dimensions and its gradient (scipy.optimize.rosen / rosen_der). */
function rosen(x: Float64Array, g: Float64Array): number {
  const n = x.length;
  let f = 0;
  g.fill(0);
  for (let i = 0; i < n - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * x[i]! * a - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
}

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum (1, …, 1) in 10 dimensions', () => {
    const x0 = Array.from({ length: 10 }, (_, i) => (i % 2 ? 1.2 : -1.2));
    const r = minimizeLbfgs(rosen, x0, { gtol: 1e-9, ftol: 0 });
    expect(r.converged, r.message).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
    expect(r.evaluations).toBeLessThan(200);
  });

  it('minimises a quadratic exactly: ½xᵀAx − bᵀx → x = A⁻¹b', () => {
    const A = [4, 1, 0, 1, 3, 1, 0, 1, 2];
    const b = [1, 2, 3];
    const r = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < 3; i++) {
          let ax = 0;
          for (let j = 0; j < 3; j++) ax += A[i * 3 + j]! * x[j]!;
          g[i] = ax - b[i]!;
          f += 0.5 * x[i]! * ax - b[i]! * x[i]!;
        }
        return f;
      },
      [0, 0, 0],
      { gtol: 1e-12, ftol: 0 },
    );
    // The minimiser solves A x = b: check the residual.
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) ax += A[i * 3 + j]! * r.x[j]!;
      expect(ax).toBeCloseTo(b[i]!, 10);
    }
  });

  it('respects bounds: a separable quadratic is minimised at the clipped optimum', () => {
    const c = [3, -2, 0.5];
    const r = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < 3; i++) {
          g[i] = 2 * (x[i]! - c[i]!);
          f += (x[i]! - c[i]!) ** 2;
        }
        return f;
      },
      [0, 0, 0],
      {
        bounds: [
          [-1, 1],
          [-1, 1],
          [-1, 1],
        ],
      },
    );
    expect(r.converged).toBe(true);
    expect(Array.from(r.x)).toEqual([1, -1, expect.closeTo(0.5, 8)]);
  });

  it('matches scipy lsq_linear (BVLS) on a bounded least-squares problem with 4 active bounds', () => {
    const { A, b, rows, cols, x0, lower, upper, x, f } = fx.bounded_least_squares;
    const bounds = lower.map((l, i) => [l, upper[i]!] as const);
    const r = minimizeLbfgs(
      (p, g) => {
        g.fill(0);
        let s = 0;
        for (let i = 0; i < rows; i++) {
          let res = -b[i]!;
          for (let j = 0; j < cols; j++) res += A[i * cols + j]! * p[j]!;
          s += 0.5 * res * res;
          for (let j = 0; j < cols; j++) g[j] = g[j]! + res * A[i * cols + j]!;
        }
        return s;
      },
      x0,
      { bounds, gtol: 1e-10, ftol: 0 },
    );
    expect(r.converged, r.message).toBe(true);
    expect(r.f).toBeCloseTo(f, 10);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 8));
    r.x.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(lower[i]!);
      expect(v).toBeLessThanOrEqual(upper[i]!);
    });
  });

  it('reports an iteration limit honestly', () => {
    const r = minimizeLbfgs(rosen, [-1.2, 1], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.message).toMatch(/maximum iterations/);
  });

  it('typed errors: bounds/x0 length, bad interval, non-finite start, abort', () => {
    expect(() => minimizeLbfgs(rosen, [0, 0], { bounds: [[0, 1]] })).toThrow(ShapeError);
    expect(() =>
      minimizeLbfgs(rosen, [0, 0], {
        bounds: [
          [0, 1],
          [2, 1],
        ],
      }),
    ).toThrow(ValueError);
    expect(() => minimizeLbfgs(() => NaN, [0])).toThrow(/not finite|NaN/);
    const ac = new AbortController();
    ac.abort();
    expect(() => minimizeLbfgs(rosen, [-1.2, 1], { signal: ac.signal })).toThrow(AbortError);
  });
});

describe('numericGradient', () => {
  it('agrees with the analytic Rosenbrock gradient', () => {
    const x = Float64Array.from([-0.7, 1.3, 0.4]);
    const g = new Float64Array(3);
    rosen(x, g);
    const num = numericGradient((p) => rosen(p, new Float64Array(3)), x);
    num.forEach((v, i) => expect(v).toBeCloseTo(g[i]!, 5));
  });
});
