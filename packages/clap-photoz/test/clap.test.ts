import { describe, expect, it } from 'vitest';
import { ready, tf, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { Rng } from '@astro/core/nn';
import {
  ClapPhotoz,
  chooseK,
  evaluatePdfs,
  fitRecalibration,
  gridZ,
  harmonicEnsemble,
  ksUniform,
  normalizePdfs,
  pit,
  pointEstimates,
  readPhotometry,
  recalMap,
  recalibratePdfs,
  zGrid,
  type Photometry,
} from '../src/index.js';

const grid = zGrid(0, 1, 0.002);
function gauss(mu: number[], sigma: number[]) {
  const p = new Float64Array(mu.length * grid.n);
  mu.forEach((m, i) => {
    for (let j = 0; j < grid.n; j++) p[i * grid.n + j] = Math.exp(-0.5 * ((gridZ(grid, j) - m) / sigma[i]!) ** 2);
  });
  return normalizePdfs(grid, p);
}

describe('harmonic-mean ensemble', () => {
  it('of identical realisations is the realisation', () => {
    const a = gauss([0.3], [0.04]);
    const h = harmonicEnsemble([a, a, a]);
    // ε is added and subtracted again, so the realisation comes back
    for (let j = 0; j < grid.n; j++) expect(Math.abs(h.p[j]! - a.p[j]!)).toBeLessThan(1e-9);
  });
  it('of two equal-width Gaussians N(a,σ²), N(b,σ²) peaks midway and is narrower than their mixture', () => {
    const h = harmonicEnsemble([gauss([0.3], [0.03]), gauss([0.36], [0.03])]);
    const pe = pointEstimates(h);
    expect(pe.mean[0]).toBeCloseTo(0.33, 4);
    // 1/h ∝ e^{(z−a)²/2σ²} + e^{(z−b)²/2σ²} = 2e^{…}cosh(Δ(z−m)/σ²): symmetric about m = (a+b)/2
    expect(pe.median[0]).toBeCloseTo(0.33, 4);
  });
  it('handles zero bins: disjoint supports give a finite, normalised PDF, never NaN', () => {
    const a = new Float64Array(grid.n);
    const b = new Float64Array(grid.n);
    a[100] = 1;
    b[300] = 1;
    const h = harmonicEnsemble([normalizePdfs(grid, a), normalizePdfs(grid, b)]);
    expect(h.p.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(() => harmonicEnsemble([])).toThrow();
  });
});

describe('PIT recalibration', () => {
  it('keeps G(0)=0, G(1)=1 and maps over-dispersed PITs back to uniform', () => {
    const rng = new Rng(3);
    // PDFs twice too wide: PIT = Φ(x/2) with x ~ N(0,1) — concentrated near ½
    const n = 2000;
    const mu = Array.from({ length: n }, () => 0.3 + 0.02 * rng.normal());
    const wide = gauss(
      mu,
      mu.map(() => 0.04),
    );
    const zs = mu.map((m) => m + 0.02 * rng.normal());
    const u = pit(wide, zs);
    const g = fitRecalibration(u);
    expect(recalMap(g, 0)).toBe(0);
    expect(recalMap(g, 1)).toBe(1);
    const after = pit(recalibratePdfs(wide, g), zs);
    expect(ksUniform(u)).toBeGreaterThan(0.1);
    expect(ksUniform(after)).toBeLessThan(0.03);
    expect(() => fitRecalibration([0.5, 0.2])).toThrow(ValueError);
  });
});

describe('adaptive k', () => {
  it('picks, per galaxy, the k whose local PITs are most uniform', () => {
    // two training PIT vectors: k=5 uniform on galaxies 0-49 and piled at 0.5 on 50-99; k=10 the reverse
    const tpA = new Float64Array(100);
    const tpB = new Float64Array(100);
    for (let i = 0; i < 50; i++) {
      tpA[i] = (i + 0.5) / 50;
      tpA[50 + i] = 0.5;
      tpB[i] = 0.5;
      tpB[50 + i] = (i + 0.5) / 50;
    }
    const idx = new Int32Array(2 * 50);
    for (let l = 0; l < 50; l++) {
      idx[l] = l;
      idx[50 + l] = 50 + l;
    }
    const k = chooseK({ indices: idx, k: 50, rows: 2 }, [tpA, tpB], { kGrid: [5, 10], window: 50, bandwidth: 0.01 });
    expect(Array.from(k)).toEqual([5, 10]);
  });
});

function subset(c: Photometry, n: number): Photometry {
  return { ...c, n, mag: c.mag.slice(0, 5 * n), magErr: c.magErr.slice(0, 5 * n), zSpec: c.zSpec!.slice(0, n), rows: c.rows.slice(0, n) };
}

describe('ClapPhotoz on real SDSS galaxies (wasm, small run)', () => {
  it('fits 2000 galaxies and predicts calibrated PDFs for the 1000 validation galaxies', async () => {
    await ready({ backend: 'wasm', strict: true });
    const train = subset(await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt')), 2000);
    const valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
    const before = tf.memory().numTensors;
    const model = new ClapPhotoz({ realisations: 1, adaptive: { kGrid: [5, 10, 20, 40], window: 40, bandwidth: 0.01 } });
    await expect(model.predict(valid)).rejects.toThrow(/not fitted/);
    await model.fit(train, { epochs: 4, seed: 2 });
    const { pdfs, summary } = await model.predict(valid);
    expect(pdfs.m).toBe(1000);
    expect(summary.median.length).toBe(1000);
    const m = evaluatePdfs(pdfs, valid.zSpec!);
    expect(m.point.median.sigmaMAD).toBeLessThan(0.03);
    expect(m.pitKS).toBeLessThan(0.08);
    expect(m.coverage95).toBeGreaterThan(0.85);
    console.log(JSON.stringify({ clapSmall: { sigmaMAD: m.point.median.sigmaMAD, ks: m.pitKS, cov68: m.coverage68 } }));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const noZ: Photometry = { ...train };
    delete noZ.zSpec;
    await expect(new ClapPhotoz().fit(noZ)).rejects.toThrow(/no z_spec/);
  });
});
