import { ValueError } from '@astro/core';
import { cholesky, choInverse, choSolve } from '@astro/core/linalg';
import { Rng } from '@astro/core/nn';
import type { SpectralEmulator } from '../emulator.js';
import { labelMatrix } from '../labels/input.js';
import { checkLabelDomain } from '../labels/domain.js';
import {
  bestContinuum,
  continuumAt,
  emulateRows,
  residuals,
  setupProblem,
  shift,
  type ObservedSpectrum,
  type Problem,
  type SpectrumModelOptions,
} from './problem.js';

/** Options of {@link fitSpectrum}. */
export interface FitOptions extends SpectrumModelOptions {
  /** Starting labels (physical units); otherwise a seeded multi-start over the domain. */
  initialLabels?: readonly number[];
  /** Number of starting points scored in one batch when `initialLabels` is not given (default 24). */
  starts?: number;
  /** Local optimisations run from the best starting points (default 2). */
  restarts?: number;
  /** Seed of the starting points (default 0). */
  seed?: number;
  /** Maximum Levenberg–Marquardt iterations per start (default 60). */
  maxIterations?: number;
  /** Central-difference step of the label Jacobian, in min-max-scaled units (default 1e-3). */
  jacobianStep?: number;
}

/** Result of {@link fitSpectrum}. Uncertainties are 1σ from the Gauss–Newton Hessian of χ². */
export interface SpectrumFit {
  labelNames: readonly string[];
  labelUnits: readonly string[];
  /** Best-fit labels, physical units. */
  labels: Float64Array;
  /** 1σ uncertainties of the labels, physical units: √diag of the inverse Hessian (JᵀWJ)⁻¹. */
  labelErrors: Float64Array;
  /** Radial velocity and its 1σ error, km/s (when fitted). */
  rvKms?: number;
  rvErrKms?: number;
  /** Chebyshev continuum coefficients (when fitted). */
  continuum?: Float64Array;
  /** Names of all fitted parameters, in covariance order: labels, `rv`, `c0`…. */
  parameterNames: string[];
  /** Covariance of all fitted parameters, physical units, row-major m×m. */
  covariance: Float64Array;
  /** χ² = Σ w(d − m)², degrees of freedom (used pixels − parameters), χ²/dof. */
  chi2: number;
  dof: number;
  reducedChi2: number;
  /** Pixels used and pixels masked (mask, NaN, non-positive errors, outside the model's grid). */
  usedPixels: number;
  maskedPixels: number;
  /** Model flux on the data grid at the best fit (NaN where the model does not cover the data). */
  modelFlux: Float64Array;
  /** Labels that ended on the edge of the emulator's trained domain (their errors are unreliable). */
  atBound: string[];
  iterations: number;
  converged: boolean;
}

interface Eval {
  chi2: number;
  r: Float64Array; // sqrt(w)·(d − m), length n
  J: Float64Array | undefined; // n × m, sqrt(w)·∂m/∂p
  model: Float64Array;
}

/**
 * Fit stellar labels (and optionally a radial velocity and a multiplicative Chebyshev
 * continuum) to an observed spectrum by weighted least squares with Levenberg–Marquardt,
 * the way The Payne fits APOGEE spectra (Ting et al. 2019, §4). Labels are bounded to the
 * emulator's trained domain. The label Jacobian comes from central differences evaluated in one
 * batched emulator call per iteration (2k + 1 rows); velocity and continuum derivatives are
 * exact in float64. Uncertainties are √diag((JᵀWJ)⁻¹) at the optimum (Gauss–Newton Hessian).
 *
 * @throws {ShapeError} when flux, errors, mask or wavelengths disagree in length, or the data
 *   grid differs from the model's and `resample` is false.
 * @throws {ValueError} when no pixel is usable, both `fluxErr` and `ivar` are given, or fitting a
 *   velocity without wavelengths.
 */
