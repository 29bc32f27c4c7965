/**
 * Simulated populations for measuring a ν_max estimator's completeness and false-alarm rate:
 * stars from the package simulator (`simulateStar`) made as messy as real photometry (random
 * gaps, sub-cadence time-stamp jitter, repeated stamps), granulation-plus-noise stars with no
 * oscillations, and the detection statistic each star is expected to give.
 */
import { Rng, ValueError } from '@astro/core';
import { SECONDS_PER_DAY, type LightCurve } from '../lightcurve.js';
import { envelopeFwhm, envelopeHeight, granulation, loggFromNumax } from '../simulate/scaling.js';
import { CADENCE_DAYS, simulateStar } from '../simulate/simulate.js';
import { apodization2 } from './background.js';
import { fftInPlace, nextPow2 } from './fft.js';

/** What makes a simulated light curve look like real photometry. */
export interface Messiness {
  /** Random gaps cut out (each 0.5–3 d; default 2). */
  gaps?: number;
  /** Fraction of stamps moved by up to ±`jitterCadences` of a cadence (default 0.3). */
  jitterFraction?: number;
  /** Largest jitter, in cadences (default 0.05). */
  jitterCadences?: number;
  /** Fraction of rows repeated with exactly the same stamp (default 0.005). */
  duplicateFraction?: number;
  /** Fraction of rows repeated 0.1–0.3 cadences later (two stamps in one cadence cell; default 0.002). */
  nearDuplicateFraction?: number;
}

/** A simulated star of a population. */
export interface PopulationStar extends LightCurve {
  /** ν_max the star was simulated with (μHz); for a granulation-only star, the ν_max its granulation was scaled to. */
  numaxMicroHz: number;
  cadence: 'long' | 'short';
  durationDays: number;
  whiteNoisePpm: number;
  /** True when the star has oscillations (false: granulation + white noise only). */
  oscillates: boolean;
  /** 2ΔlnL the envelope is expected to give (see {@link expectedDetectionStatistic}); 0 for granulation-only stars. */
  expectedStatistic: number;
  /** Nyquist frequency of the cadence (μHz). */
  nyquistMicroHz: number;
}

/** Options of {@link simulatePopulationStar}. */
export interface PopulationStarOptions {
  numaxMicroHz: number;
  cadence: 'long' | 'short';
  durationDays: number;
  whiteNoisePpm: number;
  /** T_eff (K; default 4800 at long cadence, 5800 at short). */
  teffK?: number;
  /** False: granulation + white noise with no oscillations (default true). */
  oscillates?: boolean;
  messiness?: Messiness;
  seed: number;
}

const nyquistOf = (cadence: 'long' | 'short'): number => 1e6 / (2 * CADENCE_DAYS[cadence] * SECONDS_PER_DAY);

/**
 * Expected 2ΔlnL of the oscillation envelope of a simulated star: Σₖ 2[xₖ − ln(1 + xₖ)] over the
 * independent frequencies νₖ = k/T below Nyquist, xₖ = E(νₖ)/B(νₖ), with the simulator's
 * Gaussian envelope E (Mosser et al. 2012) and background B (Kallinger et al. 2014 granulation +
 * white noise σ²/ν_Nyq), both apodised, times the duty cycle. It is the statistic a fit with
 * known parameters gets on average: a signal-to-noise measure in the units of the detection threshold.
 */
