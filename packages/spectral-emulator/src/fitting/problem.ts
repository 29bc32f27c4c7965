import { tf, ShapeError, ValueError } from '@astro/core';
import { cholesky, choSolve } from '@astro/core/linalg';
import type { SpectralEmulator } from '../emulator.js';
import { chebyshevBasis } from './continuum.js';
import { interpLinear, restWavelengths } from './doppler.js';

/** An observed spectrum to fit. Give `fluxErr` (1σ) or `ivar` (1/σ²). */
export interface ObservedSpectrum {
  /** Flux per pixel (continuum-normalised, or raw with `continuumDegree`). NaN pixels are masked. */
  flux: ArrayLike<number>;
  /** 1σ flux uncertainty per pixel; non-positive or NaN values mask the pixel. */
  fluxErr?: ArrayLike<number>;
  /** Inverse variance per pixel (alternative to `fluxErr`); 0 masks the pixel. */
  ivar?: ArrayLike<number>;
  /** Pixels to ignore: truthy = masked (as numpy.ma), e.g. the model's known bad pixels. */
  mask?: ArrayLike<number | boolean>;
  /** Observed wavelength per pixel, Å; defaults to the emulator's grid (same length required). */
  wavelengthAngstrom?: ArrayLike<number>;
}

/**
 * How the model spectrum is built from labels and compared with the data; shared by
 * {@link fitSpectrum} and {@link sampleLabels}.
 */
export interface SpectrumModelOptions {
  /** Fit a radial velocity (km/s, positive receding) by Doppler-shifting the model (default false). */
  fitRv?: boolean;
  /** Starting radial velocity, km/s (default 0); also sets which data pixels the model covers. */
  initialRvKms?: number;
  /** Allowed radial velocities, km/s (default [−300, 300]). */
  rvBoundsKms?: readonly [number, number];
  /** Fit a multiplicative Chebyshev continuum of this degree (default: none). */
  continuumDegree?: number;
  /** When the data grid differs from the model's: resample the model (default true) or throw. */
  resample?: boolean;
}

/** The weighted χ² problem of one observed spectrum (internal to fitting and sampling). */
export interface Problem {
  emu: SpectralEmulator;
  k: number;
  n: number;
  data: Float64Array;
  sqrtW: Float64Array;
  used: Uint8Array;
  wlObs: Float64Array | undefined;
  wlModel: Float64Array | undefined;
  direct: boolean;
  fitRv: boolean;
  rvBounds: readonly [number, number];
  basis: Float64Array | undefined;
  nc: number;
  h: number;
  span: Float64Array;
  lo: Float64Array;
}

/**
 * Validate an observed spectrum against an emulator and build the weighted χ² problem: data,
 * √weights, the usable-pixel mask (mask, NaN flux, bad errors, no model coverage), wavelength
 * grids and the continuum basis. Parameters are p = [u (labels min-max scaled to [0, 1]), rv?, c…].
 */
