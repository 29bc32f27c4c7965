/**
 * ν_max on every real light curve in shared data: the catalogue stars against SYD (Huber et al.
 * 2011 pipeline, kepler-pysyd/syd_results.txt) and Yu et al. 2018, and every other real file
 * end to end (a result or an honest non-detection, never an exception).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath } from '@astro/core/data';
import { estimateNumax, normalizePpm, readLightCurve, sigmaClip, type NumaxResult } from '../../src/index.js';

async function numaxOf(source: string | string[]): Promise<NumaxResult> {
  const lc = await readLightCurve(source);
  return estimateNumax(normalizePpm(sigmaClip(lc).lightCurve));
}

/** A well-formed outcome: finite numbers, ν_max inside the searched range, a reason when not detected. */
function expectHonest(r: NumaxResult): void {
  expect(Number.isFinite(r.statistic)).toBe(true);
  expect(r.statistic).toBeGreaterThanOrEqual(0);
  expect(r.nyquistMicroHz).toBeGreaterThan(0);
  if (r.detected) {
    expect(r.numaxMicroHz).toBeGreaterThanOrEqual(r.searchRangeMicroHz[0]);
    expect(r.numaxMicroHz).toBeLessThanOrEqual(r.searchRangeMicroHz[1]);
    expect(r.numaxMicroHz).toBeLessThan(0.9 * r.nyquistMicroHz + 1e-9);
    expect(r.numaxErrMicroHz).toBeGreaterThan(0);
    expect(Number.isFinite(r.numaxErrMicroHz)).toBe(true);
    expect(r.statistic).toBeGreaterThanOrEqual(r.threshold);
  } else {
    expect(r.reason.length).toBeGreaterThan(10);
  }
}

// Catalogue values: SYD for the two short-cadence stars, Yu et al. 2018 for the red giants.
const catalogue = [
  { name: 'KIC 1435467 (SYD)', source: ['kepler-pysyd', '1435467_LC.txt'], numax: 1382.311, err: 9.148 },
  { name: 'KIC 2309595 (SYD)', source: ['kepler-pysyd', '2309595_LC.txt'], numax: 643.208, err: 9.052 },
  { name: 'KIC 11618103 (Yu 2018)', source: ['kepler-pysyd', '11618103_LC.txt'], numax: 106.86, err: 0.78 },
];

describe('ν_max of catalogue stars', () => {
  for (const s of catalogue) {
    it(`${s.name}: ${s.numax} μHz, within max(2σ, 10 %)`, async () => {
      const r = await numaxOf(dataPath('lightcurves', ...s.source));
      expectHonest(r);
      expect(r.detected).toBe(true);
      if (!r.detected) return;
      const sigma = Math.hypot(r.numaxErrMicroHz, s.err);
      expect(Math.abs(r.numaxMicroHz - s.numax)).toBeLessThan(Math.max(2 * sigma, 0.1 * s.numax));
      // The quoted uncertainty is of the order of the catalogue's, not absurd.
      expect(r.numaxErrMicroHz).toBeLessThan(0.05 * s.numax);
    });
  }

  it('KIC 5899262 from its two stitched Kepler quarter FITS files: Yu 2018 ν_max 45.18 ± 2.03 μHz', async () => {
    const dir = dataPath('lightcurves', 'kepler-llc-fits');
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('kplr005899262'))
      .map((f) => `${dir}/${f}`);
    expect(files.length).toBe(2);
    const lc = await readLightCurve(files);
    expect(lc.stitched).toBe(true);
    expect(lc.parts.every((p) => p.target === 'KIC 5899262')).toBe(true);
    const r = estimateNumax(normalizePpm(sigmaClip(lc).lightCurve));
    expect(r.detected).toBe(true);
    if (!r.detected) return;
    expect(r.nyquistMicroHz).toBeCloseTo(283.2, 0); // long cadence found from the time stamps
    expect(Math.abs(r.numaxMicroHz - 45.18)).toBeLessThan(Math.max(2 * Math.hypot(r.numaxErrMicroHz, 2.03), 0.1 * 45.18));
  });
});

describe('every real light curve runs end to end', () => {
  for (const folder of ['kepler-pysyd', 'kepler-pysyd-more']) {
    const dir = dataPath('lightcurves', folder);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('_LC.txt'))) {
      it(`${folder}/${f}`, async () => {
        expectHonest(await numaxOf(`${dir}/${f}`));
      });
    }
  }
  const fitsDir = dataPath('lightcurves', 'kepler-llc-fits');
  const stars = [...new Set(readdirSync(fitsDir).map((f) => f.slice(4, 13)))];
  it('the FITS folder holds six stars', () => expect(stars.length).toBe(6));
  for (const kic of stars) {
    it(`kepler-llc-fits KIC ${Number(kic)}: all quarters stitched`, async () => {
      const lc = await readLightCurve(fitsDir, { target: kic });
      expect(lc.parts.length).toBe(readdirSync(fitsDir).filter((f) => f.includes(kic)).length);
      expect(lc.droppedQuality + lc.droppedNaN).toBeGreaterThan(0);
      expect(lc.flux.length).toBe(lc.parts.reduce((s, p) => s + p.kept, 0) - lc.mergedDuplicates);
      const r = estimateNumax(normalizePpm(sigmaClip(lc).lightCurve));
      expectHonest(r);
      expect(r.nyquistMicroHz).toBeCloseTo(283.2, 0);
      // Long cadence: a non-detection says the envelope could be above Nyquist.
      if (!r.detected) expect(r.notes.join(' ')).toMatch(/above Nyquist/);
    });
  }
});
