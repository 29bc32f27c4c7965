import { ValueError } from '@astro/core';
import { EnsembleSampler, StretchMove, type EnsembleMove, type ProgressOption } from '@astro/bayes-ml';
import { Rng } from '@astro/core/nn';
import type { SpectralEmulator } from '../emulator.js';
import { fitSpectrum, type FitOptions, type SpectrumFit } from './fit.js';
import {
  emulateStridedRows,
  residuals,
  setupProblem,
  shift,
  type ObservedSpectrum,
  type Problem,
  type SpectrumModelOptions,
} from './problem.js';

/** Options of {@link sampleLabels}. */
export interface SampleLabelsOptions extends SpectrumModelOptions {
  /** Walkers of the ensemble (default max(32, 4m) for m parameters; at least 2m). */
  nWalkers?: number;
  /** Steps per walker (default 2000). */
  nSteps?: number;
  /** Steps discarded from the start of every walker as burn-in (default nSteps / 4). */
  burn?: number;
  /** Keep every `thin`-th step after burn-in (default 1). */
  thin?: number;
  /** Seed of the walkers' start and of the sampler (default 0). */
  seed?: number;
  /**
   * The least-squares fit the walkers start around (same data and options). Default: run
   * {@link fitSpectrum} first, with `fitOptions`.
   */
  start?: SpectrumFit;
  /** Options of the starting least-squares fit (starts, restarts, initialLabels, …). */
  fitOptions?: Omit<FitOptions, keyof SpectrumModelOptions>;
  /** Walkers start at N(best fit, (initialSpread·σ)²) per parameter, σ from the Hessian (default 0.1). */
  initialSpread?: number;
  /** Ensemble moves (bayes-ml `StretchMove`, `DEMove`, or weighted pairs); default the stretch move. */
  moves?: EnsembleMove | Array<[EnsembleMove, number]>;
  /** Progress on a TTY (`true`) or a callback per step. */
  progress?: ProgressOption;
  /** Abort the run (throws `AbortError`). */
  signal?: AbortSignal;
}

/** Posterior samples of the labels (and RV, continuum) of one spectrum; see {@link sampleLabels}. */
export interface LabelPosterior {
  /** Parameter names in sample order: labels, then `rv`, then `c0`…; and their units. */
  parameterNames: string[];
  parameterUnits: string[];
  /** Posterior samples [nSamples × nParameters], row-major, physical units (burn-in dropped, thinned). */
  samples: Float64Array;
  nSamples: number;
  nParameters: number;
  /** Per parameter: median, 16th and 84th percentiles, mean and standard deviation. */
  median: Float64Array;
  p16: Float64Array;
  p84: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  /** Mean fraction of accepted proposals over walkers (healthy: ≈ 0.2–0.5). */
  acceptanceFraction: number;
  /** Integrated autocorrelation time per parameter, in steps (emcee's estimator, after burn-in). */
  autocorrTime: Float64Array;
  /** True when every walker's kept chain is at least 50 τ long (emcee's rule for a trustworthy τ). */
  autocorrConverged: boolean;
  /** Effective number of independent samples per parameter: nWalkers·kept steps / τ. */
  effectiveSamples: Float64Array;
  /** The least-squares fit the walkers started from. */
  start: SpectrumFit;
  nWalkers: number;
  nSteps: number;
  burn: number;
  thin: number;
  /** Log-probabilities computed in batched emulator calls vs one vector at a time (diagnostic; always batched now). */
  evaluations: { batched: number; single: number };
}

/**
 * Sample the posterior of stellar labels (and optionally radial velocity and a multiplicative
 * Chebyshev continuum) given an observed spectrum, with the affine-invariant ensemble sampler of
 * `@astro/bayes-ml` (Goodman & Weare 2010; emcee, Foreman-Mackey et al. 2013).
 *
 * Likelihood: ln L = −χ²/2, the same χ² as {@link fitSpectrum} (masked/NaN pixels dropped,
 * Gaussian errors). Prior: uniform over the emulator's trained label box (the emulator is not
 * trusted outside it), uniform in `rvBoundsKms` for the velocity, flat (improper) in the
 * continuum coefficients. Walkers start in a small ball around the least-squares optimum; all
 * proposals of a half-ensemble are emulated in one batched call and read back asynchronously
 * (bayes-ml's `logProbBatch`), so it runs on every backend, webgpu included.
 *
 * @throws {ValueError} for bad chain settings (nWalkers < 2m, burn ≥ nSteps, …), and everything
 *   {@link fitSpectrum} throws for bad data.
 */
