// k-means and a Gaussian mixture on the MIST v2.5 isochrones' Gaia photometry: the
// colour–magnitude diagram (BP − RP, G) of a few thousand model stars. BIC chooses the number
// of mixture components; the SVG shows the points coloured by their GMM component.
// Writes examples/out/bayes-ml/clustering.svg.
//
//   npx tsx bayes-ml/clustering.ts      (from examples/; ASTRO_DATA_DIR overrides the data path)
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import { readNpy } from '@astro/core/io';
import { scatterPlot, writeSvg } from '@astro/core/plot';
import { fitGaussianMixture, kMeans } from '@astro/bayes-ml';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const dir = dataPath('spectra', 'mist-isochrones');
const names = (JSON.parse(readFileSync(`${dir}/columns.json`, 'utf8')) as { columns: string[] }).columns;
const iso = await readNpy(`${dir}/mist_isochrones_dev.npy`);
const [rows, cols] = iso.shape as [number, number];
const raw = iso.data as ArrayLike<number>;
const idx = (pattern: RegExp): number => {
  const i = names.findIndex((n) => pattern.test(n));
  if (i < 0) throw new Error(`no column matching ${pattern} in ${names.join(', ')}`);
  return i;
};
const iG = idx(/^Gaia_G/),
  iBP = idx(/^Gaia_BP/),
  iRP = idx(/^Gaia_RP/),
  iEEP = idx(/^eep$/);

// Main sequence to red giant branch (EEP < 605), every k-th star.
const step = smoke ? 20 : 6;
const X: number[][] = [];
for (let r = 0; r < rows; r += step) {
  const v = (c: number): number => raw[r * cols + c]!;
  if (v(iEEP) < 605 && Number.isFinite(v(iG))) X.push([v(iBP) - v(iRP), v(iG)]);
}
console.log(`${X.length} isochrone points (BP − RP, G)`);

const km = kMeans(X, { k: 4, nInit: 5, seed: 1 });
console.log(`k-means (k = 4): inertia ${km.inertia.toFixed(1)} after ${km.iterations} iterations`);

let best = { k: 0, bic: Infinity };
for (let k = 1; k <= (smoke ? 4 : 8); k++) {
  const bic = fitGaussianMixture(X, { k, nInit: 2, seed: 1 }).bic(X);
  console.log(`  GMM k = ${k}: BIC ${bic.toFixed(1)}`);
  if (bic < best.bic) best = { k, bic };
}
const gmm = fitGaussianMixture(X, { k: best.k, nInit: 2, seed: 1 });
console.log(`BIC prefers k = ${best.k}; weights ${Array.from(gmm.weights, (w) => w.toFixed(2)).join(', ')}`);

const labels = gmm.predict(X);
const svg = await scatterPlot({
  x: X.map((p) => p[0]!),
  y: X.map((p) => p[1]!),
  color: { categories: Array.from(labels, (l) => `component ${l}`), title: `GMM (k = ${best.k}, by BIC)` },
  xAxis: { title: 'BP − RP (mag)' },
  yAxis: { title: 'G (absolute mag)', reverse: true },
  title: 'MIST isochrones: Gaussian-mixture components in the colour–magnitude diagram',
  size: 8,
  width: 560,
  height: 420,
});
console.log(`wrote ${await writeSvg('out/bayes-ml/clustering.svg', svg)}`);