export function setupProblem(
  emu: SpectralEmulator,
  spec: ObservedSpectrum,
  opts: SpectrumModelOptions & { jacobianStep?: number },
): Problem {
  const n = spec.flux.length;
  const k = emu.domain.names.length;
  const len = (name: string, a: ArrayLike<unknown> | undefined) => {
    if (a && a.length !== n) throw new ShapeError(`fitSpectrum: ${name} has ${a.length} pixels but flux has ${n}`);
  };
  if (spec.fluxErr && spec.ivar) throw new ValueError('fitSpectrum: give fluxErr or ivar, not both');
  if (n === 0) throw new ShapeError('fitSpectrum: flux is empty');
  if (opts.continuumDegree !== undefined && !(Number.isInteger(opts.continuumDegree) && opts.continuumDegree >= 0)) {
    throw new ValueError(`fitSpectrum: continuumDegree must be an integer ≥ 0, got ${opts.continuumDegree}`);
  }
  if (opts.initialRvKms !== undefined && !Number.isFinite(opts.initialRvKms))
    throw new ValueError(`fitSpectrum: initialRvKms must be finite, got ${opts.initialRvKms}`);
  if (
    opts.rvBoundsKms &&
    !(Number.isFinite(opts.rvBoundsKms[0]) && Number.isFinite(opts.rvBoundsKms[1]) && opts.rvBoundsKms[0] < opts.rvBoundsKms[1])
  ) {
    throw new ValueError(`fitSpectrum: rvBoundsKms must be finite with lower < upper, got [${opts.rvBoundsKms}]`);
  }
  if (opts.jacobianStep !== undefined && !(opts.jacobianStep > 0 && opts.jacobianStep < 1))
    throw new ValueError(`fitSpectrum: jacobianStep must lie in (0, 1), got ${opts.jacobianStep}`);
  len('fluxErr', spec.fluxErr);
  len('ivar', spec.ivar);
  len('mask', spec.mask);
  len('wavelengthAngstrom', spec.wavelengthAngstrom);
  const wlModel = emu.wavelengthAngstrom;
  let wlObs = spec.wavelengthAngstrom ? Float64Array.from(spec.wavelengthAngstrom) : undefined;
  let sameGrid = !wlObs || (wlModel !== undefined && wlModel.length === n && wlObs.every((w, i) => Math.abs(w - wlModel[i]!) <= 1e-6 * w));
  if (!wlObs && n !== emu.numPixels) {
    throw new ShapeError(`fitSpectrum: flux has ${n} pixels but the emulator has ${emu.numPixels}; pass wavelengthAngstrom to resample`);
  }
  if (!sameGrid) {
    if (opts.resample === false)
      throw new ShapeError('fitSpectrum: the data wavelength grid differs from the emulator grid and resample is false');
    if (!wlModel) throw new ShapeError('fitSpectrum: the emulator has no wavelength grid to resample from');
  }
  const fitRv = opts.fitRv ?? false;
  if (fitRv && !wlModel) throw new ValueError('fitSpectrum: fitting a radial velocity needs the emulator wavelength grid');
  if (fitRv || !sameGrid) wlObs ??= Float64Array.from(wlModel!);
  else sameGrid = true;
  const direct = sameGrid && !fitRv;

  const data = new Float64Array(n);
  const sqrtW = new Float64Array(n);
  const used = new Uint8Array(n);
  const rv0 = opts.initialRvKms ?? 0;
  const covered = direct ? undefined : interpLinear(restWavelengths(wlObs!, rv0), wlModel!, new Float64Array(wlModel!.length));
  for (let i = 0; i < n; i++) {
    const f = spec.flux[i]!;
    const e = spec.fluxErr ? spec.fluxErr[i]! : 1;
    const w = spec.ivar ? spec.ivar[i]! : e > 0 ? 1 / (e * e) : 0; // a non-positive or NaN error masks the pixel
    const ok = Number.isFinite(f) && Number.isFinite(w) && w > 0 && !(spec.mask && spec.mask[i]) && !(covered && Number.isNaN(covered[i]!));
    data[i] = ok ? f : 0;
    sqrtW[i] = ok ? Math.sqrt(w) : 0;
    used[i] = ok ? 1 : 0;
  }
  const nUsed = used.reduce((a, b) => a + b, 0);
  const nc = opts.continuumDegree === undefined ? 0 : opts.continuumDegree + 1;
  const m = k + (fitRv ? 1 : 0) + nc;
  if (nUsed <= m) throw new ValueError(`fitSpectrum: only ${nUsed} usable pixels for ${m} parameters (mask, NaN flux or errors)`);
  const span = Float64Array.from(emu.domain.max, (v, j) => v - emu.domain.min[j]!);
  return {
    emu,
    k,
    n,
    data,
    sqrtW,
    used,
    wlObs,
    wlModel,
    direct,
    fitRv,
    rvBounds: opts.rvBoundsKms ?? [-300, 300],
    basis: nc ? chebyshevBasis(wlObs ?? wlModel ?? Float64Array.from({ length: n }, (_, i) => i), nc - 1) : undefined,
    nc,
    h: opts.jacobianStep ?? 1e-3,
    span,
    lo: Float64Array.from(emu.domain.min),
  };
}

