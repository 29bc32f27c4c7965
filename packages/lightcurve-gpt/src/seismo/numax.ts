/**
 * Classical ν_max estimator, SYD/pySYD-style: the light curve is put on its cadence grid
 * (sorted, repeated stamps merged, jitter binned), its power density computed by FFT, binned
 * logarithmically, and fitted by maximum likelihood (Whittle / χ²₂ likelihood, Anderson,
 * Duvall & Jefferies 1990) with white noise + two Harvey granulation profiles, with and
 * without a Gaussian oscillation envelope, all apodised by sinc²(πν/2ν_Nyq) (Kallinger et al.
 * 2014, A&A 570, A41). Starts come from the Kallinger et al. 2014 granulation scalings on a
 * grid of trial ν_max; the envelope is searched only below 0.9 ν_Nyq. Detection statistic:
 * 2ΔlnL of the envelope over the background-only fit, against a threshold calibrated on
 * simulated granulation + white noise. The outcome is honest: a detection with ν_max ± σ
 * (inverse Hessian of the likelihood) or no detection with the reason.
 */
import { ShapeError, ValueError } from '@astro/core';
import { inverse, minimizeLbfgs, numericHessian } from '@astro/core/linalg';
import type { LightCurve } from '../lightcurve.js';
import { binToCadence, type HygieneReport } from '../prep/hygiene.js';
import { apodization2, backgroundModel, type BackgroundParams } from './background.js';
import { findHarmonicComb } from './harmonics.js';
import { powerDensity, type PowerSpectrum } from './psd.js';
import { envelopeHeight } from '../simulate/scaling.js';

/**
 * Default detection threshold on 2ΔlnL. Calibrated on simulated granulation + white noise
 * (no oscillations) at Kepler long and short cadence: see the package README.
 */
export const NUMAX_DETECTION_THRESHOLD = 30;

/** Options of {@link estimateNumax}. */
export interface NumaxOptions {
  /** Lowest frequency fitted (μHz; default max(10/T, 1)). */
  minFrequencyMicroHz?: number;
  /** Highest frequency fitted (μHz; default the Nyquist frequency). */
  maxFrequencyMicroHz?: number;
  /** Width of the logarithmic bins in ln ν (default 0.02). */
  binWidthLn?: number;
  /** Number of trial ν_max starting points, log-spaced over the search range (default 12). */
  trials?: number;
  /** Detection threshold on 2ΔlnL (default {@link NUMAX_DETECTION_THRESHOLD}). */
  threshold?: number;
}

/** Why {@link estimateNumax} reported no detection. */
export type NoDetectionCode = 'flat' | 'too-short' | 'below-threshold' | 'search-edge' | 'near-nyquist' | 'harmonics' | 'implausible';

/** What both outcomes of {@link estimateNumax} report. */
export interface NumaxCommon {
  /** Detection statistic: 2ΔlnL of the best envelope fit over the background-only fit (≥ 0; 0 when nothing was fitted). */
  statistic: number;
  /** Same as {@link NumaxCommon.statistic} (name kept for older callers). */
  deltaLogLikelihood2: number;
  /** Threshold the statistic was compared with. */
  threshold: number;
  /** Cadence found (days) and its Nyquist frequency 1/(2Δt) (μHz). */
  cadenceDays: number;
  nyquistMicroHz: number;
  /** Frequency range fitted and range searched for the envelope centre (μHz). */
  fitRangeMicroHz: [number, number];
  searchRangeMicroHz: [number, number];
  /** What the input hygiene changed (sorting, merged repeated stamps, jitter binned). */
  preparation: HygieneReport;
  /** Warnings an asteroseismologist would want to read (super-Nyquist aliases, envelope possibly above Nyquist). */
  notes: string[];
  /** The power spectrum (absent when the series was flat or too short to compute one). */
  spectrum?: PowerSpectrum;
  /** Background-only fit (absent when nothing was fitted). */
  background?: BackgroundParams;
}

