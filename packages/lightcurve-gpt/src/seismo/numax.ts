/**
 * Classical ν_max estimator: FFT power density → logarithmic binning → maximum-likelihood
 * fit (Whittle / χ²₂ likelihood, Anderson, Duvall & Jefferies 1990) of white noise plus two
 * Harvey granulation profiles plus a Gaussian envelope (Kallinger et al. 2014), started
 * from the Kallinger et al. 2014 scalings b₁ ≈ 0.317 ν_max^0.970, b₂ ≈ 0.948 ν_max^0.992 on
 * a grid of trial ν_max, best likelihood kept. Uncertainty from the inverse Hessian.
 */
import { ValueError } from '@astro/core';
import { inverse, minimizeLbfgs } from '@astro/core/linalg';
import { validateLightCurve, type LightCurve } from '../lightcurve.js';
import { apodization2, backgroundModel, type BackgroundParams } from './background.js';
import { powerDensity, type PowerSpectrum } from './psd.js';

/** Options of {@link estimateNumax}. */
export interface NumaxOptions {
  /** Lowest frequency fitted (μHz; default max(10/T, 1)). */
  minFrequencyMicroHz?: number;
  /** Highest frequency fitted (μHz; default the Nyquist frequency). */
  maxFrequencyMicroHz?: number;
  /** Width of the logarithmic bins in ln ν (default 0.01). */
  binWidthLn?: number;
  /** Number of trial ν_max starting points, log-spaced over the fitted range (default 24). */
  trials?: number;
}

/** Result of {@link estimateNumax}. */
export interface NumaxResult {
  /** Frequency of maximum oscillation power (μHz). */
  numaxMicroHz: number;
  /** 1σ uncertainty of ν_max (μHz) from the inverse Hessian of the likelihood. */
  numaxErrMicroHz: number;
  /** Fitted background and envelope. */
  fit: BackgroundParams;
  /** Height-to-background ratio of the envelope at ν_max. */
  heightToBackground: number;
  /** The power spectrum that was fitted. */
  spectrum: PowerSpectrum;
  /** Twice the log-likelihood gain of the envelope over the background-only fit (a detection statistic). */
  deltaLogLikelihood2: number;
}

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

// Parameter vector (all logs): [W, a1, b1, a2, b2, H, numax, sigma/numax]
function unpack(x: Float64Array, withEnvelope: boolean): BackgroundParams {
  const e = Math.exp;
  const p: BackgroundParams = {
    white: e(x[0]!),
    harvey: [
      { amplitude: e(x[1]!), frequencyMicroHz: e(x[2]!) },
      { amplitude: e(x[3]!), frequencyMicroHz: e(x[4]!) },
    ],
  };
  if (withEnvelope) p.envelope = { height: e(x[5]!), numaxMicroHz: e(x[6]!), sigmaMicroHz: e(x[6]!) * e(x[7]!) };
  return p;
}

function nll(b: Binned, x: Float64Array, withEnvelope: boolean, nyq: number): number {
  const prm = unpack(x, withEnvelope);
  let s = 0;
  for (let i = 0; i < b.nu.length; i++) {
    const m = backgroundModel(prm, b.nu[i]!, nyq);
    s += b.w[i]! * (Math.log(m) + b.p[i]! / m);
  }
  return s;
}

function fitFrom(b: Binned, x0: Float64Array, withEnvelope: boolean, nyq: number, bounds: [number, number][]): { x: Float64Array; f: number } {
  const n = x0.length;
  const h = 1e-5;
  const fg = (x: Float64Array, g: Float64Array): number => {
    const f0 = nll(b, x, withEnvelope, nyq);
    const xx = Float64Array.from(x);
    for (let j = 0; j < n; j++) {
      xx[j] = x[j]! + h;
      const fp = nll(b, xx, withEnvelope, nyq);
      xx[j] = x[j]! - h;
      const fm = nll(b, xx, withEnvelope, nyq);
      xx[j] = x[j]!;
      g[j] = (fp - fm) / (2 * h);
    }
    return f0;
  };
  const r = minimizeLbfgs(fg, x0, { bounds: bounds.slice(0, n), maxIterations: 400, ftol: 1e-12, gtol: 1e-6 });
  return { x: r.x, f: r.f };
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
 * relative unit; normalise with `normalizePpm` first). Throws `ValueError` when the light
 * curve is too short or the fitted range is empty.
 */
