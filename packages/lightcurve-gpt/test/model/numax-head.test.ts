import { expect, it } from 'vitest';
import { Rng, ShapeError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { describeBackends } from '@astro/core/testing';
import {
  LightCurveGPT,
  concatWindows,
  fitNumaxHead,
  highPassMedian,
  loggFromNumax,
  normalizePpm,
  patchify,
  predictNumax,
  pretrain,
  readTextLightCurve,
  sigmaClip,
  simulateStar,
} from '../../src/index.js';

const P = 16;
const T = 8;
/** Simulated 1-minute dwarfs/subgiants, ν_max log-spaced over 500–2000 μHz (golden-ratio order), 100 ppm white noise per cadence. */
function stars(n: number, seed: number, whiteNoisePpm: number) {
  return Array.from({ length: n }, (_, i) => {
    const numax = 500 * 4 ** ((i * 0.618034 + seed * 0.37) % 1);
    const s = simulateStar({
      logg: loggFromNumax(numax, 6000),
      teffK: 6000,
      cadence: 'short',
      durationDays: 1,
      whiteNoisePpm,
      seed: new Rng(seed).fork('star').fork(String(i)).nextUint32(),
    });
    return { windows: patchify(highPassMedian(s, 0.5), { patchSize: P, numPatches: T, maxWindows: 6 }), numaxMicroHz: s.numaxMicroHz };
  });
}

await describeBackends(
  'ν_max head on LightCurveGPT embeddings',
  () => {
    it('learns ln ν_max of held-out simulated stars better than predicting the mean, and runs on a real Kepler star', async () => {
      const train = stars(48, 1, 100);
      const test = stars(16, 2, 100);
      const model = new LightCurveGPT({ patchSize: P, maxPatches: T, dim: 16, layers: 1, heads: 2, positions: 'rotary', seed: 3 });
      await pretrain(model, concatWindows(train.map((s) => s.windows)), { steps: 60, batchSize: 16, lr: 3e-3, seed: 1 });
      const head = await fitNumaxHead(model, train, { alpha: 1 });
      expect(head.domainMicroHz[0]).toBeGreaterThanOrEqual(500);
      expect(head.domainMicroHz[1]).toBeLessThanOrEqual(2000);
      const lnMean = train.reduce((a, s) => a + Math.log(s.numaxMicroHz), 0) / train.length;
      let se = 0;
      let se0 = 0;
      for (const s of test) {
        const r = await predictNumax(model, head, s.windows);
        expect(r.windows).toBe(s.windows.windows);
        expect(r.numaxErrMicroHz).toBeGreaterThan(0);
        se += (Math.log(r.numaxMicroHz) - Math.log(s.numaxMicroHz)) ** 2;
        se0 += (lnMean - Math.log(s.numaxMicroHz)) ** 2;
      }
      // A weak but real signal (the README says to use the classical estimator on real stars).
      expect(Math.sqrt(se / test.length)).toBeLessThan(0.9 * Math.sqrt(se0 / test.length));
      // The real 1-minute light curve of KIC 2309595 (SYD 643.2 μHz), a few windows.
      const lc = normalizePpm(sigmaClip(await readTextLightCurve(dataPath('lightcurves', 'kepler-pysyd', '2309595_LC.txt'))).lightCurve);
      const r = await predictNumax(model, head, patchify(highPassMedian(lc, 0.5), { patchSize: P, numPatches: T, maxWindows: 12 }));
      expect(r.windows).toBe(12);
      expect(Number.isFinite(r.numaxMicroHz) && r.numaxMicroHz > 0).toBe(true);
      expect(r.extrapolated).toBe(r.numaxMicroHz < head.domainMicroHz[0] || r.numaxMicroHz > head.domainMicroHz[1]);
      const other = new LightCurveGPT({ patchSize: P, maxPatches: T, dim: 8, layers: 1, heads: 2 });
      await expect(predictNumax(other, head, test[0]!.windows)).rejects.toThrow(ShapeError);
      await expect(fitNumaxHead(model, train.slice(0, 1))).rejects.toThrow(ValueError);
      await expect(fitNumaxHead(model, [train[0]!, { ...train[1]!, numaxMicroHz: NaN }])).rejects.toThrow(/star 1 has ν_max NaN/);
      other.dispose();
      model.dispose();
    });
  },
  { backends: ['wasm'] },
);
