import { ShapeError } from '@astro/core';
import { assertPdfSet, type PdfSet } from '../pdf/grid.js';
import { cdeLoss, crps } from './crps.js';
import { adUniform, coverage, cvmUniform, ksUniform, pit, pitHistogram, w1Uniform } from './pit.js';
import { pointEstimates, pointMetrics, type PointMetrics } from './point.js';

/** Every metric of one PDF ensemble against spectroscopic redshifts (qp/RAIL and CLAP-paper definitions). */
export interface PhotozMetrics {
  /** Number of galaxies. */
  n: number;
  /** Point metrics of the PDF mean, mode and median. */
  point: { mean: PointMetrics; mode: PointMetrics; median: PointMetrics };
  /** PIT statistics against U(0,1): Kolmogorov–Smirnov D, Cramér–von Mises W², Anderson–Darling A², 1-Wasserstein. */
  pitKS: number;
  pitCvM: number;
  pitAD: number;
  pitW1: number;
  /** Normalised 20-bin PIT histogram (1 everywhere when calibrated). */
  pitHistogram: number[];
  /** Mean CRPS (redshift units). */
  crps: number;
  /** CDE loss (1/redshift). */
  cdeLoss: number;
  /** Coverage of the central 68% and 95% credible intervals. */
  coverage68: number;
  coverage95: number;
}

/**
 * Compute the whole metric suite for a PDF set. The densities must be normalised (see
 * {@link assertPdfSet}: unnormalised rows are rejected, not rescaled).
 * @throws {ShapeError} if `pdfs.p` is not m × grid.n, m = 0 or `zSpec.length` ≠ m.
 * @throws {ValueError} naming the PDF row on a negative, NaN/Inf or unnormalised density, or a z_spec off the grid.
 */
export function evaluatePdfs(set: PdfSet, zSpec: ArrayLike<number>): PhotozMetrics {
  assertPdfSet(set, 'evaluatePdfs: pdfs');
  if (zSpec == null || typeof zSpec.length !== 'number') throw new ShapeError('evaluatePdfs: zSpec must be an array of redshifts');
  if (zSpec.length !== set.m) throw new ShapeError(`evaluatePdfs: ${set.m} PDFs but zSpec has ${zSpec.length} redshifts`);
  const u = pit(set, zSpec);
  const pe = pointEstimates(set);
  const [c68, c95] = coverage(u, [0.68, 0.95]);
  const c = crps(set, zSpec);
  return {
    n: set.m,
    point: { mean: pointMetrics(pe.mean, zSpec), mode: pointMetrics(pe.mode, zSpec), median: pointMetrics(pe.median, zSpec) },
    pitKS: ksUniform(u),
    pitCvM: cvmUniform(u),
    pitAD: adUniform(u),
    pitW1: w1Uniform(u),
    pitHistogram: Array.from(pitHistogram(u, 20)),
    crps: c.reduce((a, b) => a + b, 0) / c.length,
    cdeLoss: cdeLoss(set, zSpec),
    coverage68: c68!,
    coverage95: c95!,
  };
}