export async function fitSpectrum(emu: SpectralEmulator, spec: ObservedSpectrum, opts: FitOptions = {}): Promise<SpectrumFit> {
  const prob = setupProblem(emu, spec, opts);
  for (const key of ['starts', 'restarts', 'maxIterations'] as const) {
    const v = opts[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      throw new ValueError(`fitSpectrum: ${key} must be a positive integer, got ${v}`);
  }
  const { k } = prob;
  const m = k + (prob.fitRv ? 1 : 0) + prob.nc;
  const maxIter = opts.maxIterations ?? 60;

  // starting points, scored in one batch
  const starts: Float64Array[] = [];
  if (opts.initialLabels) {
    const { values } = labelMatrix([[...opts.initialLabels]], k, 'initialLabels');
    checkLabelDomain(emu.domain, values, 1, 'error');
    starts.push(Float64Array.from(values, (v, j) => (v - prob.lo[j]!) / prob.span[j]!));
  } else {
    const rng = new Rng(opts.seed ?? 0);
    starts.push(new Float64Array(k).fill(0.5));
    for (let s = 1; s < (opts.starts ?? 24); s++) starts.push(Float64Array.from({ length: k }, () => 0.1 + 0.8 * rng.uniform()));
  }
  const rv0 = opts.initialRvKms ?? 0;
  const fluxes = await emulateRows(prob, starts);
  const scored = starts.map((u, s) => {
    const shifted = shift(prob, fluxes.subarray(s * emu.numPixels, (s + 1) * emu.numPixels), rv0);
    const c = prob.basis ? bestContinuum(prob, shifted) : new Float64Array(0);
    const p = Float64Array.from([...u, ...(prob.fitRv ? [rv0] : []), ...c]);
    return { p, chi2: residuals(prob, shifted, p).chi2 };
  });
  scored.sort((a, b) => a.chi2 - b.chi2);

  let best: { p: Float64Array; ev: Eval; iterations: number; converged: boolean } | undefined;
  for (const { p: p0 } of scored.slice(0, Math.max(1, opts.restarts ?? 2))) {
    const run = await levenbergMarquardt(prob, p0, m, maxIter);
    if (!best || run.ev.chi2 < best.ev.chi2) best = run;
  }
  const { p, ev, iterations, converged } = best!;

  // covariance from the Gauss–Newton Hessian, in physical units
  const A = normalMatrix(ev.J!, prob.n, m);
  const covP = choInverse(cholesky(A, m));
  const scale = Float64Array.from({ length: m }, (_, j) => (j < k ? prob.span[j]! : 1));
  const cov = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) cov[i * m + j] = covP[i * m + j]! * scale[i]! * scale[j]!;
  const labels = Float64Array.from({ length: k }, (_, j) => prob.lo[j]! + p[j]! * prob.span[j]!);
  const labelErrors = Float64Array.from({ length: k }, (_, j) => Math.sqrt(cov[j * m + j]!));
  const usedPixels = prob.used.reduce((a, b) => a + b, 0);
  const dof = usedPixels - m;
  const names = [...emu.domain.names, ...(prob.fitRv ? ['rv'] : []), ...Array.from({ length: prob.nc }, (_, j) => `c${j}`)];
  const atBound = emu.domain.names.filter((_, j) => p[j]! <= 1e-6 || p[j]! >= 1 - 1e-6);
  return {
    labelNames: emu.domain.names,
    labelUnits: emu.domain.units,
    labels,
    labelErrors,
    ...(prob.fitRv ? { rvKms: p[k]!, rvErrKms: Math.sqrt(cov[k * m + k]!) } : {}),
    ...(prob.nc ? { continuum: p.slice(m - prob.nc) } : {}),
    parameterNames: names,
    covariance: cov,
    chi2: ev.chi2,
    dof,
    reducedChi2: ev.chi2 / Math.max(1, dof),
    usedPixels,
    maskedPixels: prob.n - usedPixels,
    modelFlux: ev.model,
    atBound,
    iterations,
    converged,
  };
}

