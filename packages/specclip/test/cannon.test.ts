import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, ValueError, FormatError, SchemaError, FileError } from '@astro/core';
import { numericGradient } from '@astro/core/linalg';
import {
  QuadraticCannon,
  quadraticLabelVector,
  quadraticLabelJacobian,
  quadraticTermCount,
  loadApogeeGiants,
  kFold,
  takeRows,
  robustScatter,
  encodeCannon,
  decodeCannon,
  saveCannon,
  loadCannon,
} from '../src/index.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ref from './fixtures/cannon.json';

describe('quadratic label vector', () => {
  it('has 1 + L + L(L+1)/2 terms in Cannon order, and an exact Jacobian', () => {
    expect(quadraticTermCount(3)).toBe(10);
    expect(Array.from(quadraticLabelVector([2, 3, 5], new Float64Array(10)))).toEqual([1, 2, 3, 5, 4, 6, 10, 9, 15, 25]);
    const l = [0.3, -1.2, 0.7];
    const J = quadraticLabelJacobian(l, new Float64Array(30));
    for (let k = 0; k < 10; k++) {
      const g = numericGradient((x) => quadraticLabelVector(x, new Float64Array(10))[k]!, l);
      for (let i = 0; i < 3; i++) expect(J[k * 3 + i]!).toBeCloseTo(g[i]!, 8);
    }
    expect(() => quadraticTermCount(0)).toThrow(ValueError);
  });
});

describe('QuadraticCannon on a known quadratic model', () => {
  it('recovers θ, the intrinsic scatter and the labels of spectra drawn from the model', () => {
    const rng = new Rng(11);
    const n = 3000;
    const P = 6;
    const L = 2;
    const trueTheta = [
      [1, 0.1, -0.05, 0.02, 0.01, -0.03], // one row per pixel: [1, a, b, a², ab, b²]
      [0.9, -0.08, 0.04, 0, 0.02, 0.01],
      [0.95, 0.03, 0.09, -0.02, 0, 0.015],
      [0.8, 0.12, 0.02, 0.01, -0.01, 0],
      [1.02, 0, -0.1, 0.03, 0.02, -0.02],
      [0.85, 0.05, 0.05, -0.015, 0.025, 0.005],
    ];
    const trueScatter = [0, 0.02, 0.01, 0.03, 0, 0.015];
    const labels = new Float64Array(n * L);
    const flux = new Float64Array(n * P);
    const err = new Float64Array(n * P);
    for (let i = 0; i < n; i++) {
      const a = 4500 + 300 * rng.normal();
      const b = 2.5 + 0.5 * rng.normal();
      labels.set([a, b], i * L);
      const sa = (a - 4500) / 300;
      const sb = (b - 2.5) / 0.5;
      for (let p = 0; p < P; p++) {
        const t = trueTheta[p]!;
        const e = 0.005 + 0.01 * rng.uniform();
        err[i * P + p] = e;
        flux[i * P + p] =
          t[0]! +
          t[1]! * sa +
          t[2]! * sb +
          t[3]! * sa * sa +
          t[4]! * sa * sb +
          t[5]! * sb * sb +
          Math.hypot(e, trueScatter[p]!) * rng.normal();
      }
    }
    const cannon = new QuadraticCannon({ labels: L, pixels: P }).fit({ labels, flux, fluxErr: err });
    // θ is in the fitted (sample mean/std) scaling: compare predictions at fixed labels instead.
    const probe = [4500, 2.5, 4800, 3.0, 4200, 2.0];
    const pred = cannon.predictFlux(probe);
    for (let r = 0; r < 3; r++) {
      const sa = (probe[r * 2]! - 4500) / 300;
      const sb = (probe[r * 2 + 1]! - 2.5) / 0.5;
      for (let p = 0; p < P; p++) {
        const t = trueTheta[p]!;
        const truth = t[0]! + t[1]! * sa + t[2]! * sb + t[3]! * sa * sa + t[4]! * sa * sb + t[5]! * sb * sb;
        expect(Math.abs(pred[r * P + p]! - truth)).toBeLessThan(3e-3);
      }
    }
    // ML scatter: within 0.003 of truth for the scattered pixels, < 0.004 for the pure-noise pixels
    trueScatter.forEach((s, p) => expect(Math.abs(cannon.scatter[p]! - s)).toBeLessThan(s > 0 ? 0.003 : 0.004));
    // noise-free spectra at known labels come back exactly (to the optimiser's tolerance)
    const testLabels = [4650, 2.8, 4350, 2.2];
    const clean = cannon.predictFlux(testLabels);
    const got = cannon.inferLabels({ flux: clean, fluxErr: new Float64Array(clean.length).fill(0.01) });
    expect(Math.abs(got.labels[0]! - 4650)).toBeLessThan(0.01);
    expect(Math.abs(got.labels[1]! - 2.8)).toBeLessThan(1e-5);
    expect(Math.abs(got.labels[2]! - 4350)).toBeLessThan(0.01);
    expect(got.chi2[0]!).toBeLessThan(1e-12);
  });

  it('rejects bad input with typed errors', () => {
    const c = new QuadraticCannon({ labels: 2, pixels: 3 });
    expect(() => c.predictFlux([1, 2])).toThrow(ValueError); // not fitted
    expect(() => c.fit({ labels: [1, 2, 3], flux: [1, 1, 1], fluxErr: [1, 1, 1] })).toThrow(ShapeError);
    expect(() => c.fit({ labels: [1, NaN], flux: [1, 1, 1], fluxErr: [1, 1, 1] })).toThrow(ValueError);
    // fewer stars than the 6 terms of a 2-label quadratic model
    const lab = [1, 2, 2, 3, 3, 1, 4, 4];
    expect(() => c.fit({ labels: lab, flux: new Array(12).fill(1), fluxErr: new Array(12).fill(0.1) })).toThrow(/needs at least 6/);
    expect(() => new QuadraticCannon({ labels: 2, pixels: 0 })).toThrow(ValueError);
  });
});

