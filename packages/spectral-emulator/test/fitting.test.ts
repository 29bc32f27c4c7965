import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, ShapeError, ValueError } from '@astro/core';
import { Rng } from '@astro/core/nn';
import { LabelDomainError, PaynePixelModel, chebyshevBasis, fitSpectrum, readNpyFloat } from '../src/index.js';
import { fixture, spectra } from './data.js';

interface ScipyFit {
  labels: number[];
  rv_kms: number;
  errors: number[];
  chi2: number;
  dof: number;
  masked_pixels: number;
}

let payne: PaynePixelModel;
beforeAll(async () => {
  await ready({ backend: 'wasm' });
  payne = await PaynePixelModel.load(spectra('payne-apogee-nn'));
});
afterAll(() => payne.dispose());

/** A noisy spectrum emulated at `labels` with Gaussian noise of σ = `sigma`. */
async function simulate(labels: number[], sigma: number, rng: Rng): Promise<{ flux: Float64Array; fluxErr: Float64Array }> {
  const y = payne.predictTensor([labels]);
  const clean = await y.data();
  y.dispose();
  const flux = Float64Array.from(clean, (f) => f + sigma * rng.normal());
  return { flux, fluxErr: new Float64Array(flux.length).fill(sigma) };
}

describe('fitSpectrum on the real APOGEE star 2M13012770+5754582', () => {
  it('agrees with scipy.optimize.curve_fit on labels, velocity, errors and χ²', async () => {
    const ref = fixture<ScipyFit>('payne_fit.json');
    const dir = spectra('apogee-star-2M13012770+5754582');
    const flux = (await readNpyFloat(`${dir}/flux.npy`)).data;
    const fluxErr = (await readNpyFloat(`${dir}/flux_err.npy`)).data;
    const fit = await fitSpectrum(payne, { flux, fluxErr, mask: payne.badPixelMask! }, { fitRv: true });
    expect(fit.converged).toBe(true);
    expect(fit.maskedPixels).toBe(ref.masked_pixels);
    for (let j = 0; j < 5; j++) {
      expect(Math.abs(fit.labels[j]! - ref.labels[j]!) / ref.errors[j]!, fit.labelNames[j]).toBeLessThan(0.1);
      expect(fit.labelErrors[j]! / ref.errors[j]!, fit.labelNames[j]).toBeCloseTo(1, 1);
    }
    expect(Math.abs(fit.rvKms! - ref.rv_kms) / ref.errors[5]!).toBeLessThan(0.1);
    expect(fit.rvErrKms! / ref.errors[5]!).toBeCloseTo(1, 1);
    expect(fit.chi2 / ref.chi2).toBeCloseTo(1, 3);
    expect(fit.dof).toBe(ref.dof);
  });
});

