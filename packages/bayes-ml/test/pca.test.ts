import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { readNpy } from '@astro/core/io';
import { compareClose } from '@astro/core/testing';
import { fitPca, fitWeightedPca } from '../src/index.js';

interface Fx {
  apogee_pca: {
    k: number;
    components: number[][];
    explained_variance: number[];
    explained_variance_ratio: number[];
    singular_values: number[];
    mean: number[];
    transform_first3: number[][];
    whiten_transform_first3: number[][];
  };
  apogee_weighted: { k: number; mask_rows: number[]; mask_cols: number[]; chi2: number; recon_first5: number[][] };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/pca.json', import.meta.url), 'utf8')) as Fx;

/** A 2-D float `.npy` from the shared data as a float64 row-major matrix. */
async function readMatrix(path: string): Promise<{ data: Float64Array; rows: number; cols: number }> {
  const a = await readNpy(path);
  expect(a.shape).toHaveLength(2);
  const [rows, cols] = a.shape as [number, number];
  return { data: Float64Array.from(a.data as ArrayLike<number>), rows, cols };
}

const flux = await readMatrix(dataPath('spectra', 'apogee-giants-100px', 'flux.npy'));
const fluxErr = await readMatrix(dataPath('spectra', 'apogee-giants-100px', 'flux_err.npy'));

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol = atol): void {
  const r = compareClose(a, b, { atol, rtol });
  expect(r.ok, r.message).toBe(true);
}

describe('fitPca on 671 real APOGEE giant spectra (100 pixels)', () => {
  const f = fx.apogee_pca;
  const m = fitPca(flux, { nComponents: f.k });

  it('matches sklearn PCA: components with its sign convention, variances, singular values', () => {
    expectClose(m.mean, f.mean, 1e-12);
    expectClose(m.components.data, f.components.flat(), 1e-9);
    expectClose(m.explainedVariance, f.explained_variance, 1e-10);
    expectClose(m.explainedVarianceRatio, f.explained_variance_ratio, 1e-10);
    expectClose(m.singularValues, f.singular_values, 1e-10);
    expect(m.explainedVarianceRatio[0]).toBeGreaterThan(0.6);
  });

  it('transform / whiten / inverseTransform', () => {
    const first3 = { data: flux.data.slice(0, 3 * flux.cols), rows: 3, cols: flux.cols };
    expectClose(m.transform(first3).data, f.transform_first3.flat(), 1e-9);
    const w = fitPca(flux, { nComponents: 3, whiten: true });
    expectClose(w.transform(first3).data, f.whiten_transform_first3.flat(), 1e-8);
    // With all components, inverseTransform(transform(x)) = x.
    const full = fitPca(flux);
    const back = full.inverseTransform(full.transform(first3));
    expectClose(back.data, first3.data, 1e-10);
  });

  it('typed errors', () => {
    expect(() => fitPca(flux, { nComponents: 101 })).toThrow(ValueError);
    expect(() => fitPca([[1, 2]])).toThrow(/at least 2 samples/);
    expect(() => m.transform([[1, 2, 3]])).toThrow(/features/);
  });
});

