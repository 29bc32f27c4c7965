import { describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import {
  abMagnitude,
  bandTable,
  comovingDistanceMpc,
  comovingVolumeElement,
  distanceModulus,
  fitMagErrorModel,
  loadSdssFilters,
  loadSedTemplates,
  luminosityDistanceMpc,
  median,
  medianMagError,
  mixedBandFlux,
  parseFilter,
  parseSed,
  readPhotometry,
  SDSS_ERROR_MODEL,
  simulateCatalogue,
  type Sed,
} from '../src/index.js';
import fx from './fixtures/sed.json' with { type: 'json' };

const C = 2.99792458e18;

/** f_ν = 3631 Jy at every wavelength, i.e. f_λ = 3631e-23·c/λ², sampled every 2 Å. */
function flatFnu(): Sed {
  const w = Float64Array.from({ length: 6000 }, (_, i) => 1000 + 2 * i);
  return { name: 'flat', wavelengthAngstrom: w, fLambda: w.map((l) => (3631e-23 * C) / (l * l)) };
}

describe('SED photometry through the SDSS filters', () => {
  it('a flat f_ν spectrum has the same AB magnitude in every band: 0 at z = 0, −2.5 log₁₀(1+z) at z', async () => {
    const filters = await loadSdssFilters();
    const flat = flatFnu();
    for (const z of [0, 0.2, 0.5]) {
      for (const f of filters) expect(Math.abs(abMagnitude(flat, f, z) + 2.5 * Math.log10(1 + z))).toBeLessThan(2e-5);
    }
  });

  it('template magnitudes agree with numpy on a 1 Å grid (tools/fixtures/clap_photoz_sed.py) to 5e-4 mag', async () => {
    const filters = await loadSdssFilters();
    const templates = await loadSedTemplates();
    for (const sed of templates) {
      fx.z.forEach((z, iz) =>
        filters.forEach((f, b) => {
          expect(Math.abs(abMagnitude(sed, f, z) - (fx.abMag as Record<string, number[][]>)[sed.name]![iz]![b]!)).toBeLessThan(5e-4);
        }),
      );
    }
    // the band table is those magnitudes relative to rest-frame r; mixing type 0.5 is the flux average
    const tab = bandTable(templates.slice(0, 2), filters, 0.5, 0.1);
    const el = (fx.abMag as Record<string, number[][]>)['El_B2004a']!;
    const sbc = (fx.abMag as Record<string, number[][]>)['Sbc_B2004a']!;
    const f3 = mixedBandFlux(tab, 0, 0.3);
    expect(-2.5 * Math.log10(f3[0]!)).toBeCloseTo(el[2]![0]! - el[0]![2]!, 3);
    const mix = mixedBandFlux(tab, 0.5, 0.1);
    const expected = 0.5 * 10 ** (-0.4 * (el[1]![1]! - el[0]![2]!)) + 0.5 * 10 ** (-0.4 * (sbc[1]![1]! - sbc[0]![2]!));
    expect(mix[1]! / expected).toBeCloseTo(1, 3);
    expect(() => mixedBandFlux(tab, 1.5, 0.1)).toThrow(ValueError);
    expect(() => mixedBandFlux(tab, 0, 0.7)).toThrow(ValueError);
  });

  it('refuses SEDs that do not cover the filter, and malformed files', async () => {
    const [u] = await loadSdssFilters();
    const red: Sed = { name: 'red', wavelengthAngstrom: Float64Array.of(5000, 9000), fLambda: Float64Array.of(1, 1) };
    expect(() => abMagnitude(red, u!, 0)).toThrow(/does not cover filter u/);
    expect(() => abMagnitude(flatFnu(), u!, -0.1)).toThrow(ValueError);
    expect(() => parseSed('x', '3000 1\n2000 1\n')).toThrow(FormatError);
    expect(() => parseFilter('x', 'wavelength response\n3000 -1\n3100 0.5\n')).toThrow(/≥ 0/);
    expect(() => parseSed('x', '3000 1 2\n3100 1 2\n')).toThrow(/2 columns/);
  });
});

describe('flat ΛCDM distances (H0 = 70, Ωm = 0.3)', () => {
  it('match scipy quad to 1e-9 relative', () => {
    for (const d of fx.distances) {
      expect(Math.abs(comovingDistanceMpc(d.z) / d.comovingMpc - 1)).toBeLessThan(1e-9);
      expect(Math.abs(luminosityDistanceMpc(d.z) / d.luminosityMpc - 1)).toBeLessThan(1e-9);
      expect(distanceModulus(d.z)).toBeCloseTo(d.mu, 8);
      expect(Math.abs(comovingVolumeElement(d.z) / d.dVdz - 1)).toBeLessThan(1e-9);
    }
    // low-z limit: Hubble law D ≈ cz/H0
    expect(comovingDistanceMpc(1e-4) / ((299792.458 * 1e-4) / 70)).toBeCloseTo(1, 4);
  });
});

describe('SDSS-like simulated catalogue', () => {
  it("the error model is numpy's least-squares fit to the real SDSS training errors", async () => {
    const real = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
    const m = fitMagErrorModel(real);
    for (const k of ['a', 's', 'tau'] as const) {
      m[k].forEach((v, b) => {
        expect(v).toBeCloseTo(fx.errorModel[k][b]!, 9);
        expect(SDSS_ERROR_MODEL[k][b]).toBeCloseTo(v, 3);
      });
    }
    expect(medianMagError(SDSS_ERROR_MODEL, 2, 18)).toBeCloseTo(10 ** -1.923, 6);
  });

  it('is seeded, magnitude-limited, and close to the real SDSS sample in redshift, r and colour', async () => {
    const templates = await loadSedTemplates();
    const filters = await loadSdssFilters();
    const sim = simulateCatalogue(templates, filters, { n: 1500, seed: 3 });
    const again = simulateCatalogue(templates, filters, { n: 1500, seed: 3 });
    expect(Array.from(again.mag)).toEqual(Array.from(sim.mag));
    for (let i = 0; i < sim.n; i++) expect(sim.magTrue[i * 5 + 2]!).toBeLessThanOrEqual(17.77);
    const real = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
    const zMed = median(Array.from(sim.zSpec));
    expect(zMed).toBeGreaterThan(0.07);
    expect(zMed).toBeLessThan(0.13); // real: 0.109
    const col = (c: { n: number; mag: Float64Array }, b: number): number =>
      median(Array.from({ length: c.n }, (_, i) => c.mag[i * 5 + b]! - c.mag[i * 5 + b + 1]!));
    // g−r, r−i: within 0.2 mag of the real medians (the CWW templates are bluer than SDSS red galaxies)
    expect(Math.abs(col(sim, 1) - col(real, 1))).toBeLessThan(0.2);
    expect(Math.abs(col(sim, 2) - col(real, 2))).toBeLessThan(0.1);
    // errors follow the model: median r error of simulated galaxies with 16.5 < r < 17.5 ≈ the model's at 17
    const e = [];
    for (let i = 0; i < sim.n; i++) if (Math.abs(sim.magTrue[i * 5 + 2]! - 17) < 0.5) e.push(sim.magErr[i * 5 + 2]!);
    expect(median(e) / medianMagError(SDSS_ERROR_MODEL, 2, 17)).toBeGreaterThan(0.85);
    expect(median(e) / medianMagError(SDSS_ERROR_MODEL, 2, 17)).toBeLessThan(1.15);
    expect(() => simulateCatalogue(templates, filters, { n: 10, typeWeights: [1] })).toThrow(ValueError);
    expect(() => simulateCatalogue(templates, filters, { n: 0 })).toThrow(ValueError);
  });
});