describe('fitSpectrum on emulated spectra', () => {
  it('recovers labels with pulls ≈ N(0, 1) (20 stars, S/N 100)', async () => {
    const rng = new Rng(11);
    const pulls: number[] = [];
    const { min, max } = payne.domain;
    for (let s = 0; s < 20; s++) {
      const truth = Array.from({ length: 5 }, (_, j) => min[j]! + (0.2 + 0.6 * rng.uniform()) * (max[j]! - min[j]!));
      const obs = await simulate(truth, 0.01, rng);
      const fit = await fitSpectrum(payne, obs, { starts: 12, restarts: 1, seed: s });
      expect(fit.atBound).toEqual([]);
      for (let j = 0; j < 5; j++) pulls.push((fit.labels[j]! - truth[j]!) / fit.labelErrors[j]!);
      expect(fit.reducedChi2).toBeGreaterThan(0.9);
      expect(fit.reducedChi2).toBeLessThan(1.1);
    }
    const mean = pulls.reduce((a, b) => a + b, 0) / pulls.length;
    const sd = Math.sqrt(pulls.reduce((a, b) => a + (b - mean) ** 2, 0) / (pulls.length - 1));
    // 100 pulls: the mean has standard error 0.1, the sd about 0.07
    expect(Math.abs(mean)).toBeLessThan(0.35);
    expect(sd).toBeGreaterThan(0.78);
    expect(sd).toBeLessThan(1.25);
  });

  it('fits a velocity and a multiplicative continuum', async () => {
    const rng = new Rng(5);
    const truth = [4800, 4.3, -0.2, 0.1, 8];
    const wl = payne.wavelengthAngstrom!;
    // shift the emulated spectrum by +23.4 km/s, then multiply by 1.1 − 0.05 t + 0.03 T2(t)
    const y = payne.predictTensor([truth]);
    const rest = Float64Array.from(await y.data());
    y.dispose();
    const { interpLinear, restWavelengths } = await import('../src/index.js');
    const shifted = interpLinear(restWavelengths(wl, 23.4), wl, rest);
    const coeffs = [1.1, -0.05, 0.03];
    const basis = chebyshevBasis(wl, 2);
    const n = wl.length;
    const flux = Float64Array.from(
      shifted,
      (f, i) => f * (coeffs[0]! * basis[i]! + coeffs[1]! * basis[n + i]! + coeffs[2]! * basis[2 * n + i]!) + 0.005 * rng.normal(),
    );
    const fit = await fitSpectrum(payne, { flux, fluxErr: new Float64Array(n).fill(0.005) }, { fitRv: true, continuumDegree: 2 });
    expect(fit.maskedPixels).toBeGreaterThan(0); // the red edge has no model coverage after the shift
    expect(Math.abs(fit.rvKms! - 23.4) / fit.rvErrKms!).toBeLessThan(4);
    fit.continuum!.forEach((c, j) => expect(Math.abs(c - coeffs[j]!)).toBeLessThan(5e-3));
    for (let j = 0; j < 5; j++) expect(Math.abs(fit.labels[j]! - truth[j]!) / fit.labelErrors[j]!, fit.labelNames[j]).toBeLessThan(4);
  });

  it('masks NaN flux, resamples a different grid, and refuses bad shapes', async () => {
    const rng = new Rng(9);
    const truth = [5500, 4.5, 0, 0, 10];
    const obs = await simulate(truth, 0.01, rng);
    obs.flux[100] = NaN;
    obs.flux[200] = NaN;
    const fit = await fitSpectrum(payne, obs, { initialLabels: [5000, 4.4, -0.1, 0.1, 5] });
    expect(fit.maskedPixels).toBe(2);
    expect(Number.isNaN(fit.chi2)).toBe(false);
    for (let j = 0; j < 5; j++) expect(Math.abs(fit.labels[j]! - truth[j]!) / fit.labelErrors[j]!).toBeLessThan(4);

    // data on every 3rd pixel at half-pixel offsets: resampled onto by interpolating the model
    const wl = payne.wavelengthAngstrom!;
    const idx = Array.from({ length: Math.floor((wl.length - 1) / 3) }, (_, i) => 3 * i);
    const wlHalf = idx.map((i) => 0.5 * (wl[i]! + wl[i + 1]!));
    const clean = await simulate(truth, 0, rng);
    const fluxHalf = idx.map((i) => 0.5 * (clean.flux[i]! + clean.flux[i + 1]!) + 0.01 * rng.normal());
    const errHalf = idx.map(() => 0.01);
    const fit2 = await fitSpectrum(payne, { flux: fluxHalf, fluxErr: errHalf, wavelengthAngstrom: wlHalf }, { starts: 8 });
    for (let j = 0; j < 5; j++) expect(Math.abs(fit2.labels[j]! - truth[j]!) / fit2.labelErrors[j]!).toBeLessThan(4);
    await expect(fitSpectrum(payne, { flux: fluxHalf, fluxErr: errHalf, wavelengthAngstrom: wlHalf }, { resample: false })).rejects.toThrow(
      ShapeError,
    );

    await expect(fitSpectrum(payne, { flux: obs.flux, fluxErr: obs.fluxErr.subarray(1) })).rejects.toThrow(ShapeError);
    await expect(fitSpectrum(payne, { flux: obs.flux.subarray(10) })).rejects.toThrow(ShapeError);
    await expect(fitSpectrum(payne, { flux: new Float64Array(wl.length).fill(NaN) })).rejects.toThrow(ValueError);
  });

  it('masks ±Inf flux, non-positive or NaN errors and zero ivar, and refuses starting labels outside the trained box', async () => {
    const rng = new Rng(13);
    const truth = [5200, 4.4, -0.1, 0.05, 9];
    const obs = await simulate(truth, 0.01, rng);
    obs.flux[10] = Infinity;
    obs.flux[11] = -Infinity;
    obs.fluxErr[20] = 0;
    obs.fluxErr[21] = -0.01;
    obs.fluxErr[22] = NaN;
    const start = { initialLabels: [5000, 4.4, -0.1, 0.1, 5] };
    const fit = await fitSpectrum(payne, obs, start);
    expect(fit.maskedPixels).toBe(5);
    expect(Number.isFinite(fit.chi2)).toBe(true);
    expect(Number.isNaN(fit.modelFlux[10]!)).toBe(false); // the model is still given on masked pixels
    for (let j = 0; j < 5; j++) expect(Math.abs(fit.labels[j]! - truth[j]!) / fit.labelErrors[j]!).toBeLessThan(4);
    // the same data as inverse variances, with ivar = 0 masking
    const ivar = Float64Array.from(obs.fluxErr, (e) => (e > 0 ? 1 / (e * e) : 0));
    const fitIvar = await fitSpectrum(payne, { flux: obs.flux, ivar }, start);
    expect(fitIvar.maskedPixels).toBe(5);
    expect(fitIvar.chi2 / fit.chi2).toBeCloseTo(1, 6);
    await expect(fitSpectrum(payne, { ...obs, ivar }, start)).rejects.toThrow(/fluxErr or ivar, not both/);
    // starting labels outside the box the network was trained on are refused, naming the label
    const hot = [payne.domain.max[0]! + 500, 4.4, -0.1, 0.1, 5];
    await expect(fitSpectrum(payne, obs, { initialLabels: hot })).rejects.toThrow(LabelDomainError);
    await expect(fitSpectrum(payne, obs, { initialLabels: hot })).rejects.toThrow(/teff/);
    await expect(fitSpectrum(payne, obs, { initialLabels: [5000, 4.4] })).rejects.toThrow(ShapeError);
  });
});
