import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { Rng } from '@astro/core/nn';
import {
  bandTable,
  evaluatePdfs,
  fitRedshiftPrior,
  gridZ,
  lnGamma,
  loadSdssFilters,
  loadSedTemplates,
  logPrior,
  mixedBandFlux,
  readPhotometry,
  simulateCatalogue,
  TemplateFitPhotoz,
  zGrid,
  type Photometry,
  type SimulatedCatalogue,
} from '../src/index.js';
import fx from './fixtures/sed.json' with { type: 'json' };

function head(c: Photometry, n: number, from = 0): Photometry {
  return {
    ...c,
    n,
    mag: c.mag.slice(5 * from, 5 * (from + n)),
    magErr: c.magErr.slice(5 * from, 5 * (from + n)),
    zSpec: c.zSpec!.slice(from, from + n),
    rows: c.rows.slice(from, from + n),
  };
}

describe('BPZ redshift prior', () => {
  it("is scipy's generalised gamma (a = (α+1)/α, c = α, scale z_m) and ln Γ is exact", () => {
    for (const p of fx.prior) {
      p.z.forEach((z, k) => expect(logPrior({ alpha: p.alpha, z0: p.z0, km: p.km, mRef: 17 }, z, p.m0)).toBeCloseTo(p.logpdf[k]!, 9));
    }
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logPrior({ alpha: 2, z0: 0.1, km: 0, mRef: 17 }, 0, 17)).toBe(-Infinity);
  });

  it('maximum likelihood recovers the parameters of galaxies drawn from it (seeded, 4000 draws)', () => {
    const truth = { alpha: 2.2, z0: 0.1, km: 0.4, mRef: 17 };
    const rng = new Rng(5);
    const z: number[] = [];
    const m: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const m0 = 15 + 2.77 * rng.uniform();
      const zm = truth.z0 * Math.exp(truth.km * (m0 - 17));
      // (z/z_m)^α ~ Gamma(1 + 1/α, 1): draw by inverse CDF on a fine grid of u
      let u = 0;
      const target = rng.uniform();
      const k = 1 + 1 / truth.alpha;
      let cdf = 0;
      const du = 1e-3;
      const norm = Math.exp(lnGamma(k));
      while (cdf < target && u < 50) {
        cdf += (Math.exp((k - 1) * Math.log(u + du / 2) - (u + du / 2)) * du) / norm;
        u += du;
      }
      z.push(zm * u ** (1 / truth.alpha));
      m.push(m0);
    }
    const fit = fitRedshiftPrior(z, m);
    expect(fit.alpha).toBeGreaterThan(2.2 * 0.93);
    expect(fit.alpha).toBeLessThan(2.2 * 1.07);
    expect(fit.z0).toBeCloseTo(0.1, 2);
    expect(fit.km).toBeCloseTo(0.4, 1);
    expect(() => fitRedshiftPrior([0.1, 0.2], [17, 17])).toThrow(ValueError);
  });
});

describe('BPZ-like template fitting', () => {
  it('a galaxy that is exactly a template at a grid redshift gets its PDF mode there (flat prior, χ² = 0)', async () => {
    const templates = await loadSedTemplates();
    const filters = await loadSdssFilters();
    const grid = zGrid(0, 0.6, 0.005);
    const tf = new TemplateFitPhotoz(templates, filters, { grid, errorFloor: 0 });
    const tab = bandTable(templates, filters, 0.61);
    const js = [20, 57, 90];
    const cat: Photometry = {
      n: 3,
      mag: new Float64Array(15),
      magErr: new Float64Array(15).fill(0.002),
      rows: Int32Array.of(0, 1, 2),
      dropped: new Int32Array(0),
    };
    js.forEach((j, i) => {
      const f = mixedBandFlux(tab, 1 + i / 3, gridZ(grid, j)); // Sbc, and interpolated types 4/3, 5/3
      for (let b = 0; b < 5; b++) cat.mag[i * 5 + b] = 18 - 2.5 * Math.log10(f[b]!);
    });
    const { summary } = tf.predict(cat);
    js.forEach((j, i) => expect(summary.mode[i]).toBeCloseTo(gridZ(grid, j), 9));
    expect(() => new TemplateFitPhotoz(templates, filters, { classes: [0, 1] })).toThrow(ValueError);
  });

  it('recovers the redshifts of simulated galaxies (σ_MAD < 0.01 with small errors and fine template interpolation)', async () => {
    const templates = await loadSedTemplates();
    const filters = await loadSdssFilters();
    const sim: SimulatedCatalogue = simulateCatalogue(templates, filters, {
      n: 300,
      seed: 9,
      errors: { a: [-2.5, -2.5, -2.5, -2.5, -2.5], s: [0, 0, 0, 0, 0], tau: [0, 0, 0, 0, 0] },
    });
    // the simulator's types are continuous: 8 interpolated templates per pair resolve them (2 per pair gives σ_MAD ≈ 0.02)
    const tf = new TemplateFitPhotoz(templates, filters, { errorFloor: 0.01, interp: 8 });
    const m = evaluatePdfs(tf.predict(sim).pdfs, sim.zSpec);
    expect(m.point.median.sigmaMAD).toBeLessThan(0.01);
    expect(Math.abs(m.point.median.bias)).toBeLessThan(0.003);
    expect(m.point.median.outlierFrac).toBeLessThan(0.02);
  });

  it('on real SDSS galaxies the fitted prior and zero points beat the flat prior (σ_MAD < 0.03)', async () => {
    const templates = await loadSedTemplates();
    const filters = await loadSdssFilters();
    const train = head(await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt')), 2000);
    const valid = head(await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt')), 300);
    const tf = new TemplateFitPhotoz(templates, filters);
    const flat = evaluatePdfs(tf.predict(valid).pdfs, valid.zSpec!);
    tf.fit(train);
    const cal = tf.calibration!;
    expect(cal.priors.length).toBe(3);
    expect(cal.classFractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // the u zero point: SDSS u is known to be off AB by a few hundredths, the templates' UV by more
    expect(Math.abs(cal.zeroPoints[2]!)).toBeLessThan(0.05);
    const bpz = evaluatePdfs(tf.predict(valid).pdfs, valid.zSpec!);
    console.log(
      JSON.stringify({
        bpz: { sigmaMAD: bpz.point.median.sigmaMAD, ks: bpz.pitKS, crps: bpz.crps },
        flat: { sigmaMAD: flat.point.median.sigmaMAD, crps: flat.crps },
      }),
    );
    expect(bpz.point.median.sigmaMAD).toBeLessThan(0.03);
    expect(bpz.crps).toBeLessThan(flat.crps);
    expect(bpz.point.median.outlierFrac).toBeLessThan(flat.point.median.outlierFrac);
    // the JSON form rebuilds the same model; other templates are refused
    const again = TemplateFitPhotoz.fromJSON(JSON.parse(JSON.stringify(tf)), templates, filters);
    expect(Array.from(again.predict(head(valid, 20)).pdfs.p)).toEqual(Array.from(tf.predict(head(valid, 20)).pdfs.p));
    expect(() => TemplateFitPhotoz.fromJSON(JSON.parse(JSON.stringify(tf)), templates.slice(1), filters)).toThrow(/fitted with templates/);
    expect(() => TemplateFitPhotoz.fromJSON({ kind: 'KnnPhotoz' }, templates, filters)).toThrow(/expected kind/);
    const noZ: Photometry = { ...train };
    delete noZ.zSpec;
    expect(() => tf.fit(noZ)).toThrow(/no z_spec/);
  });
});