describe('fitWeightedPca (EMPCA, Bailey 2012)', () => {
  it('with equal weights reproduces ordinary PCA', () => {
    const k = 3;
    const ones = { data: new Float64Array(flux.data.length).fill(1), rows: flux.rows, cols: flux.cols };
    const w = fitWeightedPca(flux, { nComponents: k, weights: ones });
    const p = fitPca(flux, { nComponents: k });
    expect(w.converged).toBe(true);
    expectClose(w.components.data, p.components.data, 1e-6);
    expectClose(w.explainedVariance, p.explainedVariance, 1e-7);
    expectClose(w.mean, p.mean, 1e-10);
  });

  it('real spectra with inverse-variance weights and 10% masked pixels: same optimum as an independent ALS solver', () => {
    const f = fx.apogee_weighted;
    const W = Float64Array.from(fluxErr.data, (e) => 1 / (e * e));
    const X = flux.data.slice();
    f.mask_rows.forEach((r, i) => {
      W[r * flux.cols + f.mask_cols[i]!] = 0;
      X[r * flux.cols + f.mask_cols[i]!] = NaN; // masked values are never read
    });
    const m = fitWeightedPca(
      { data: X, rows: flux.rows, cols: flux.cols },
      {
        nComponents: f.k,
        weights: { data: W, rows: flux.rows, cols: flux.cols },
        maxIterations: 3000,
      },
    );
    expect(m.chi2 / f.chi2).toBeLessThan(1 + 1e-6);
    expect(m.chi2 / f.chi2).toBeGreaterThan(1 - 1e-3);
    const rec = m.reconstruct();
    expectClose(rec.data.slice(0, 5 * flux.cols), f.recon_first5.flat(), 2e-4);
    // Orthonormal axes, ordered variances.
    for (let a = 0; a < f.k; a++) {
      for (let b = 0; b < f.k; b++) {
        let s = 0;
        for (let j = 0; j < flux.cols; j++) s += m.components.data[a * flux.cols + j]! * m.components.data[b * flux.cols + j]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 10);
      }
      if (a > 0) expect(m.explainedVariance[a]).toBeLessThanOrEqual(m.explainedVariance[a - 1]!);
    }
  });

  it('recovers a known rank-2 signal and fills missing values to within the noise', () => {
    // x_ij = μ_j + a_i sin(j/5) + b_i cos(j/3) + noise (σ = 0.01); 25% of entries missing.
    let seed = 12345;
    const uniform = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const normal = (): number => Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform());
    const n = 200,
      d = 40;
    const truth = new Float64Array(n * d);
    const X = new Float64Array(n * d);
    const W = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const a = normal(),
        b = 0.5 * normal();
      for (let j = 0; j < d; j++) {
        const t = 1 + 0.1 * j + a * Math.sin(j / 5) + b * Math.cos(j / 3);
        truth[i * d + j] = t;
        const missing = uniform() < 0.25;
        W[i * d + j] = missing ? 0 : 1 / 0.01 ** 2;
        X[i * d + j] = missing ? NaN : t + 0.01 * normal();
      }
    }
    const m = fitWeightedPca({ data: X, rows: n, cols: d }, { nComponents: 2, weights: { data: W, rows: n, cols: d } });
    const rec = m.reconstruct();
    let worst = 0;
    for (let i = 0; i < n * d; i++) if (W[i] === 0) worst = Math.max(worst, Math.abs(rec.data[i]! - truth[i]!));
    expect(worst).toBeLessThan(0.05);
    // Reduced χ² ≈ 1 for the right model.
    const nObs = W.filter((v) => v > 0).length;
    expect(m.chi2 / (nObs - (n * 2 + d * 3))).toBeCloseTo(1, 1);
    // Projection of new rows with their own gaps reproduces the fitted coefficients.
    const proj = m.project({ data: X.slice(0, 3 * d), rows: 3, cols: d }, { data: W.slice(0, 3 * d), rows: 3, cols: d });
    expectClose(proj.data, m.coefficients.data.slice(0, 6), 1e-6);
  });

  it('typed errors: shapes, negative weights, NaN with weight, an all-missing feature', () => {
    const X = [
      [1, 2],
      [3, 4],
      [5, 7],
    ];
    expect(() => fitWeightedPca(X, { nComponents: 1, weights: [[1, 1]] })).toThrow(ShapeError);
    expect(() =>
      fitWeightedPca(X, {
        nComponents: 1,
        weights: [
          [1, -1],
          [1, 1],
          [1, 1],
        ],
      }),
    ).toThrow(/≥ 0/);
    expect(() =>
      fitWeightedPca(
        [
          [1, NaN],
          [3, 4],
          [5, 7],
        ],
        {
          nComponents: 1,
          weights: [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
        },
      ),
    ).toThrow(/weight is > 0/);
    expect(() =>
      fitWeightedPca(X, {
        nComponents: 1,
        weights: [
          [1, 0],
          [1, 0],
          [1, 0],
        ],
      }),
    ).toThrow(/feature 1/);
  });
});
