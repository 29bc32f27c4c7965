// The SED-template simulator: an SDSS-like catalogue (templates redshifted through the SDSS filters,
// magnitude-limited, realistic errors), then CLAP, KNN and BPZ-like template fitting trained on
// 80% of it and evaluated on the rest. ASTRO_SMOKE=1 runs a short version.
import { ready } from '@astro/core';
import {
  ClapPhotoz,
  evaluatePdfs,
  KnnPhotoz,
  loadSdssFilters,
  loadSedTemplates,
  median,
  metricsTable,
  simulateCatalogue,
  TemplateFitPhotoz,
  type Photometry,
  type PhotozMetrics,
} from '@astro/clap-photoz';

const smoke = process.env['ASTRO_SMOKE'] === '1';
await ready();
const templates = await loadSedTemplates(); // ../shared/data/photoz/sed-templates (ASTRO_DATA_DIR)
const filters = await loadSdssFilters(); //    ../shared/data/photoz/filters
const n = smoke ? 1500 : 6000;
const sim = simulateCatalogue(templates, filters, { n, seed: 1 }); // r ≤ 17.77, SDSS error model
console.log(`simulated ${sim.n} galaxies: median z ${median(Array.from(sim.zSpec)).toFixed(3)}`);

const part = (from: number, to: number): Photometry => ({
  n: to - from,
  mag: sim.mag.slice(5 * from, 5 * to),
  magErr: sim.magErr.slice(5 * from, 5 * to),
  zSpec: sim.zSpec.slice(from, to),
  rows: sim.rows.slice(from, to),
  dropped: new Int32Array(0),
});
const cut = Math.round(0.8 * n);
const train = part(0, cut);
const test = part(cut, n);

const rows: Record<string, PhotozMetrics> = {};
const knn = new KnnPhotoz();
knn.fit(train);
rows['KNN (k=20, colours)'] = evaluatePdfs((await knn.predict(test)).pdfs, test.zSpec!);
const bpz = new TemplateFitPhotoz(templates, filters);
bpz.fit(train);
rows['template fitting (BPZ-like)'] = evaluatePdfs(bpz.predict(test).pdfs, test.zSpec!);
const clap = new ClapPhotoz({ realisations: smoke ? 1 : 3 });
await clap.fit(train, { epochs: smoke ? 3 : 30, seed: 1 });
rows['CLAP'] = evaluatePdfs((await clap.predict(test)).pdfs, test.zSpec!);
clap.dispose();
console.log(metricsTable(rows));