/** A detected oscillation envelope. */
export interface NumaxDetection extends NumaxCommon {
  detected: true;
  /** Frequency of maximum oscillation power (μHz). */
  numaxMicroHz: number;
  /** 1σ uncertainty of ν_max (μHz) from the inverse Hessian of the likelihood. */
  numaxErrMicroHz: number;
  /** Fitted background and envelope. */
  fit: BackgroundParams;
  /** Height-to-background ratio of the envelope at ν_max. */
  heightToBackground: number;
}

/** No oscillation envelope detected, and why. */
export interface NumaxNonDetection extends NumaxCommon {
  detected: false;
  /** Machine-readable reason. */
  code: NoDetectionCode;
  /** One-line human-readable reason. */
  reason: string;
  /** Centre of the best (rejected) envelope fit, when one was fitted (μHz). */
  candidateNumaxMicroHz?: number;
}

/** Outcome of {@link estimateNumax}: check `detected` before reading ν_max. */
export type NumaxResult = NumaxDetection | NumaxNonDetection;

interface Binned {
  nu: Float64Array;
  p: Float64Array;
  w: Float64Array;
  eta2: Float64Array;
}

function logBin(s: PowerSpectrum, lo: number, hi: number, width: number): Binned {
  const nu: number[] = [];
  const p: number[] = [];
  const w: number[] = [];
  let edge = Math.log(lo);
  let sumF = 0;
  let sumP = 0;
  let n = 0;
  for (let k = 0; k < s.frequencyMicroHz.length; k++) {
    const f = s.frequencyMicroHz[k]!;
    if (f < lo || f > hi) continue;
    if (Math.log(f) >= edge + width && n > 0) {
      nu.push(sumF / n);
      p.push(sumP / n);
      w.push(n / s.oversampling);
      sumF = sumP = n = 0;
      edge = Math.log(f);
    }
    sumF += f;
    sumP += s.power[k]!;
    n++;
  }
  if (n > 0) {
    nu.push(sumF / n);
    p.push(sumP / n);
    w.push(n / s.oversampling);
  }
  const nuA = Float64Array.from(nu);
  return { nu: nuA, p: Float64Array.from(p), w: Float64Array.from(w), eta2: nuA.map((f) => apodization2(f, s.nyquistMicroHz)) };
}

/** Envelope width σ ≈ 0.28 ν_max^0.88 μHz: FWHM 0.66 ν_max^0.88 (Mosser et al. 2012) over 2√(2 ln 2). */
const SIGMA_COEF = 0.66 / (2 * Math.sqrt(2 * Math.LN2));
const SIGMA_EXP = 0.88;

/** Harvey components in the background: a slow one (activity, rotation, instrumental drift) and two granulation ones (Kallinger et al. 2014). */
const K = 3;
/** Index of ln H, ln ν_max and ln(σ/σ_Mosser) in the parameter vector. */
const IH = 1 + 2 * K;
const IMU = IH + 1;
const ISIG = IH + 2;

// Parameter vector (all logs): [W, a₀, b₀, a₁, b₁, a₂, b₂, H, ν_max, σ/σ_Mosser(ν_max)]
function unpack(x: ArrayLike<number>, withEnvelope: boolean): BackgroundParams {
  const e = Math.exp;
  const p: BackgroundParams = {
    white: e(x[0]!),
    harvey: Array.from({ length: K }, (_, j) => ({ amplitude: e(x[1 + 2 * j]!), frequencyMicroHz: e(x[2 + 2 * j]!) })),
  };
  if (withEnvelope)
    p.envelope = { height: e(x[IH]!), numaxMicroHz: e(x[IMU]!), sigmaMicroHz: SIGMA_COEF * e(x[IMU]!) ** SIGMA_EXP * e(x[ISIG]!) };
  return p;
}