export async function sampleLabels(emu: SpectralEmulator, spec: ObservedSpectrum, opts: SampleLabelsOptions = {}): Promise<LabelPosterior> {
  const prob = setupProblem(emu, spec, opts);
  const { k } = prob;
  const m = k + (prob.fitRv ? 1 : 0) + prob.nc;
  const nWalkers = opts.nWalkers ?? Math.max(32, 4 * m);
  const nSteps = opts.nSteps ?? 2000;
  const burn = opts.burn ?? Math.floor(nSteps / 4);
  const thin = opts.thin ?? 1;
  if (!Number.isInteger(thin) || thin < 1) throw new ValueError(`sampleLabels: thin must be a positive integer, got ${thin}`);
  if (!Number.isInteger(nWalkers) || nWalkers < 2 * m)
    throw new ValueError(`sampleLabels: nWalkers must be an integer ≥ 2 × ${m} parameters, got ${nWalkers}`);
  if (!Number.isInteger(nSteps) || nSteps < 2) throw new ValueError(`sampleLabels: nSteps must be an integer ≥ 2, got ${nSteps}`);
  if (!Number.isInteger(burn) || burn < 0 || nSteps - burn < 2 * thin) {
    throw new ValueError(`sampleLabels: burn = ${burn} (thin ${thin}) leaves fewer than 2 samples of ${nSteps} steps`);
  }
  const spread = opts.initialSpread ?? 0.1;
  if (!(spread > 0)) throw new ValueError(`sampleLabels: initialSpread must be positive, got ${spread}`);

  const start = opts.start ?? (await fitSpectrum(emu, spec, { ...opts.fitOptions, ...modelOptions(opts) }));
  if (start.parameterNames.length !== m) {
    throw new ValueError(
      `sampleLabels: the start fit has ${start.parameterNames.length} parameters, this model has ${m} (same fitRv/continuumDegree?)`,
    );
  }
  const seed = opts.seed ?? 0;
  const evaluations = { batched: 0, single: 0 };
  const sampler = new EnsembleSampler({
    nWalkers,
    nDim: m,
    // one emulator call per half-ensemble, read back asynchronously (so webgpu works too)
    logProbBatch: (thetas, n, nDim) => {
      evaluations.batched += n;
      return logPosteriorBatch(prob, thetas, n, nDim);
    },
    moves: opts.moves ?? new StretchMove(),
    seed: seed + 1,
  });

  const p0 = initialBall(prob, start, m, nWalkers, spread, seed);
  await sampler.run(p0, nSteps, {
    ...(opts.progress === undefined ? {} : { progress: opts.progress }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });

  const flat = sampler.getChain({ discard: burn, thin, flat: true });
  const samples = flat.data;
  // scaled labels → physical units
  for (let s = 0; s < flat.n; s++) for (let j = 0; j < k; j++) samples[s * m + j] = prob.lo[j]! + samples[s * m + j]! * prob.span[j]!;
  const kept = Math.floor((nSteps - burn) / thin);
  let autocorrTime: Float64Array; // τ is invariant under the affine label scaling
  try {
    autocorrTime = sampler.getAutocorrTime({ discard: burn, thin, tol: 0 });
  } catch {
    autocorrTime = new Float64Array(m).fill(Infinity); // a walker never moved: a stuck chain
  }
  const stats = summarise(samples, flat.n, m);
  const acc = sampler.acceptanceFraction;
  const units = [...emu.domain.units, ...(prob.fitRv ? ['km/s'] : []), ...Array.from({ length: prob.nc }, () => '')];
  return {
    parameterNames: [...start.parameterNames],
    parameterUnits: units,
    samples,
    nSamples: flat.n,
    nParameters: m,
    ...stats,
    acceptanceFraction: acc.reduce((a, b) => a + b, 0) / acc.length,
    autocorrTime,
    autocorrConverged: autocorrTime.every((t) => Number.isFinite(t) && 50 * t <= kept * thin),
    effectiveSamples: Float64Array.from(autocorrTime, (t) => (nWalkers * kept * thin) / Math.max(t, thin)),
    start,
    nWalkers,
    nSteps,
    burn,
    thin,
    evaluations,
  };
}

function modelOptions(opts: SpectrumModelOptions): SpectrumModelOptions {
  const out: SpectrumModelOptions = {};
  if (opts.fitRv !== undefined) out.fitRv = opts.fitRv;
  if (opts.initialRvKms !== undefined) out.initialRvKms = opts.initialRvKms;
  if (opts.rvBoundsKms !== undefined) out.rvBoundsKms = opts.rvBoundsKms;
  if (opts.continuumDegree !== undefined) out.continuumDegree = opts.continuumDegree;
  if (opts.resample !== undefined) out.resample = opts.resample;
  return out;
}

/** True when θ = [u, rv?, c…] lies in the prior's support (u ∈ [0, 1]^k, rv within bounds). */
function inPrior(prob: Problem, theta: Float64Array, off: number): boolean {
  for (let j = 0; j < prob.k; j++) {
    const u = theta[off + j]!;
    if (!(u >= 0 && u <= 1)) return false;
  }
  if (prob.fitRv) {
    const rv = theta[off + prob.k]!;
    if (!(rv >= prob.rvBounds[0] && rv <= prob.rvBounds[1])) return false;
  }
  return true;
}

/** ln posterior (= −χ²/2 inside the prior box, −∞ outside) of n vectors, one emulator call. */
async function logPosteriorBatch(prob: Problem, thetas: Float64Array, n: number, m: number): Promise<Float64Array> {
  const out = new Float64Array(n).fill(-Infinity);
  const inside: number[] = [];
  for (let r = 0; r < n; r++) if (inPrior(prob, thetas, r * m)) inside.push(r);
  if (inside.length === 0) return out;
  const rows = new Float64Array(inside.length * m);
  inside.forEach((r, i) => rows.set(thetas.subarray(r * m, (r + 1) * m), i * m));
  const P = prob.emu.numPixels;
  const flux = await emulateStridedRows(prob, rows, inside.length, m);
  inside.forEach((r, i) => {
    const p = rows.subarray(i * m, (i + 1) * m);
    const shifted = shift(prob, flux.subarray(i * P, (i + 1) * P), prob.fitRv ? p[prob.k]! : 0);
    out[r] = -0.5 * residuals(prob, shifted, p).chi2;
  });
  return out;
}

/** nWalkers starting points N(best, (spread·σ)²) in sampler coordinates, redrawn until inside the prior. */
function initialBall(prob: Problem, start: SpectrumFit, m: number, nWalkers: number, spread: number, seed: number): Float64Array {
  const best = new Float64Array(m);
  const sigma = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const isLabel = j < prob.k;
    const value = isLabel ? start.labels[j]! : j === prob.k && prob.fitRv ? start.rvKms! : start.continuum![j - m + prob.nc]!;
    const scale = isLabel ? prob.span[j]! : 1;
    best[j] = isLabel ? (value - prob.lo[j]!) / scale : value;
    const sd = Math.sqrt(start.covariance[j * m + j]!) / scale;
    sigma[j] = Number.isFinite(sd) && sd > 0 ? sd : 1e-4;
  }
  // keep the optimum itself inside the support, so a ball around an edge optimum can be drawn
  for (let j = 0; j < prob.k; j++) best[j] = Math.min(1 - 1e-9, Math.max(1e-9, best[j]!));
  const rng = new Rng(seed);
  const p0 = new Float64Array(nWalkers * m);
  for (let w = 0; w < nWalkers; w++) {
    for (let tries = 0; ; tries++) {
      for (let j = 0; j < m; j++) p0[w * m + j] = best[j]! + spread * sigma[j]! * rng.normal() * (tries < 100 ? 1 : 0.5 ** (tries - 99));
      if (inPrior(prob, p0, w * m)) break;
    }
  }
  return p0;
}

/** Median, 16/84th percentiles (linear interpolation, as numpy.percentile), mean and sd per column. */
function summarise(samples: Float64Array, n: number, m: number): Pick<LabelPosterior, 'median' | 'p16' | 'p84' | 'mean' | 'std'> {
  const median = new Float64Array(m);
  const p16 = new Float64Array(m);
  const p84 = new Float64Array(m);
  const mean = new Float64Array(m);
  const std = new Float64Array(m);
  const col = new Float64Array(n);
  const pct = (q: number): number => {
    const x = (q / 100) * (n - 1);
    const i = Math.floor(x);
    const f = x - i;
    return i + 1 < n ? col[i]! * (1 - f) + col[i + 1]! * f : col[i]!;
  };
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += col[r] = samples[r * m + j]!;
    const mu = s / n;
    let v = 0;
    for (let r = 0; r < n; r++) v += (col[r]! - mu) ** 2;
    col.sort();
    mean[j] = mu;
    std[j] = Math.sqrt(v / Math.max(1, n - 1));
    median[j] = pct(50);
    p16[j] = pct(16);
    p84[j] = pct(84);
  }
  return { median, p16, p84, mean, std };
}