/** Residuals and the weighted Jacobian at p: one batched emulator call with 2k + 1 rows. */
async function evaluate(prob: Problem, p: Float64Array, m: number): Promise<Eval> {
  const { k, n, h } = prob;
  const P = prob.emu.numPixels;
  const u = p.subarray(0, k);
  const rows: Float64Array[] = [Float64Array.from(u)];
  for (let j = 0; j < k; j++) {
    const up = Float64Array.from(u);
    up[j]! += h;
    const dn = Float64Array.from(u);
    dn[j]! -= h;
    rows.push(up, dn);
  }
  const flux = await emulateRows(prob, rows);
  const rv = prob.fitRv ? p[k]! : 0;
  const centre = shift(prob, flux.subarray(0, P), rv);
  const { chi2, r, model } = residuals(prob, centre, p);
  const J = new Float64Array(n * m);
  const cont = Float64Array.from({ length: n }, (_, i) => continuumAt(prob, p, i));
  for (let j = 0; j < k; j++) {
    const fp = shift(prob, flux.subarray((1 + 2 * j) * P, (2 + 2 * j) * P), rv);
    const fm = shift(prob, flux.subarray((2 + 2 * j) * P, (3 + 2 * j) * P), rv);
    for (let i = 0; i < n; i++) J[i * m + j] = (prob.sqrtW[i]! * cont[i]! * (fp[i]! - fm[i]!)) / (2 * h);
  }
  if (prob.fitRv) {
    const dv = 0.05; // km/s; interpolation is exact float64, so a small central difference is accurate
    const f0 = flux.subarray(0, P);
    const sp = shift(prob, f0, rv + dv);
    const sm = shift(prob, f0, rv - dv);
    for (let i = 0; i < n; i++) J[i * m + k] = (prob.sqrtW[i]! * cont[i]! * (sp[i]! - sm[i]!)) / (2 * dv);
  }
  for (let c = 0; c < prob.nc; c++) {
    const col = m - prob.nc + c;
    for (let i = 0; i < n; i++) J[i * m + col] = prob.sqrtW[i]! * centre[i]! * prob.basis![c * n + i]!;
  }
  return { chi2, r, J, model };
}

function normalMatrix(J: Float64Array, n: number, m: number): Float64Array {
  const A = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < m; a++) {
      const ja = J[i * m + a]!;
      if (ja === 0) continue;
      for (let b = a; b < m; b++) A[a * m + b]! += ja * J[i * m + b]!;
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) A[a * m + b] = A[b * m + a]!;
  return A;
}

function project(prob: Problem, p: Float64Array): Float64Array {
  const q = Float64Array.from(p);
  for (let j = 0; j < prob.k; j++) q[j] = Math.min(1, Math.max(0, q[j]!));
  if (prob.fitRv) q[prob.k] = Math.min(prob.rvBounds[1], Math.max(prob.rvBounds[0], q[prob.k]!));
  return q;
}

async function levenbergMarquardt(
  prob: Problem,
  p0: Float64Array,
  m: number,
  maxIter: number,
): Promise<{ p: Float64Array; ev: Eval; iterations: number; converged: boolean }> {
  let p = project(prob, p0);
  let ev = await evaluate(prob, p, m);
  let lambda = 1e-3;
  let converged = false;
  let it = 0;
  for (; it < maxIter && !converged; it++) {
    const A = normalMatrix(ev.J!, prob.n, m);
    const g = new Float64Array(m);
    for (let i = 0; i < prob.n; i++) for (let a = 0; a < m; a++) g[a]! += ev.J![i * m + a]! * ev.r[i]!;
    for (;;) {
      const M = Float64Array.from(A);
      for (let a = 0; a < m; a++) M[a * m + a]! += lambda * Math.max(A[a * m + a]!, 1e-12);
      const step = choSolve(cholesky(M, m, { jitter: 1e-12 * Math.max(1e-300, ...Array.from({ length: m }, (_, a) => A[a * m + a]!)) }), g);
      const q = project(
        prob,
        Float64Array.from(p, (v, a) => v + step[a]!),
      );
      const trial = await evaluate(prob, q, m);
      if (trial.chi2 <= ev.chi2) {
        const drop = ev.chi2 - trial.chi2;
        let moved = 0;
        for (let a = 0; a < m; a++) moved = Math.max(moved, Math.abs(q[a]! - p[a]!));
        p = q;
        ev = trial;
        lambda = Math.max(lambda / 3, 1e-9);
        if (drop <= 1e-9 * ev.chi2 + 1e-12 || moved < 1e-9) converged = true;
        break;
      }
      lambda *= 4;
      if (lambda > 1e12) {
        converged = true; // no downhill step left: at the (possibly bounded) minimum
        break;
      }
    }
  }
  return { p, ev, iterations: it, converged };
}