export function estimateNumax(lc: LightCurve, opts: NumaxOptions = {}): NumaxResult {
  validateLightCurve(lc, 'light curve', 64);
  const spectrum = powerDensity(lc);
  const T = lc.timeDays[lc.timeDays.length - 1]! - lc.timeDays[0]!;
  const nyq = spectrum.nyquistMicroHz;
  const lo = opts.minFrequencyMicroHz ?? Math.max(10 / (T * 0.0864), 1);
  const hi = Math.min(opts.maxFrequencyMicroHz ?? nyq, nyq);
  if (!(hi > lo * 1.5)) throw new ValueError(`fitted range ${lo}–${hi} μHz is empty: light curve too short (${T.toFixed(2)} d) or cadence too long for these limits`);
  const b = logBin(spectrum, lo, hi, opts.binWidthLn ?? 0.02);
  if (b.nu.length < 20) throw new ValueError(`only ${b.nu.length} frequency bins between ${lo} and ${hi} μHz; need ≥ 20`);
  const white = Math.max(meanPowerNear(b, hi * 0.95), 1e-30);
  const L = Math.log;
  const bounds: [number, number][] = [
    [L(white) - 10, L(white) + 10],
    [-30, 40],
    [L(lo * 0.2), L(hi)],
    [-30, 40],
    [L(lo * 0.2), L(hi)],
    [-30, 40],
    [L(lo * 1.2), L(hi * 0.95)],
    [L(0.04), L(0.2)],
  ];
  const trials = opts.trials ?? 12;
  let best: { x: Float64Array; f: number } | undefined;
  let bestBg = Infinity;
  for (let k = 0; k < trials; k++) {
    const nm = Math.exp(L(lo * 1.5) + ((L(hi * 0.9) - L(lo * 1.5)) * (k + 0.5)) / trials);
    const b1 = 0.317 * nm ** 0.97;
    const b2 = 0.948 * nm ** 0.992;
    const clampB = (v: number): number => Math.min(Math.max(v, lo * 0.3), hi * 0.9);
    const a1 = Math.max(2 * (meanPowerNear(b, Math.max(b1, lo)) - white), white);
    const a2 = Math.max(2 * (meanPowerNear(b, b2) - white), white * 0.5);
    const bgOnly = fitFrom(b, Float64Array.from([L(white), L(a1), L(clampB(b1)), L(a2), L(clampB(b2))]), false, nyq, bounds);
    bestBg = Math.min(bestBg, bgOnly.f);
    const prm = unpack(bgOnly.x, false);
    const excess = Math.max(meanPowerNear(b, nm) - backgroundModel(prm, nm, nyq), 0.1 * backgroundModel(prm, nm, nyq));
    const x0 = Float64Array.from([...bgOnly.x, L(excess / apodization2(nm, nyq)), L(nm), L(0.12)]);
    const full = fitFrom(b, x0, true, nyq, bounds);
    if (!best || full.f < best.f) best = full;
  }
  const x = best!.x;
  const fit = unpack(x, true);
  // Observed information: numeric Hessian of the NLL in the log parameters.
  const n = x.length;
  const h = 1e-3;
  const H = new Float64Array(n * n);
  const f0 = nll(b, x, true, nyq);
  const at = (d: [number, number][]): number => {
    const xx = Float64Array.from(x);
    for (const [j, s] of d) xx[j] = xx[j]! + s;
    return nll(b, xx, true, nyq);
  };
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = i === j
        ? (at([[i, h]]) - 2 * f0 + at([[i, -h]])) / (h * h)
        : (at([[i, h], [j, h]]) - at([[i, h], [j, -h]]) - at([[i, -h], [j, h]]) + at([[i, -h], [j, -h]])) / (4 * h * h);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  let varLn = NaN;
  try {
    varLn = inverse(H, n)[6 * n + 6]!;
  } catch {
    varLn = 1 / H[6 * n + 6]!;
  }
  const env = fit.envelope!;
  const numaxErr = env.numaxMicroHz * Math.sqrt(Math.max(varLn, 0));
  const bgAtNumax = backgroundModel({ white: fit.white, harvey: fit.harvey }, env.numaxMicroHz, nyq);
  return {
    numaxMicroHz: env.numaxMicroHz,
    numaxErrMicroHz: numaxErr,
    fit,
    heightToBackground: (env.height * apodization2(env.numaxMicroHz, nyq)) / bgAtNumax,
    spectrum,
    deltaLogLikelihood2: 2 * (bestBg - best!.f),
  };
}