export function expectedDetectionStatistic(
  numaxMicroHz: number,
  cadence: 'long' | 'short',
  durationDays: number,
  whiteNoisePpm: number,
  dutyCycle = 1,
): number {
  if (!(numaxMicroHz > 0) || !(durationDays > 0) || !(whiteNoisePpm >= 0) || !(dutyCycle > 0 && dutyCycle <= 1)) {
    throw new ValueError(
      `expectedDetectionStatistic: need ν_max > 0, duration > 0, noise ≥ 0, duty cycle in (0, 1]; got ${numaxMicroHz}, ${durationDays}, ${whiteNoisePpm}, ${dutyCycle}`,
    );
  }
  const nyq = nyquistOf(cadence);
  const df = 1e6 / (durationDays * SECONDS_PER_DAY);
  const W = (whiteNoisePpm * whiteNoisePpm) / nyq;
  const H = envelopeHeight(numaxMicroHz);
  const sigma = envelopeFwhm(numaxMicroHz) / (2 * Math.sqrt(2 * Math.LN2));
  const gran = granulation(numaxMicroHz);
  let s = 0;
  const k0 = Math.max(1, Math.floor((numaxMicroHz - 5 * sigma) / df));
  const k1 = Math.min(Math.floor(nyq / df), Math.ceil((numaxMicroHz + 5 * sigma) / df));
  for (let k = k0; k <= k1; k++) {
    const nu = k * df;
    const eta = apodization2(nu, nyq);
    let g = 0;
    for (const c of gran)
      g += (((2 * Math.SQRT2) / Math.PI) * (c.amplitudePpm ** 2 / c.frequencyMicroHz)) / (1 + (nu / c.frequencyMicroHz) ** 4);
    const x = (eta * H * Math.exp(-((nu - numaxMicroHz) ** 2) / (2 * sigma * sigma))) / (W + eta * g);
    s += 2 * (x - Math.log1p(x));
  }
  return s * dutyCycle;
}

/** Granulation (two Harvey profiles scaled to `numax`) + white noise, no oscillations, drawn in Fourier space on a regular grid. */
function granulationOnly(numax: number, cadence: 'long' | 'short', durationDays: number, white: number, rng: Rng): LightCurve {
  const dt = CADENCE_DAYS[cadence];
  const dtSec = dt * SECONDS_PER_DAY;
  const nyq = 1e6 / (2 * dtSec);
  const m = Math.round(durationDays / dt);
  const L = nextPow2(2 * m);
  const df = 1e6 / (L * dtSec);
  const re = new Float64Array(L);
  const im = new Float64Array(L);
  const gran = granulation(numax);
  for (let k = 1; k < L / 2; k++) {
    const nu = k * df;
    let p = 0;
    for (const c of gran)
      p += (((2 * Math.SQRT2) / Math.PI) * (c.amplitudePpm ** 2 / c.frequencyMicroHz)) / (1 + (nu / c.frequencyMicroHz) ** 4);
    p *= apodization2(nu, nyq);
    const s = (L * Math.sqrt(p * df)) / 2;
    const a = s * rng.normal();
    const b = s * rng.normal();
    re[k] = a;
    im[k] = -b;
    re[L - k] = a;
    im[L - k] = b;
  }
  fftInPlace(re, im);
  const t = new Float64Array(m);
  const f = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    t[i] = i * dt;
    f[i] = re[i]! / L + white * rng.normal();
  }
  return { timeDays: t, flux: f };
}

/** Cut gaps, jitter stamps and repeat rows as {@link Messiness} says; returns an unsorted-free but messy light curve. */
function mess(lc: LightCurve, cadenceDays: number, m: Messiness, rng: Rng): LightCurve {
  const n = lc.timeDays.length;
  const t0 = lc.timeDays[0]!;
  const span = lc.timeDays[n - 1]! - t0;
  const cuts: [number, number][] = [];
  for (let g = 0; g < (m.gaps ?? 2); g++) {
    const len = 0.5 + 2.5 * rng.uniform();
    const start = t0 + rng.uniform() * Math.max(span - len, 0);
    cuts.push([start, start + len]);
  }
  const jf = m.jitterFraction ?? 0.3;
  const jc = m.jitterCadences ?? 0.05;
  const dup = m.duplicateFraction ?? 0.005;
  const near = m.nearDuplicateFraction ?? 0.002;
  const t: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < n; i++) {
    const ti = lc.timeDays[i]!;
    if (cuts.some(([a, b]) => ti >= a && ti < b)) continue;
    const jittered = rng.uniform() < jf ? ti + (2 * rng.uniform() - 1) * jc * cadenceDays : ti;
    t.push(jittered);
    f.push(lc.flux[i]!);
    if (rng.uniform() < dup) {
      t.push(jittered);
      f.push(lc.flux[i]!);
    }
    if (rng.uniform() < near) {
      t.push(jittered + (0.1 + 0.2 * rng.uniform()) * cadenceDays);
      f.push(lc.flux[i]!);
    }
  }
  return { timeDays: Float64Array.from(t), flux: Float64Array.from(f) };
}

