import { ShapeError } from '@astro/core';
import { cdfRow, gridZ, type PdfSet } from '../pdf/grid.js';
import { median, quantileSorted } from './quantile.js';

/** Point estimates of each PDF (length m each): mean ∫z p dz, mode (grid argmax) and median (CDF = ½). */
export interface PointEstimates {
  mean: Float64Array;
  mode: Float64Array;
  median: Float64Array;
}

/** Mean, mode and median of each PDF in the set (the mode is the grid point of highest density). */
export function pointEstimates(set: PdfSet): PointEstimates {
  const { grid, m, p } = set;
  const G = grid.n;
  const mean = new Float64Array(m);
  const mode = new Float64Array(m);
  const med = new Float64Array(m);
  const cum = new Float64Array(G);
  for (let i = 0; i < m; i++) {
    const o = i * G;
    let s = 0;
    let best = 0;
    for (let j = 0; j < G; j++) {
      const w = j === 0 || j === G - 1 ? 0.5 : 1;
      s += w * gridZ(grid, j) * p[o + j]!;
      if (p[o + j]! > p[o + best]!) best = j;
    }
    mean[i] = s * grid.dz;
    mode[i] = gridZ(grid, best);
    cdfRow(set, i, cum);
    let j = 1;
    while (j < G - 1 && cum[j]! < 0.5) j++;
    const c0 = cum[j - 1]!;
    const c1 = cum[j]!;
    med[i] = gridZ(grid, j - 1) + (c1 > c0 ? (0.5 - c0) / (c1 - c0) : 0) * grid.dz;
  }
  return { mean, mode, median: med };
}

/**
 * Point-estimate statistics of Δz/(1+z_spec), as defined in RAIL (`rail.evaluation.metrics.point_estimates`)
 * and the CLAP paper.
 */
export interface PointMetrics {
  /** Median of e = (z_phot − z_spec)/(1 + z_spec) (RAIL's PointBias). */
  bias: number;
  /** Mean of e. */
  meanBias: number;
  /** σ_MAD = 1.4826 · median(|e − median(e)|). */
  sigmaMAD: number;
  /** σ_IQR = (e₇₅ − e₂₅)/1.349. */
  sigmaIQR: number;
  /** Fraction with |e| > 0.05 (the CLAP paper's outlier rule). */
  outlierFrac: number;
  /** Fraction with |e| > max(0.06, 3σ_IQR) (RAIL's PointOutlierRate, LSST SRD). */
  outlierFracRail: number;
}

/**
 * Bias, σ_MAD, σ_IQR and both outlier fractions of point estimates against spectroscopic redshifts.
 * @throws {ShapeError} if the lengths differ or are 0.
 */
export function pointMetrics(zPhot: ArrayLike<number>, zSpec: ArrayLike<number>): PointMetrics {
  const n = zSpec.length;
  if (n === 0 || zPhot.length !== n) throw new ShapeError(`pointMetrics: need equal non-zero lengths, got ${zPhot.length} and ${n}`);
  const e = new Float64Array(n);
  let sum = 0;
  let out = 0;
  for (let i = 0; i < n; i++) {
    e[i] = (zPhot[i]! - zSpec[i]!) / (1 + zSpec[i]!);
    sum += e[i]!;
    if (Math.abs(e[i]!) > 0.05) out++;
  }
  const sorted = Float64Array.from(e).sort();
  const med = quantileSorted(sorted, 0.5);
  const dev = e.map((v) => Math.abs(v - med));
  const sigmaMAD = 1.4826 * median(dev);
  const sigmaIQR = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.349;
  const thr = Math.max(0.06, 3 * sigmaIQR);
  let outR = 0;
  for (let i = 0; i < n; i++) if (Math.abs(e[i]!) > thr) outR++;
  return { bias: med, meanBias: sum / n, sigmaMAD, sigmaIQR, outlierFrac: out / n, outlierFracRail: outR / n };
}
