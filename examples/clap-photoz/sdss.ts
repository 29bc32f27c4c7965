// CLAP photo-z PDFs on real SDSS galaxies: train on train.txt, evaluate every metric on valid.txt
// for CLAP and the plain KNN baseline, and write SVG plots. ASTRO_SMOKE=1 runs a short version.
import { writeFileSync, mkdirSync } from 'node:fs';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { histogramPlot, linePlot, scatterPlot, writeSvg } from '@astro/core/plot';
import {
  binPdfs,
  ClapEncoder,
  ClapPhotoz,
  colourFeatures,
  DEFAULT_ENCODER,
  gridZ,
  pit,
  pointEstimates,
  trainEncoder,
  type PdfSet,
  evaluatePdfs,
  fitStandardizer,
  knnPdfs,
  N_FEATURES,
  neighbours,
  readPhotometry,
  standardize,
  zGrid,
  type PhotozMetrics,
  loadSdssFilters,
  loadSedTemplates,
  metricsTable,
  TemplateFitPhotoz,
} from '@astro/clap-photoz';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready(); // ASTRO_BACKEND=wasm (or a list) picks the backend
const train = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
const valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
const grid = zGrid(0, 0.8, 0.0025);

const rows: Record<string, PhotozMetrics> = {};
// baseline: plain KNN (k = 20) on standardised colours + r
const s = fitStandardizer(colourFeatures(train), N_FEATURES);
const nb = await neighbours(standardize(colourFeatures(valid), s), standardize(colourFeatures(train), s), N_FEATURES, 20);
rows['KNN (k=20, colours)'] = evaluatePdfs(knnPdfs(nb, train.zSpec!, grid), valid.zSpec!);

// baseline: softmax over 32 redshift bins (the same MLP trained with cross-entropy only)
const soft = new ClapEncoder({ ...DEFAULT_ENCODER, contrastiveWeight: 0 }, 7);
await trainEncoder(soft, train, train.zSpec!, s, { epochs: smoke ? 5 : 40, batchSize: 256, lr: 3e-3, seed: 7 });
rows['softmax over bins (MLP)'] = evaluatePdfs(await binPdfs(soft, valid, s, grid), valid.zSpec!);
soft.dispose();

// baseline: BPZ-like template fitting (zero points and magnitude-dependent prior fitted on train)
const bpz = new TemplateFitPhotoz(await loadSedTemplates(), await loadSdssFilters());
bpz.fit(train);
rows['template fitting (BPZ-like)'] = evaluatePdfs(bpz.predict(valid).pdfs, valid.zSpec!);

const t0 = performance.now();
const model = new ClapPhotoz({ grid, realisations: smoke ? 1 : 3 });
await model.fit(train, { epochs: smoke ? 5 : 40, seed: 1, onMessage: (m) => console.log(m) });
const fitS = (performance.now() - t0) / 1000;
let final: PdfSet | undefined;
for (const stage of ['raw', 'recalibrated', 'ensemble'] as const) {
  const { pdfs } = await model.predict(valid, stage);
  rows[`CLAP ${stage}`] = evaluatePdfs(pdfs, valid.zSpec!);
  final = pdfs;
}
console.log(`backend ${info.backend}, fit ${fitS.toFixed(1)} s${smoke ? ' (smoke run)' : ''}`);
console.log(metricsTable(rows));
mkdirSync('examples/out', { recursive: true });
writeFileSync('examples/out/clap-photoz-metrics.json', JSON.stringify(rows, null, 1));
const u = pit(final!, valid.zSpec!);
await writeSvg(
  'examples/out/clap-photoz-pit.svg',
  await histogramPlot({
    values: u,
    edges: Array.from({ length: 21 }, (_, i) => i / 20),
    density: true,
    expected: 1,
    title: 'CLAP PIT histogram, SDSS valid',
    x: { title: 'PIT' },
  }),
);
const med = pointEstimates(final!).median;
await writeSvg(
  'examples/out/clap-photoz-zphot-zspec.svg',
  await scatterPlot({
    x: valid.zSpec!,
    y: med,
    title: 'CLAP median z_phot vs z_spec, SDSS valid',
    xAxis: { title: 'z_spec', domain: [0, 0.7] },
    yAxis: { title: 'z_phot (PDF median)', domain: [0, 0.7] },
  }),
);
const zs = Array.from({ length: grid.n }, (_, j) => gridZ(grid, j));
await writeSvg(
  'examples/out/clap-photoz-pdfs.svg',
  await linePlot({
    title: 'CLAP PDFs of four SDSS validation galaxies',
    series: [0, 1, 2, 3].map((i) => ({
      name: `galaxy ${i} (z_spec ${valid.zSpec![i]!.toFixed(3)})`,
      x: zs,
      y: final!.p.subarray(i * grid.n, (i + 1) * grid.n),
    })),
    x: { title: 'z' },
    y: { title: 'p(z)' },
  }),
);
console.log('wrote examples/out/clap-photoz-{metrics.json,pit.svg,zphot-zspec.svg,pdfs.svg}');
model.dispose();
