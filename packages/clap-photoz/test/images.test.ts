import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, FormatError, ready, SchemaError, ShapeError, tf, ValueError } from '@astro/core';
import { Rng } from '@astro/core/nn';
import {
  adaptiveKnnPdfs,
  ClapImagePhotoz,
  crps,
  dihedral,
  fitRecalibration,
  ksUniform,
  loadSdssFilters,
  loadSedTemplates,
  neighbours,
  normalizePdfs,
  pit,
  pointMetrics,
  recalibratePdfs,
  simulateCatalogue,
  simulateCutouts,
  trainingPits,
  zGrid,
  gridZ,
  type Photometry,
  type SimulatedCatalogue,
} from '../src/index.js';

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

function subset(cat: SimulatedCatalogue, lo: number, hi: number): Photometry {
  return {
    n: hi - lo,
    mag: cat.mag.slice(5 * lo, 5 * hi),
    magErr: cat.magErr.slice(5 * lo, 5 * hi),
    zSpec: cat.zSpec.slice(lo, hi),
    rows: Int32Array.from({ length: hi - lo }, (_, i) => i),
    dropped: new Int32Array(0),
  };
}

describe('image augmentation', () => {
  it('the 8 flips/rotations are distinct, 4 quarter turns are the identity, and flips preserve every band’s flux', () => {
    const S = 4;
    const B = 2;
    const src = Float32Array.from({ length: S * S * B }, (_, i) => i);
    const seen = new Set<string>();
    for (let t = 0; t < 8; t++) {
      const d = new Float32Array(src.length);
      dihedral(src, 0, S, B, t, d, 0);
      seen.add(d.join(','));
      for (let b = 0; b < B; b++)
        expect(d.filter((_, i) => i % B === b).reduce((a, v) => a + v, 0)).toBe(
          src.filter((_, i) => i % B === b).reduce((a, v) => a + v, 0),
        );
    }
    expect(seen.size).toBe(8);
    let x = src;
    for (let r = 0; r < 4; r++) {
      const d = new Float32Array(src.length);
      dihedral(x, 0, S, B, 2, d, 0);
      x = d;
    }
    expect(Array.from(x)).toEqual(Array.from(src));
  });
});

