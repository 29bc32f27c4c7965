// %% [markdown]
// # @astro/clap-photoz: photometric-redshift PDFs for SDSS galaxies
//
// Real SDSS ugriz photometry with spectroscopic redshifts: a k-nearest-neighbour PDF baseline on standardised colours (neighbours through `@astro/core/kernels` `topK`), then the CLAP pipeline (contrastive encoder, adaptive KNN, PIT recalibration), each scored with the qp/RAIL metric suite: σ_MAD, bias, outlier fractions, PIT uniformity (KS, CvM, AD, W1), CRPS and coverage.

// %%
import * as tslab from 'tslab';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { histogramPlot, scatterPlot } from '@astro/core/plot';
import {
  readPhotometry,
  colourFeatures,
  fitStandardizer,
  standardize,
  N_FEATURES,
  neighbours,
  knnPdfs,
  zGrid,
  evaluatePdfs,
  pointEstimates,
  pit,
  ksUniform,
  ClapPhotoz,
} from '@astro/clap-photoz';
const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready({ backend: 'wasm' });
const train = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
const valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
const grid = zGrid(0, 0.8, 0.0025);
console.log(`backend ${info.backend}; ${train.zSpec!.length} training and ${valid.zSpec!.length} validation galaxies`);

// %% [markdown]
// ## KNN baseline

// %%
const st = fitStandardizer(colourFeatures(train), N_FEATURES);
const nb = await neighbours(standardize(colourFeatures(valid), st), standardize(colourFeatures(train), st), N_FEATURES, 20);
const knn = knnPdfs(nb, train.zSpec!, grid);
const knnM = evaluatePdfs(knn, valid.zSpec!);
console.log(
  `KNN (k = 20): σ_MAD ${knnM.point.median.sigmaMAD.toFixed(4)}, bias ${knnM.point.median.bias.toFixed(4)}, outliers ${knnM.point.median.outlierFrac.toFixed(3)}, PIT KS ${knnM.pitKS.toFixed(3)}, CRPS ${knnM.crps.toFixed(4)}, 68 % coverage ${knnM.coverage68.toFixed(3)}`,
);
const zMed = pointEstimates(knn).median;
tslab.display.html(
  await scatterPlot({
    x: valid.zSpec!,
    y: zMed,
    title: 'KNN median z_phot vs z_spec, SDSS validation',
    xAxis: { title: 'z_spec', domain: [0, 0.7] },
    yAxis: { title: 'z_phot (PDF median)', domain: [0, 0.7] },
    size: 6,
    width: 380,
    height: 380,
  }),
);
const u = pit(knn, valid.zSpec!);
tslab.display.html(
  await histogramPlot({
    values: u,
    edges: Array.from({ length: 21 }, (_, i) => i / 20),
    density: true,
    expected: 1,
    title: 'KNN PIT histogram (flat = calibrated)',
    x: { title: 'PIT' },
  }),
);

// %% [markdown]
// ## CLAP
//
// Smoke settings train the encoder for a few epochs with one realisation; `ASTRO_SMOKE=0` runs the full model.

// %%
const clap = new ClapPhotoz({ grid: grid, realisations: smoke ? 1 : 3 });
await clap.fit(train, { epochs: smoke ? 5 : 40, seed: 1 });
const { pdfs } = await clap.predict(valid, 'recalibrated');
const clapM = evaluatePdfs(pdfs, valid.zSpec!);
console.log(
  `CLAP (recalibrated): σ_MAD ${clapM.point.median.sigmaMAD.toFixed(4)}, PIT KS ${clapM.pitKS.toFixed(3)}, CRPS ${clapM.crps.toFixed(4)}, 68 % coverage ${clapM.coverage68.toFixed(3)}`,
);
clap.dispose();

// %% [markdown]
// ## Checks
//
// σ_MAD and the PIT KS statistic are recomputed here from their definitions.

// %%
const zs = valid.zSpec!;
const dz = Array.from(zs, (z, i) => (zMed[i]! - z) / (1 + z));
const med = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
const m0 = med(dz);
const sigmaMAD = 1.4826 * med(dz.map((d) => Math.abs(d - m0)));
const us = Array.from(u).sort((a, b) => a - b);
const ks = us.reduce((d, v, i) => Math.max(d, (i + 1) / us.length - v, v - i / us.length), 0);
console.log(
  `σ_MAD by hand ${sigmaMAD.toFixed(6)} vs suite ${knnM.point.median.sigmaMAD.toFixed(6)}; KS by hand ${ks.toFixed(6)} vs suite ${knnM.pitKS.toFixed(6)}`,
);
if (!(Math.abs(sigmaMAD - knnM.point.median.sigmaMAD) < 1e-9)) throw new Error('σ_MAD disagrees with its definition');
if (!(Math.abs(ks - knnM.pitKS) < 1e-9) || !(Math.abs(ksUniform(u) - ks) < 1e-12)) throw new Error('PIT KS disagrees with its definition');
if (!(knnM.point.median.sigmaMAD < 0.03)) throw new Error(`KNN σ_MAD ${knnM.point.median.sigmaMAD} (expected ≈ 0.020 on SDSS)`);
if (!(knnM.pitKS < 0.06)) throw new Error(`KNN PIT KS ${knnM.pitKS} (expected ≈ 0.04)`);
if (!(clapM.point.median.sigmaMAD < 0.05)) throw new Error(`CLAP σ_MAD ${clapM.point.median.sigmaMAD}`);
console.log('ok');
