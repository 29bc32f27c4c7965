// The image path: Sérsic ugriz cutouts of simulated galaxies, a CNN encoder trained with CLAP's
// flip/rotation positive pairs, then the photometric pipeline (adaptive KNN, recalibration,
// ensemble) on its latent — images alone and images + magnitudes, against the photometric encoder
// and the redshift prior on the same galaxies. Writes a false-colour SVG of a few cutouts.
// Writes examples/out/clap-photoz/cutouts.svg. ASTRO_SMOKE=1 runs a short version.
import { deflateSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { ready } from '@astro/core';
import {
  ClapImagePhotoz,
  ClapPhotoz,
  evaluatePdfs,
  loadSdssFilters,
  loadSedTemplates,
  metricsTable,
  normalizePdfs,
  gridZ,
  zGrid,
  simulateCatalogue,
  simulateCutouts,
  type CutoutImages,
  type Photometry,
  type PhotozMetrics,
} from '@astro/clap-photoz';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready(); // the CI smoke run sets ASTRO_BACKEND=wasm,cpu
const nTrain = smoke ? 250 : 1500;
const nTest = smoke ? 100 : 500;
const epochs = smoke ? 3 : 15;
const sim = simulateCatalogue(await loadSedTemplates(), await loadSdssFilters(), { n: nTrain + nTest, seed: 7 });
const cut = simulateCutouts(sim, { seed: 8 }); // 32×32 px, 0.396″/px, Moffat FWHM 1.4″, nanomaggies
const px = cut.size * cut.size * cut.bands;
const images = (a: number, b: number): CutoutImages => ({
  n: b - a,
  size: cut.size,
  bands: cut.bands,
  images: cut.images.slice(a * px, b * px),
});
const phot = (a: number, b: number): Photometry => ({
  n: b - a,
  mag: sim.mag.slice(5 * a, 5 * b),
  magErr: sim.magErr.slice(5 * a, 5 * b),
  zSpec: sim.zSpec.slice(a, b),
  rows: sim.rows.slice(a, b),
  dropped: new Int32Array(0),
});
const [trainI, testI, trainP, testP] = [images(0, nTrain), images(nTrain, nTrain + nTest), phot(0, nTrain), phot(nTrain, nTrain + nTest)];
const zTest = testP.zSpec!;
const grid = zGrid(0, 0.8, 0.0025);
const adaptive = { kGrid: [3, 5, 10, 20, 40], window: 40, bandwidth: 0.01 };
const rows: Record<string, PhotozMetrics> = {};

const prior = new Float64Array(nTest * grid.n);
for (let j = 0; j < grid.n; j++) {
  let s = 0;
  for (const z of trainP.zSpec!) s += Math.exp(-0.5 * ((gridZ(grid, j) - z) / 0.01) ** 2);
  for (let i = 0; i < nTest; i++) prior[i * grid.n + j] = s;
}
rows['prior (training n(z))'] = evaluatePdfs(normalizePdfs(grid, prior), zTest);

for (const useMagnitudes of [0, 1] as const) {
  const t0 = performance.now();
  const m = new ClapImagePhotoz({ encoder: { useMagnitudes, channels: [8, 16, 16], hidden: 32 }, adaptive, grid });
  await m.fit(trainI, trainP, { epochs, batchSize: 50, lr: 1e-2, seed: 1 });
  rows[useMagnitudes ? 'CLAP images + magnitudes' : 'CLAP images only'] = evaluatePdfs((await m.predict(testI, testP)).pdfs, zTest);
  console.log(`${useMagnitudes ? 'images + magnitudes' : 'images only'}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  m.dispose();
}
const p = new ClapPhotoz({ adaptive, grid, realisations: 1 });
await p.fit(trainP, { epochs: smoke ? 10 : 40, batchSize: 50, seed: 1 });
rows['CLAP photometry (same galaxies)'] = evaluatePdfs((await p.predict(testP)).pdfs, zTest);
p.dispose();
console.log(`${nTrain} training / ${nTest} test galaxies, ${epochs} CNN epochs on ${info.backend}`);
console.log(metricsTable(rows));

// false-colour (i, r, g → R, G, B; asinh stretch) cutouts of six galaxies as PNGs inside one SVG
function png(rgb: Uint8Array, w: number, h: number): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array): number => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const raw = new Uint8Array(h * (3 * w + 1));
  for (let y = 0; y < h; y++) raw.set(rgb.subarray(y * 3 * w, (y + 1) * 3 * w), y * (3 * w + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]).toString('base64');
}
const show = [0, 1, 2, 3, 4, 5].map(
  (k) =>
    Array.from(sim.zSpec)
      .map((z, i) => [z, i] as const)
      .sort((a, b) => a[0] - b[0])[Math.floor(((k + 0.5) / 6) * sim.n)]![1],
);
const S = cut.size;
const panels = show.map((g, k) => {
  const rgb = new Uint8Array(S * S * 3);
  let peak = 0;
  for (let i = 0; i < S * S; i++) peak = Math.max(peak, cut.images[g * px + i * 5 + 2]!);
  const soft = 0.03 * peak; // per-panel asinh stretch: the r-band peak maps to 1
  for (let i = 0; i < S * S; i++) {
    [3, 2, 1].forEach((band, c) => {
      const v = Math.asinh(cut.images[g * px + i * 5 + band]! / soft) / Math.asinh(peak / soft);
      rgb[i * 3 + c] = Math.max(0, Math.min(255, Math.round(255 * v)));
    });
  }
  return (
    `<image x="${k * 132 + 2}" y="2" width="128" height="128" style="image-rendering:pixelated" href="data:image/png;base64,${png(rgb, S, S)}"/>` +
    `<text x="${k * 132 + 66}" y="146" text-anchor="middle" font-family="sans-serif" font-size="12">z = ${sim.zSpec[g]!.toFixed(3)}, n = ${cut.sersicN[g]!.toFixed(1)}, θe = ${cut.reArcsec[g]!.toFixed(1)}″</text>`
  );
});
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${6 * 132}" height="154" viewBox="0 0 ${6 * 132} 154">${panels.join('')}</svg>\n`;
await mkdir('out/clap-photoz', { recursive: true });
const out = 'out/clap-photoz/cutouts.svg';
await writeFile(out, svg);
console.log(`wrote ${out}`);