/** Negative log-likelihood Σ wᵢ (ln mᵢ + pᵢ/mᵢ) and, when `g` is given, its analytic gradient in the log parameters. */
function nll(b: Binned, x: ArrayLike<number>, withEnvelope: boolean, g?: Float64Array): number {
  const W = Math.exp(x[0]!);
  const amp = new Float64Array(K);
  const fc = new Float64Array(K);
  const h = new Float64Array(K);
  const u = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    amp[j] = Math.exp(x[1 + 2 * j]!);
    fc[j] = Math.exp(x[2 + 2 * j]!);
  }
  const H = withEnvelope ? Math.exp(x[IH]!) : 0;
  const mu = withEnvelope ? Math.exp(x[IMU]!) : 1;
  const sig = withEnvelope ? SIGMA_COEF * mu ** SIGMA_EXP * Math.exp(x[ISIG]!) : 1;
  const s2 = sig * sig;
  if (g) g.fill(0);
  let s = 0;
  for (let i = 0; i < b.nu.length; i++) {
    const nu = b.nu[i]!;
    const eta = b.eta2[i]!;
    let hs = 0;
    for (let j = 0; j < K; j++) {
      const q = (nu / fc[j]!) ** 4;
      u[j] = q;
      h[j] = amp[j]! / (1 + q);
      hs += h[j]!;
    }
    const d = nu - mu;
    const E = withEnvelope ? (-d * d) / (2 * s2) : 0;
    const gs = withEnvelope ? H * Math.exp(E) : 0;
    const m = W + eta * (hs + gs);
    const wi = b.w[i]!;
    const pi = b.p[i]!;
    s += wi * (Math.log(m) + pi / m);
    if (g) {
      const c = (wi * (m - pi)) / (m * m);
      g[0]! += c * W;
      for (let j = 0; j < K; j++) {
        g[1 + 2 * j]! += c * eta * h[j]!;
        g[2 + 2 * j]! += (c * eta * h[j]! * 4 * u[j]!) / (1 + u[j]!);
      }
      if (withEnvelope) {
        g[IH]! += c * eta * gs;
        g[IMU]! += (c * eta * gs * d * (mu + SIGMA_EXP * d)) / s2;
        g[ISIG]! += c * eta * gs * -2 * E;
      }
    }
  }
  return s;
}

function fitFrom(b: Binned, x0: Float64Array, withEnvelope: boolean, bounds: [number, number][]): { x: Float64Array; f: number } {
  const n = x0.length;
  const clipped = Float64Array.from(x0, (v, j) => Math.min(Math.max(v, bounds[j]![0]), bounds[j]![1]));
  const r = minimizeLbfgs((x, g) => nll(b, x, withEnvelope, g), clipped, {
    bounds: bounds.slice(0, n),
    maxIterations: 500,
    ftol: 1e-13,
    gtol: 1e-7,
  });
  return { x: r.x, f: r.f };
}

/**
 * Highest frequency (μHz, below hi/3) where the mean power over ln ν ± 0.2 (≥ 10 independent
 * frequencies) falls under a quarter of the white-noise level: a real spectrum never drops below its
 * white noise, a high-pass-filtered light curve does. Null when there is no such frequency.
 */
function highPassCutoff(b: Binned, white: number, hi: number): number | null {
  let cut: number | null = null;
  let j0 = 0;
  let j1 = 0;
  let sp = 0;
  let sw = 0;
  for (let i = 0; i < b.nu.length && b.nu[i]! < hi / 3; i++) {
    const l = Math.log(b.nu[i]!);
    while (j1 < b.nu.length && Math.log(b.nu[j1]!) <= l + 0.2) {
      sp += b.p[j1]! * b.w[j1]!;
      sw += b.w[j1]!;
      j1++;
    }
    while (Math.log(b.nu[j0]!) < l - 0.2) {
      sp -= b.p[j0]! * b.w[j0]!;
      sw -= b.w[j0]!;
      j0++;
    }
    if (sw >= 10 && sp / sw < 0.25 * white) cut = b.nu[i]!;
  }
  return cut;
}

function meanPowerNear(b: Binned, nu: number): number {
  let best = 0;
  for (let i = 1; i < b.nu.length; i++) if (Math.abs(b.nu[i]! - nu) < Math.abs(b.nu[best]! - nu)) best = i;
  let s = 0;
  let c = 0;
  for (let i = Math.max(0, best - 3); i <= Math.min(b.nu.length - 1, best + 3); i++) {
    s += b.p[i]!;
    c++;
  }
  return s / c;
}