/** Emulate rows of scaled labels u ∈ [0, 1]^k in one batch; returns [rows × P] float32. */
export async function emulateRows(prob: Problem, rows: readonly Float64Array[]): Promise<Float32Array> {
  const { k } = prob;
  const x = new Float32Array(rows.length * k);
  rows.forEach((u, r) => u.forEach((v, j) => (x[r * k + j] = prob.lo[j]! + v * prob.span[j]!)));
  const t = tf.tensor2d(x, [rows.length, k]);
  const y = prob.emu.emulate(t);
  t.dispose();
  const out = (await y.data()) as Float32Array;
  y.dispose();
  return out;
}

/**
 * Emulate `n` rows of scaled labels (row-major, `stride` values per row, the first k used) in one
 * batch; returns [n × P] float32, read back asynchronously (works on every backend, webgpu too).
 */
export async function emulateStridedRows(prob: Problem, rows: Float64Array, n: number, stride: number): Promise<Float32Array> {
  const { k } = prob;
  const x = new Float32Array(n * k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) x[r * k + j] = prob.lo[j]! + rows[r * stride + j]! * prob.span[j]!;
  const t = tf.tensor2d(x, [n, k]);
  const y = prob.emu.emulate(t);
  t.dispose();
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/** Model flux on the data grid for an emulator spectrum and a velocity. */
export function shift(prob: Problem, f: ArrayLike<number>, rv: number): Float64Array {
  if (prob.direct) return Float64Array.from(f);
  return interpLinear(restWavelengths(prob.wlObs!, rv), prob.wlModel!, f, new Float64Array(prob.n), 'clamp');
}

/** Multiplicative continuum Σ c_j T_j at data pixel i (1 without a continuum). */
export function continuumAt(prob: Problem, p: Float64Array, i: number): number {
  if (!prob.basis) return 1;
  const off = p.length - prob.nc;
  let c = 0;
  for (let j = 0; j < prob.nc; j++) c += p[off + j]! * prob.basis[j * prob.n + i]!;
  return c;
}

/** χ², √w-weighted residuals and the model on the data grid for a shifted emulator spectrum and parameters p. */
export function residuals(prob: Problem, shifted: Float64Array, p: Float64Array): { chi2: number; r: Float64Array; model: Float64Array } {
  const r = new Float64Array(prob.n);
  const model = new Float64Array(prob.n);
  let chi2 = 0;
  for (let i = 0; i < prob.n; i++) {
    model[i] = shifted[i]! * continuumAt(prob, p, i);
    r[i] = prob.sqrtW[i]! * (prob.data[i]! - model[i]!);
    chi2 += r[i]! * r[i]!;
  }
  return { chi2, r, model };
}

/** Weighted linear least squares for the continuum coefficients given the shifted model. */
export function bestContinuum(prob: Problem, shifted: Float64Array): Float64Array {
  const { nc, n, basis } = prob;
  const A = new Float64Array(nc * nc);
  const b = new Float64Array(nc);
  for (let i = 0; i < n; i++) {
    const w = prob.sqrtW[i]! * prob.sqrtW[i]!;
    if (!w) continue;
    for (let a = 0; a < nc; a++) {
      const xa = basis![a * n + i]! * shifted[i]!;
      b[a]! += w * xa * prob.data[i]!;
      for (let c = 0; c < nc; c++) A[a * nc + c]! += w * xa * basis![c * n + i]! * shifted[i]!;
    }
  }
  return choSolve(cholesky(A, nc), b);
}
