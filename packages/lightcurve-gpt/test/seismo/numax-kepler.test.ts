import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { estimateNumax, normalizePpm, readTextLightCurve, sigmaClip } from '../../src/index.js';

// Reference: SYD pipeline results for the KASC WG1 stars (../shared/data/lightcurves/kepler-pysyd/syd_results.txt).
const stars = [
  { kic: '1435467', numax: 1382.311, err: 9.148 },
  { kic: '2309595', numax: 643.208, err: 9.052 },
];

describe('ν_max of real Kepler stars', () => {
  for (const s of stars) {
    it(`recovers KIC ${s.kic} (SYD: ${s.numax} μHz) within 3 %`, async () => {
      const raw = await readTextLightCurve(dataPath('lightcurves', 'kepler-pysyd', `${s.kic}_LC.txt`));
      const lc = normalizePpm(sigmaClip(raw).lightCurve);
      const r = estimateNumax(lc);
      expect(Math.abs(r.numaxMicroHz - s.numax) / s.numax).toBeLessThan(0.03);
      // The quoted uncertainty is finite, positive and of the order of SYD's.
      expect(r.numaxErrMicroHz).toBeGreaterThan(1);
      expect(r.numaxErrMicroHz).toBeLessThan(100);
      // The envelope is a real detection, not a background wiggle.
      expect(r.deltaLogLikelihood2).toBeGreaterThan(25);
    });
  }

  it('rejects a light curve too short for the requested range', () => {
    const t = Float64Array.from({ length: 100 }, (_, i) => i / 48);
    expect(() => estimateNumax({ timeDays: t, flux: t.map(Math.sin) }, { minFrequencyMicroHz: 500 })).toThrow(ValueError);
  });
});