/**
 * Estimate ν_max (μHz) of a solar-like oscillator from its light curve (flux in ppm or any
 * relative unit; normalise with `normalizePpm` first). Accepts real photometry as it comes:
 * unsorted, repeated or jittering time stamps are sorted, merged and binned onto the cadence
 * grid (counted in `preparation`). The cadence sets the Nyquist frequency and the envelope is
 * searched below 0.9 ν_Nyq, so long (29.4 min, ν_Nyq 283 μHz) and short (58.85 s) cadence need
 * no options. Returns `{ detected: true, numaxMicroHz, numaxErrMicroHz, … }` or
 * `{ detected: false, code, reason, statistic, … }` — a flat, too short or noise-only light
 * curve is a non-detection, not an error. Throws `ShapeError` for unequal lengths or no points,
 * `ValueError` for NaN/Inf values or options that leave an empty frequency range.
 */
export function estimateNumax(lc: LightCurve, opts: NumaxOptions = {}): NumaxResult {
  const threshold = opts.threshold ?? NUMAX_DETECTION_THRESHOLD;
  if (!(threshold >= 0)) throw new ValueError(`threshold must be ≥ 0, got ${threshold}`);
  const trials = opts.trials ?? 12;
  if (!Number.isInteger(trials) || trials < 1) throw new ValueError(`trials must be a positive integer, got ${trials}`);
  const binWidth = opts.binWidthLn ?? 0.02;
  if (!(binWidth > 0 && binWidth < 1)) throw new ValueError(`binWidthLn must be in (0, 1), got ${binWidth}`);
  for (const k of ['minFrequencyMicroHz', 'maxFrequencyMicroHz'] as const) {
    const v = opts[k];
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new ValueError(`${k} must be finite and > 0, got ${v}`);
  }
  const gridded = binToCadence(lc);
  const cadence = gridded.report.cadenceDays;
  const nyq = 1e6 / (2 * cadence * 86400);
  const T = gridded.cells * cadence;
  const base = { threshold, cadenceDays: cadence, nyquistMicroHz: nyq, preparation: gridded.report };
  const none = (
    code: NoDetectionCode,
    reason: string,
    extra: Partial<NumaxNonDetection> & { fitRangeMicroHz: [number, number]; searchRangeMicroHz: [number, number] },
  ): NumaxNonDetection => ({
    detected: false,
    code,
    reason,
    statistic: 0,
    deltaLogLikelihood2: 0,
    notes: [],
    ...base,
    ...extra,
  });
  const flux = gridded.lightCurve.flux;
  let mean = 0;
  for (const v of flux) mean += v;
  mean /= flux.length;
  let variance = 0;
  for (const v of flux) variance += (v - mean) ** 2;
  variance /= flux.length;
  const lo0 = opts.minFrequencyMicroHz ?? Math.max(10 / (T * 0.0864), 1);
  const hi = Math.min(opts.maxFrequencyMicroHz ?? nyq, nyq);
  const rangesFor = (lo: number): { fitRangeMicroHz: [number, number]; searchRangeMicroHz: [number, number] } => ({
    fitRangeMicroHz: [lo, hi],
    searchRangeMicroHz: [lo * 1.5, Math.min(hi, 0.9 * nyq)],
  });
  if (!(variance > 1e-24 * Math.max(1, mean * mean)))
    return none('flat', `the flux is constant (variance ${variance.toExponential(2)}): no signal to analyse`, rangesFor(lo0));
  if (gridded.report.kept < 64) return none('too-short', `only ${gridded.report.kept} cadences; need ≥ 64`, rangesFor(lo0));
  const early: string[] = [];
  let grid = gridded;
  if (Math.abs(mean) > 10 * Math.sqrt(variance)) {
    // Absolute flux (e⁻/s, or relative flux about 1): relative variations in ppm about the median.
    const med = Float64Array.from(flux).sort()[Math.floor(flux.length / 2)]!;
    grid = { ...gridded, lightCurve: { timeDays: gridded.lightCurve.timeDays, flux: flux.map((v) => 1e6 * (v / med - 1)) } };
    early.push(
      `the flux was not in relative units (median ${med.toPrecision(6)} ≫ scatter ${Math.sqrt(variance).toPrecision(3)}): converted to ppm about the median`,
    );
  }
  const tooShort = (lo: number): string | null => {
    const [envLo, envHi] = rangesFor(lo).searchRangeMicroHz;
    return envHi > envLo * 1.5
      ? null
      : `search range ${envLo.toPrecision(4)}–${envHi.toPrecision(4)} μHz is empty: light curve too short (${T.toFixed(2)} d) or cadence too long for these limits`;
  };
  const short0 = tooShort(lo0);
  if (short0) {
    if (opts.minFrequencyMicroHz !== undefined || opts.maxFrequencyMicroHz !== undefined) throw new ValueError(short0);
    return none('too-short', short0, rangesFor(lo0));
  }
  const spectrum = powerDensity(lc, { gridded: grid });
  let lo = lo0;
  let b = logBin(spectrum, lo, hi, binWidth);
  if (b.nu.length < 20)
    return none('too-short', `only ${b.nu.length} frequency bins between ${lo.toPrecision(4)} and ${hi.toPrecision(4)} μHz; need ≥ 20`, {
      ...rangesFor(lo),
      spectrum,
    });
  if (opts.minFrequencyMicroHz === undefined) {
    const cut = highPassCutoff(b, meanPowerNear(b, hi * 0.95), hi);
    if (cut !== null && !tooShort(2 * cut)) {
      lo = 2 * cut;
      b = logBin(spectrum, lo, hi, binWidth);
      early.push(
        `the light curve looks high-pass filtered below ≈ ${cut.toPrecision(3)} μHz (power below the white-noise level there): fitted from ${lo.toPrecision(3)} μHz, so a lower ν_max cannot be measured`,
      );
    }
  }
  const ranges = rangesFor(lo);
  const [envLo, envHi] = ranges.searchRangeMicroHz;
  const white = Math.max(meanPowerNear(b, hi * 0.95), 1e-300);
  const L = Math.log;
  const pMax = Math.max(...b.p);
  const harveyBounds: [number, number][] = [
    [L(white) - 12, L(pMax) + 8],
    [L(lo * 0.2), L(hi)],
  ];
  const bounds: [number, number][] = [
    [L(white) - 12, L(white) + 5],
    ...Array.from({ length: K }, () => harveyBounds).flat(),
    [L(white) - 20, L(pMax) + 5],
    [L(envLo), L(envHi)],
    [L(0.5), L(2)],
  ];
  const starts = Array.from({ length: trials }, (_, k) => Math.exp(L(envLo) + ((L(envHi) - L(envLo)) * (k + 0.5)) / trials));
  const clampB = (v: number): number => Math.min(Math.max(v, lo * 0.3), hi * 0.9);
  let bestBg: { x: Float64Array; f: number } | undefined;
  let best: { x: Float64Array; f: number } | undefined;
  for (const nm of starts) {
    const b1 = 0.317 * nm ** 0.97;
    const b2 = 0.948 * nm ** 0.992;
    const a1 = Math.max(meanPowerNear(b, Math.max(b1, lo)) - white, white);
    const a2 = Math.max(meanPowerNear(b, b2) - white, white * 0.5);
    const a0 = Math.max(meanPowerNear(b, lo * 1.2) - white, white);
    const bg = fitFrom(b, Float64Array.from([L(white), L(a0), L(lo * 1.5), L(a1), L(clampB(b1)), L(a2), L(clampB(b2))]), false, bounds);
    if (!bestBg || bg.f < bestBg.f) bestBg = bg;
    const prm = unpack(bg.x, false);
    const bgAt = backgroundModel(prm, nm, nyq);
    const excess = Math.max(meanPowerNear(b, nm) - bgAt, 0.1 * bgAt);
    const full = fitFrom(b, Float64Array.from([...bg.x, L(excess / apodization2(nm, nyq)), L(nm), 0]), true, bounds);
    if (!best || full.f < best.f) best = full;
  }
  const statistic = Math.max(0, 2 * (bestBg!.f - best!.f));
  const fit = unpack(best!.x, true);
  const background = unpack(bestBg!.x, false);
  const env = fit.envelope!;
  const common = { ...base, ...ranges, statistic, deltaLogLikelihood2: statistic, spectrum, background, notes: early };
  const aboveNote = `a ν_max above ${envHi.toPrecision(4)} μHz (0.9 × the Nyquist frequency ${nyq.toPrecision(4)} μHz) cannot be measured at this cadence: the envelope could lie above Nyquist (main-sequence and subgiant stars need short cadence)`;
  const reject = (code: NoDetectionCode, reason: string): NumaxNonDetection => {
    const notes = nyq < 1500 ? [...early, aboveNote] : early;
    return { ...common, notes, detected: false, code, reason, candidateNumaxMicroHz: env.numaxMicroHz };
  };
  if (statistic < threshold)
    return reject('below-threshold', `no significant power excess (2ΔlnL = ${statistic.toFixed(1)} < ${threshold})`);
  const atEdge = (v: number, edge: number): boolean => Math.abs(L(v) - L(edge)) < 0.02;
  if (atEdge(env.numaxMicroHz, envHi))
    return reject(
      'near-nyquist',
      `the power excess sits at the top of the search range (${envHi.toPrecision(4)} μHz = 0.9 × Nyquist): an envelope above Nyquist or an instrumental rise, not a measurable ν_max`,
    );
  if (atEdge(env.numaxMicroHz, envLo))
    return reject(
      'search-edge',
      `the power excess sits at the low edge of the search range (${envLo.toPrecision(4)} μHz): unmodelled low-frequency power, not an oscillation envelope`,
    );
  const expectedH = envelopeHeight(env.numaxMicroHz);
  if (env.height > 30 * expectedH)
    return reject(
      'implausible',
      `the power excess at ${env.numaxMicroHz.toPrecision(4)} μHz is ${(env.height / expectedH).toFixed(0)}× higher than solar-like oscillations at that ν_max reach (H ≈ 2.03e7 ν_max^−2.38 ppm²/μHz, Mosser et al. 2012): not an oscillation envelope`,
    );
  const comb = findHarmonicComb(
    spectrum,
    (nu) => backgroundModel({ white: fit.white, harvey: fit.harvey }, nu, nyq),
    env.numaxMicroHz,
    env.sigmaMicroHz,
  );
  if (comb)
    return reject(
      'harmonics',
      `the power excess at ${env.numaxMicroHz.toPrecision(4)} μHz is ${(100 * comb.fraction).toFixed(0)} % harmonics of a strong signal at ${comb.f0MicroHz.toPrecision(5)} μHz (period ${(1e6 / comb.f0MicroHz / 86400).toPrecision(4)} d), not oscillations`,
    );
  // Observed information: numeric Hessian of the NLL in the log parameters → σ(ln ν_max).
  const n = best!.x.length;
  let varLn: number;
  try {
    const Hm = numericHessian((x) => nll(b, x, true), best!.x, 1e-4);
    varLn = inverse(Hm, n)[IMU * n + IMU]!;
    if (!(varLn > 0)) throw new ShapeError('not positive');
  } catch {
    const eps = 1e-4;
    const x = Float64Array.from(best!.x);
    const f0 = nll(b, x, true);
    x[IMU] = best!.x[IMU]! + eps;
    const fp = nll(b, x, true);
    x[IMU] = best!.x[IMU]! - eps;
    const fm = nll(b, x, true);
    varLn = (eps * eps) / Math.max(fp - 2 * f0 + fm, 1e-300);
  }
  const notes = [...early];
  if (env.numaxMicroHz > 0.5 * nyq)
    notes.push(
      `ν_max is above half the Nyquist frequency: a super-Nyquist envelope at 2ν_Nyq − ν_max = ${(2 * nyq - env.numaxMicroHz).toPrecision(4)} μHz would look the same in this spectrum (Chaplin et al. 2014)`,
    );
  const bgAtNumax = backgroundModel({ white: fit.white, harvey: fit.harvey }, env.numaxMicroHz, nyq);
  return {
    ...common,
    notes,
    detected: true,
    numaxMicroHz: env.numaxMicroHz,
    numaxErrMicroHz: env.numaxMicroHz * Math.sqrt(varLn),
    fit,
    heightToBackground: (env.height * apodization2(env.numaxMicroHz, nyq)) / bgAtNumax,
  };
}
