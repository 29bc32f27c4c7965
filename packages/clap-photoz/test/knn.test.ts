import { describe, expect, it } from 'vitest';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import {
  colourFeatures,
  evaluatePdfs,
  fitStandardizer,
  knnPdfs,
  N_FEATURES,
  neighbours,
  readPhotometry,
  standardize,
  zGrid,
} from '../src/index.js';

describe('KNN PDF baseline on real SDSS galaxies', () => {
  it('neighbours in colour space give σ_MAD < 0.03 on the validation set (wasm)', async () => {
    await ready({ backend: 'wasm', strict: true });
    const train = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
    const valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
    const ft = colourFeatures(train);
    const s = fitStandardizer(ft, N_FEATURES);
    const nb = await neighbours(standardize(colourFeatures(valid), s), standardize(ft, s), N_FEATURES, 20);
    const set = knnPdfs(nb, train.zSpec!, zGrid(0, 0.8, 0.0025));
    const m = evaluatePdfs(set, valid.zSpec!);
    expect(m.n).toBe(1000);
    expect(m.point.median.sigmaMAD).toBeLessThan(0.03);
    expect(m.point.median.outlierFrac).toBeLessThan(0.1);
    expect(m.pitKS).toBeLessThan(0.2);
    expect(m.coverage68).toBeGreaterThan(0.4);
    console.log(JSON.stringify({ knn: { sigmaMAD: m.point.median.sigmaMAD, ks: m.pitKS, crps: m.crps, cov68: m.coverage68 } }));
  });

  it('leave-one-out never returns the query itself', async () => {
    await ready({ backend: 'cpu', strict: true });
    const x = Float32Array.from([0, 0, 1, 0, 0, 1, 5, 5]);
    const nb = await neighbours(x, x, 2, 2, true);
    for (let i = 0; i < 4; i++) for (let r = 0; r < 2; r++) expect(nb.indices[i * 2 + r]).not.toBe(i);
  });
});
