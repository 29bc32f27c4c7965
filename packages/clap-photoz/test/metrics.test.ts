import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import {
  adUniform,
  cdeLoss,
  coverage,
  crps,
  cvmUniform,
  evaluatePdfs,
  gridZ,
  ksUniform,
  normalizePdfs,
  pit,
  pointEstimates,
  pointMetrics,
  w1Uniform,
  zGrid,
} from '../src/index.js';

interface Fixture {
  cases: { name: string; u: number[]; ks: number; cvm: number; ad: number; w1: number }[];
  point: Record<string, number> & { zPhot: number[]; zSpec: number[] };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/metrics.json', import.meta.url), 'utf8')) as Fixture;

const Phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse; use a series / continued fraction at float64 precision.
  const t = Math.abs(x);
  let s = 0;
  if (t < 3) {
    let term = t;
    s = t;
    for (let n = 1; n < 80; n++) {
      term *= (-t * t) / n;
      s += term / (2 * n + 1);
    }
    s *= 2 / Math.sqrt(Math.PI);
  } else {
    let f = 0;
    for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
    s = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  }
  return x < 0 ? -s : s;
}

/** Gaussian PDFs N(mu_i, sigma_i²) on a grid. */
function gaussians(mu: number[], sigma: number[]) {
  const g = zGrid(0, 1, 0.001);
  const p = new Float64Array(mu.length * g.n);
  mu.forEach((m, i) => {
    for (let j = 0; j < g.n; j++) p[i * g.n + j] = Math.exp(-0.5 * ((gridZ(g, j) - m) / sigma[i]!) ** 2);
  });
  return normalizePdfs(g, p);
}

describe('PIT statistics match scipy', () => {
  for (const c of fx.cases) {
    it(`${c.name}: KS, CvM, AD, W1`, () => {
      expect(ksUniform(c.u)).toBeCloseTo(c.ks, 12);
      expect(cvmUniform(c.u)).toBeCloseTo(c.cvm, 10);
      expect(adUniform(c.u)).toBeCloseTo(c.ad, 9);
      // scipy's W1 was against a 200001-point uniform sample: agreement to ~1e-5
      expect(Math.abs(w1Uniform(c.u) - c.w1)).toBeLessThan(2e-5);
    });
  }
  it('closed forms: a perfectly uniform PIT sample', () => {
    const n = 100;
    const u = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    expect(ksUniform(u)).toBeCloseTo(0.5 / n, 14);
    expect(cvmUniform(u)).toBeCloseTo(1 / (12 * n), 14);
    expect(w1Uniform(u)).toBeCloseTo(1 / (4 * n), 14);
    expect(() => ksUniform([0.2, 1.5])).toThrow(ValueError);
  });
});

describe('point metrics match numpy (RAIL definitions)', () => {
  it('bias, σ_MAD, σ_IQR, both outlier rules', () => {
    const m = pointMetrics(fx.point.zPhot, fx.point.zSpec);
    for (const k of ['bias', 'meanBias', 'sigmaMAD', 'sigmaIQR', 'outlierFrac', 'outlierFracRail'] as const) {
      expect(m[k]).toBeCloseTo(fx.point[k]!, 12);
    }
    expect(() => pointMetrics([1], [1, 2])).toThrow(ShapeError);
  });
});

describe('PDF metrics against closed forms for Gaussian PDFs', () => {
  const mu = [0.3, 0.45, 0.2];
  const sigma = [0.03, 0.05, 0.02];
  const zs = [0.33, 0.4, 0.2];
  const set = gaussians(mu, sigma);

  it('point estimates of a Gaussian are its centre', () => {
    const pe = pointEstimates(set);
    for (let i = 0; i < 3; i++) {
      expect(pe.mean[i]).toBeCloseTo(mu[i]!, 6);
      expect(pe.median[i]).toBeCloseTo(mu[i]!, 5);
      expect(pe.mode[i]).toBeCloseTo(mu[i]!, 9);
    }
  });

  it('PIT = Φ((z − μ)/σ)', () => {
    const u = pit(set, zs);
    for (let i = 0; i < 3; i++) expect(u[i]).toBeCloseTo(Phi((zs[i]! - mu[i]!) / sigma[i]!), 4);
  });

  it('CRPS = σ[x(2Φ(x) − 1) + 2φ(x) − 1/√π] (Gneiting & Raftery 2007)', () => {
    const c = crps(set, zs);
    for (let i = 0; i < 3; i++) {
      const x = (zs[i]! - mu[i]!) / sigma[i]!;
      const exact = sigma[i]! * (x * (2 * Phi(x) - 1) + (2 * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI));
      // the remaining difference is the piecewise-linear representation, O((dz/σ)²)
      expect(Math.abs(c[i]! - exact) / exact).toBeLessThan(5e-4);
    }
  });

  it('CDE loss = mean[1/(2σ√π)] − 2·mean[φ(x)/σ]', () => {
    let t1 = 0;
    let t2 = 0;
    for (let i = 0; i < 3; i++) {
      const x = (zs[i]! - mu[i]!) / sigma[i]!;
      t1 += 1 / (2 * sigma[i]! * Math.sqrt(Math.PI)) / 3;
      t2 += Math.exp(-0.5 * x * x) / (sigma[i]! * Math.sqrt(2 * Math.PI)) / 3;
    }
    const exact = t1 - 2 * t2;
    expect(Math.abs(cdeLoss(set, zs) - exact) / Math.abs(exact)).toBeLessThan(2e-4);
  });

  it('coverage is the fraction of |PIT − ½| < c/2', () => {
    expect(coverage([0.5, 0.1, 0.9, 0.99], [0.68, 0.95])).toEqual([0.25, 0.75]);
  });

  it('a redshift outside the grid is an error, never clipped', () => {
    expect(() => pit(set, [0.3, 0.4, 1.2])).toThrow(/outside the redshift grid/);
    expect(() => crps(set, [0.3, 0.4, -0.1])).toThrow(ValueError);
    expect(() => evaluatePdfs(set, [0.3])).toThrow(ShapeError);
  });
});