describe('ClapImagePhotoz on simulated Sérsic cutouts (wasm, small run)', () => {
  it('the image latent carries redshift: its PDFs beat the prior and random latents in CRPS, PIT sane, save/load round trip', async () => {
    await ready({ backend: 'wasm', strict: true });
    const nTrain = 400;
    const nTest = 200;
    const cat = simulateCatalogue(await loadSedTemplates(), await loadSdssFilters(), { n: nTrain + nTest, seed: 21 });
    const cut = simulateCutouts(cat, { seed: 22 });
    const px = cut.size * cut.size * cut.bands;
    const part = (lo: number, hi: number) => ({ n: hi - lo, size: cut.size, bands: cut.bands, images: cut.images.slice(lo * px, hi * px) });
    const train = subset(cat, 0, nTrain);
    const test = subset(cat, nTrain, nTrain + nTest);
    const grid = zGrid(0, 0.8, 0.0025);
    const model = new ClapImagePhotoz({
      encoder: { useMagnitudes: 0, channels: [8, 16, 16], hidden: 32 },
      adaptive: { kGrid: [3, 5, 10, 20], window: 30 },
      grid,
    });
    const before = tf.memory().numTensors;
    await model.fit(part(0, nTrain), train, { epochs: 8, batchSize: 50, lr: 1e-2, seed: 1 });
    const pred = await model.predict(part(nTrain, nTrain + nTest));
    const zt = test.zSpec!;
    const crpsImg = mean(crps(pred.pdfs, zt));
    // the prior: the training redshifts' kernel density, the same PDF for every test galaxy
    const prior = new Float64Array(nTest * grid.n);
    for (let j = 0; j < grid.n; j++) {
      let s = 0;
      for (const z of train.zSpec!) s += Math.exp(-0.5 * ((gridZ(grid, j) - z) / 0.01) ** 2);
      for (let i = 0; i < nTest; i++) prior[i * grid.n + j] = s;
    }
    const crpsPrior = mean(crps(normalizePdfs(grid, prior), zt));
    // the same adaptive KNN + recalibration on random unit latents
    const rng = new Rng(5);
    const rand = (n: number): Float32Array => {
      const a = Float32Array.from({ length: n * 8 }, () => rng.normal());
      for (let i = 0; i < n; i++) {
        const nrm = Math.hypot(...a.subarray(i * 8, i * 8 + 8));
        for (let k = 0; k < 8; k++) a[i * 8 + k]! /= nrm;
      }
      return a;
    };
    const lt = rand(nTrain);
    const opts = model.config.adaptive;
    const tp = trainingPits(await neighbours(lt, lt, 8, 30, true), train.zSpec!, grid, opts);
    const looRaw = adaptiveKnnPdfs(await neighbours(lt, lt, 8, 30, true), train.zSpec!, grid, tp, opts).pdfs;
    const rec = fitRecalibration(pit(looRaw, train.zSpec!));
    const randPdfs = recalibratePdfs(adaptiveKnnPdfs(await neighbours(rand(nTest), lt, 8, 30), train.zSpec!, grid, tp, opts).pdfs, rec);
    const crpsRand = mean(crps(randPdfs, zt));
    const u = pit(pred.pdfs, zt);
    const pm = pointMetrics(pred.summary.median, zt);
    console.log(
      `image CLAP: CRPS ${crpsImg.toFixed(4)} (prior ${crpsPrior.toFixed(4)}, random latents ${crpsRand.toFixed(4)}), PIT KS ${ksUniform(u).toFixed(3)}, σ_MAD ${pm.sigmaMAD.toFixed(4)}, outliers ${pm.outlierFrac.toFixed(3)}`,
    );
    // measured: 0.0214 vs 0.0226 (prior) and 0.0243 (random latents), PIT KS 0.128, after core's Rng changed the
    // simulated sample and every seeded stream (before: 0.0203 vs 0.0239 and 0.0250, KS 0.046); images alone
    // carry less than the catalogue's colours at this size, and the margin over the prior depends on the sample
    expect(crpsImg).toBeLessThan(crpsPrior);
    expect(crpsImg).toBeLessThan(crpsRand);
    expect(ksUniform(u)).toBeLessThan(0.15);

    // save/load: the reloaded CNN gives the same latent and the same PDFs
    const dir = await mkdtemp(join(tmpdir(), 'clap-img-'));
    try {
      await model.save(dir);
      const again = await ClapImagePhotoz.load(dir);
      const a = await model.latent(part(nTrain, nTrain + 20));
      const b = await again.latent(part(nTrain, nTrain + 20));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
      const p2 = await again.predict(part(nTrain, nTrain + 20));
      for (let i = 0; i < p2.pdfs.p.length; i++)
        expect(Math.abs(p2.pdfs.p[i]! - pred.pdfs.p[i]!)).toBeLessThan(1e-6 * (1 + pred.pdfs.p[i]!));
      again.dispose();
      // a photometric model's directory, a truncated weight file, a missing file: typed errors
      const cfg = await readFile(join(dir, 'config.json'), 'utf8');
      await writeFile(join(dir, 'config.json'), cfg.replace('ClapImagePhotoz"', 'ClapPhotoz"'));
      await expect(ClapImagePhotoz.load(dir)).rejects.toThrow(SchemaError);
      await writeFile(join(dir, 'config.json'), cfg);
      const w = await readFile(join(dir, 'model.safetensors'));
      await writeFile(join(dir, 'model.safetensors'), w.subarray(0, w.length - 100));
      await expect(ClapImagePhotoz.load(dir)).rejects.toThrow(FormatError);
      await rm(join(dir, 'model.safetensors'));
      await expect(ClapImagePhotoz.load(dir)).rejects.toThrow(FileError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(model.predict({ n: 2, size: 30, bands: 5, images: new Float32Array(2 * 30 * 30 * 5) })).rejects.toThrow(ShapeError);
    await expect(model.predict({ n: 2, size: 32, bands: 5, images: new Float32Array(3) })).rejects.toThrow(ShapeError);
    const nan = part(nTrain, nTrain + 1);
    nan.images[7] = Number.NaN;
    await expect(model.predict(nan)).rejects.toThrow(ValueError);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