describe('QuadraticCannon on the 671 real APOGEE giants', async () => {
  const g = await loadApogeeGiants();
  const folds = kFold(g.n, ref.kfold.folds);

  it('fold 0 training matches numpy lstsq (s = 0) and the scipy profile-likelihood scatter; it saves and loads', async () => {
    const f = folds[0]!;
    const args = {
      labels: takeRows(g.labels, 3, f.train),
      flux: takeRows(g.flux, g.pixels, f.train),
      fluxErr: takeRows(g.fluxErr, g.pixels, f.train),
    };
    const plain = new QuadraticCannon({ labels: 3, pixels: g.pixels, fitScatter: false }).fit(args);
    ref.fold0.theta_no_scatter.forEach((v, i) => expect(Math.abs(plain.theta[i]! - v)).toBeLessThan(1e-9 + 1e-7 * Math.abs(v)));
    const cannon = new QuadraticCannon({ labels: 3, pixels: g.pixels }).fit(args);
    ref.fold0.scatter.forEach((v, p) => expect(Math.abs(cannon.scatter[p]! - v)).toBeLessThan(1e-6));
    ref.fold0.theta.forEach((v, i) => expect(Math.abs(cannon.theta[i]! - v)).toBeLessThan(1e-6 + 1e-5 * Math.abs(v)));
    // the test step agrees with scipy's MINPACK Levenberg–Marquardt from the same start
    const rows = Int32Array.from(ref.fold0.test_rows);
    const got = cannon.inferLabels({ flux: takeRows(g.flux, g.pixels, rows), fluxErr: takeRows(g.fluxErr, g.pixels, rows) });
    const tolerance = [0.5, 1e-3, 1e-3]; // K, dex, dex
    ref.fold0.test_labels.forEach((v, i) => expect(Math.abs(got.labels[i]! - v)).toBeLessThan(tolerance[i % 3]!));
    ref.fold0.test_chi2.forEach((v, i) => expect(Math.abs(got.chi2[i]! - v)).toBeLessThan(1e-6 * v + 1e-9));
    expect(() => cannon.inferLabels({ flux: new Float64Array(g.pixels), fluxErr: new Float64Array(g.pixels - 1) })).toThrow(ShapeError);

    // config.json + float64 safetensors round trip: the same labels, bit for bit
    const dir = mkdtempSync(join(tmpdir(), 'cannon-'));
    try {
      await cannon.save(join(dir, 'model'), { labelUnits: ['K', 'dex', 'dex'] });
      const again = await QuadraticCannon.load(join(dir, 'model'));
      const got2 = again.inferLabels({ flux: takeRows(g.flux, g.pixels, rows), fluxErr: takeRows(g.fluxErr, g.pixels, rows) });
      expect(Array.from(got2.labels)).toEqual(Array.from(got.labels));
      expect(JSON.parse(readFileSync(join(dir, 'model', 'config.json'), 'utf8')).kind).toBe('@astro/specclip/QuadraticCannon');
      expect(readdirSync(join(dir, 'model')).sort()).toEqual(['config.json', 'model.safetensors']); // no temporary files left
      // the free functions are the same thing; a folder saved with the earlier kind still loads
      await saveCannon(join(dir, 'legacy'), cannon);
      const cfg = join(dir, 'legacy', 'config.json');
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('@astro/specclip/QuadraticCannon', 'specclip.quadratic-cannon'));
      expect(Array.from((await loadCannon(join(dir, 'legacy'))).theta)).toEqual(Array.from(cannon.theta));
      // a missing folder is a FileError naming it, not a raw ENOENT
      await expect(QuadraticCannon.load(join(dir, 'nope'))).rejects.toThrow(FileError);
      await expect(QuadraticCannon.load(join(dir, 'nope'))).rejects.toThrow(/nope/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const files = encodeCannon(cannon);
    expect(() => decodeCannon({ ...files, weights: files.weights.subarray(0, 100) })).toThrow(FormatError);
    expect(() =>
      decodeCannon({ ...files, config: files.config.replace('@astro/specclip/QuadraticCannon', '@astro/specclip/SpecClip') }),
    ).toThrow(SchemaError);
    expect(() => encodeCannon(new QuadraticCannon({ labels: 3, pixels: 5 }))).toThrow(SchemaError);
  });

  it('5-fold robust scatter of Teff, log g, [M/H] equals the Python reference', () => {
    const pred = new Float64Array(g.n * 3);
    for (const f of folds) {
      const cannon = new QuadraticCannon({ labels: 3, pixels: g.pixels }).fit({
        labels: takeRows(g.labels, 3, f.train),
        flux: takeRows(g.flux, g.pixels, f.train),
        fluxErr: takeRows(g.fluxErr, g.pixels, f.train),
      });
      const r = cannon.inferLabels({ flux: takeRows(g.flux, g.pixels, f.test), fluxErr: takeRows(g.fluxErr, g.pixels, f.test) });
      f.test.forEach((row, i) => pred.set(r.labels.subarray(i * 3, i * 3 + 3), row * 3));
    }
    for (let j = 0; j < 3; j++) {
      const res = Float64Array.from({ length: g.n }, (_, i) => pred[i * 3 + j]! - g.labels[i * 3 + j]!);
      const s = robustScatter(res);
      expect(Math.abs(s - ref.kfold.robust_scatter[j]!)).toBeLessThan(0.005 * ref.kfold.robust_scatter[j]!);
    }
  });
});
