import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import {
  angularDiameterDistanceMpc,
  apertureRadius,
  comovingDistanceMpc,
  gammaP,
  loadSdssFilters,
  loadSedTemplates,
  magToNanomaggies,
  medianSizeKpc,
  renderSersic,
  sersicB,
  simulateCatalogue,
  simulateCutouts,
} from '../src/index.js';
import fx from './fixtures/images.json' with { type: 'json' };

describe('Sérsic profiles', () => {
  it('b_n and P(a, x) agree with scipy gammaincinv / gammainc (tools/fixtures/clap_photoz_images.py)', () => {
    fx.scipy.n.forEach((n, i) => expect(Math.abs(sersicB(n) - fx.scipy.bn[i]!)).toBeLessThan(1e-10));
    for (const { a, x, p } of fx.scipy.gammaP) expect(Math.abs(gammaP(a, x) - p)).toBeLessThan(1e-12 + 1e-10 * p);
    expect(() => sersicB(12)).toThrow(ValueError);
    expect(() => gammaP(0, 1)).toThrow(ValueError);
  });

  it('a rendered profile holds the analytic light fraction inside R and its half-light radius is r_e (n = 1 and 4)', () => {
    const size = 96;
    for (const n of [1, 4]) {
      const re = 8;
      const img = renderSersic({ flux: 1000, reMajorPx: re, n, q: 1, paRad: 0 }, size);
      for (const f of fx.scipy.fraction.filter((r) => r.n === n && r.rOverRe <= 5)) {
        let s = 0;
        for (let i = 0; i < size; i++)
          for (let j = 0; j < size; j++) if (Math.hypot(j + 0.5 - 48, i + 0.5 - 48) <= f.rOverRe * re) s += img[i * size + j]!;
        // pixel-centre apertures: the boundary pixels make a ~1% error at R = 4 px
        expect(Math.abs(s / 1000 - f.fraction)).toBeLessThan(0.015);
      }
      expect(Math.abs(apertureRadius(img, size, 48, 48, 1000) / re - 1)).toBeLessThan(0.03);
    }
  });

  it('an elliptical profile still integrates to its flux, and bad parameters are ValueErrors', () => {
    const img = renderSersic({ flux: 50, reMajorPx: 3, n: 1, q: 0.4, paRad: 0.7 }, 64);
    expect(Math.abs(img.reduce((a, b) => a + b, 0) / 50 - 1)).toBeLessThan(2e-3);
    expect(() => renderSersic({ flux: 1, reMajorPx: 0, n: 1, q: 1, paRad: 0 }, 16)).toThrow(ValueError);
    expect(() => renderSersic({ flux: 1, reMajorPx: 2, n: 1, q: 1.2, paRad: 0 }, 16)).toThrow(ValueError);
  });
});

describe('simulated ugriz cutouts', () => {
  it('noise-free cutouts hold the band flux (within truncation), θ_e = r_e/D_A, noise matches the magnitude errors', async () => {
    const cat = simulateCatalogue(await loadSedTemplates(), await loadSdssFilters(), { n: 120, seed: 3 });
    const cut = simulateCutouts(cat, { seed: 4, noiseFree: true });
    const { size, bands } = cut;
    const npx = size * size;
    let inside = 0;
    for (let g = 0; g < cat.n; g++) {
      for (let b = 0; b < bands; b++) {
        let s = 0;
        for (let i = 0; i < npx; i++) s += cut.clean![g * npx * bands + i * bands + b]!;
        const frac = s / magToNanomaggies(cat.magTrue[g * 5 + b]!);
        expect(frac).toBeLessThanOrEqual(1 + 1e-6);
        // compact discs keep ≥ 98% of their light in the 12.7″ cutout: an n = 1 profile holds
        // 1 − e^(−x)(1 + x), x = b₁R/r_e, inside the inscribed circle R = 6.35″ — 0.993 for θ_e < 1.5″
        // (0.970 at θ_e = 2″, the bound this test used to claim; a galaxy at 1.97″ kept 0.9796)
        if (cut.reArcsec[g]! < 1.5 && cut.sersicN[g] === 1) {
          expect(frac).toBeGreaterThan(0.98);
          inside++;
        }
      }
      // θ_e·D_A is the physical r_e: within 4 × 0.15 dex of the Shen et al. (2003) relation
      const kpc = (cut.reArcsec[g]! / 206264.806) * angularDiameterDistanceMpc(cat.zSpec[g]!) * 1000;
      expect(Math.abs(Math.log10(kpc / medianSizeKpc(cat.absMag[g]!, (cut.sersicN[g]! - 1) / 3)))).toBeLessThan(0.6);
    }
    expect(inside).toBeGreaterThan(0);
    expect(angularDiameterDistanceMpc(0.5)).toBeCloseTo(comovingDistanceMpc(0.5) / 1.5, 10);
    // the optimal profile-weighted flux estimate scatters by the catalogue's flux error σ_F
    const zs: number[] = [];
    for (let g = 0; g < cat.n; g++) {
      for (const b of [0, 2]) {
        let num = 0;
        let den = 0;
        for (let i = 0; i < npx; i++) {
          const k = g * npx * bands + i * bands + b;
          const p = cut.clean![k]!;
          num += p * (cut.images[k]! - p);
          den += p * p;
        }
        let tot = 0;
        for (let i = 0; i < npx; i++) tot += cut.clean![g * npx * bands + i * bands + b]!;
        const err = (num / den) * tot;
        const sigF = (magToNanomaggies(cat.magTrue[g * 5 + b]!) * Math.LN10 * cat.magErr[g * 5 + b]!) / 2.5;
        zs.push(err / sigF);
      }
    }
    const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
    const sd = Math.sqrt(zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (zs.length - 1));
    // 240 draws: the standard deviation of a unit normal's sample sd is ≈ 0.046
    expect(Math.abs(sd - 1)).toBeLessThan(0.15);
    expect(Math.abs(mean)).toBeLessThan(0.25);
  });

  it('rejects a mismatched catalogue and bad options', async () => {
    const cat = simulateCatalogue(await loadSedTemplates(), await loadSdssFilters(), { n: 4, seed: 1 });
    expect(() => simulateCutouts({ ...cat, magErr: new Float64Array(3) })).toThrow(ShapeError);
    expect(() => simulateCutouts(cat, { size: 4 })).toThrow(ValueError);
    expect(() => simulateCutouts(cat, { psf: { kind: 'moffat', fwhmArcsec: 0 } })).toThrow(ValueError);
  });
});