/**
 * One star of a completeness population: the package simulator's star at the given ν_max
 * (log g from the scaling relation at T_eff), or granulation + noise only, made messy (gaps,
 * jitter, repeated stamps). Seeded and deterministic.
 */
export function simulatePopulationStar(o: PopulationStarOptions): PopulationStar {
  const rng = new Rng(o.seed);
  const teff = o.teffK ?? (o.cadence === 'long' ? 4800 : 5800);
  const oscillates = o.oscillates ?? true;
  const nyq = nyquistOf(o.cadence);
  const base = oscillates
    ? simulateStar({
        logg: loggFromNumax(o.numaxMicroHz, teff),
        teffK: teff,
        cadence: o.cadence,
        durationDays: o.durationDays,
        whiteNoisePpm: o.whiteNoisePpm,
        seed: o.seed,
      })
    : granulationOnly(o.numaxMicroHz, o.cadence, o.durationDays, o.whiteNoisePpm, rng);
  const lc = mess(base, CADENCE_DAYS[o.cadence], o.messiness ?? {}, rng);
  const duty = Math.min(1, base.timeDays.length / Math.round(o.durationDays / CADENCE_DAYS[o.cadence]));
  return {
    ...lc,
    numaxMicroHz: o.numaxMicroHz,
    cadence: o.cadence,
    durationDays: o.durationDays,
    whiteNoisePpm: o.whiteNoisePpm,
    oscillates,
    expectedStatistic: oscillates ? expectedDetectionStatistic(o.numaxMicroHz, o.cadence, o.durationDays, o.whiteNoisePpm, duty) : 0,
    nyquistMicroHz: nyq,
  };
}

/** Options of {@link populationPlan}. */
export interface PopulationPlanOptions {
  /** Stars with oscillations (half long, half short cadence). */
  stars: number;
  /** Granulation-only stars (no oscillations), half at each cadence. */
  nulls: number;
  seed: number;
}

/**
 * The parameters of a completeness population: ν_max log-uniform over 10–250 μHz at long cadence
 * (durations 60–400 d, white noise 30–300 ppm per cadence) and 100–4000 μHz at short cadence
 * (20–40 d, 50–500 ppm), alternating; granulation-only stars drawn the same way.
 */
export function populationPlan(o: PopulationPlanOptions): PopulationStarOptions[] {
  const rng = new Rng(o.seed);
  const logU = (a: number, b: number): number => Math.exp(Math.log(a) + rng.uniform() * (Math.log(b) - Math.log(a)));
  const plan: PopulationStarOptions[] = [];
  const draw = (i: number, oscillates: boolean): PopulationStarOptions => {
    const cadence = i % 2 === 0 ? 'long' : 'short';
    const long = cadence === 'long';
    return {
      numaxMicroHz: long ? logU(10, 250) : logU(100, 4000),
      cadence,
      durationDays: long ? logU(60, 400) : 20 + 20 * rng.uniform(),
      whiteNoisePpm: long ? logU(30, 300) : logU(50, 500),
      oscillates,
      seed: Math.floor(rng.uniform() * 2 ** 31),
    };
  };
  for (let i = 0; i < o.stars; i++) plan.push(draw(i, true));
  for (let i = 0; i < o.nulls; i++) plan.push(draw(i, false));
  return plan;
}
