// Fit the real APOGEE spectrum of 2M13012770+5754582 with the published per-pixel Payne
// network: labels, radial velocity, χ²/dof, and an SVG of data, model and residuals; then
// sample the posterior with @astro/bayes-ml's ensemble sampler (MCMC) around that fit.
//
//   npx tsx spectral-emulator/fit-apogee-star.ts      (from examples/; ASTRO_DATA_DIR overrides the data path)
//   ASTRO_SMOKE=1: a 60-step chain (seconds); otherwise 32 walkers × 2000 steps (about two minutes on wasm)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { linePlot, writeSvg } from '@astro/core/plot';
import { PaynePixelModel, fitSpectrum, readNpyFloat, sampleLabels } from '@astro/spectral-emulator';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready();
console.log(`backend: ${info.backend}`);
const payne = await PaynePixelModel.load(dataPath('spectra', 'payne-apogee-nn'));
const star = dataPath('spectra', 'apogee-star-2M13012770+5754582');
const flux = (await readNpyFloat(join(star, 'flux.npy'))).data;
const fluxErr = (await readNpyFloat(join(star, 'flux_err.npy'))).data;

const t0 = performance.now();
const fit = await fitSpectrum(payne, { flux, fluxErr, mask: payne.badPixelMask! }, { fitRv: true });
const secs = (performance.now() - t0) / 1000;

console.log(`fit in ${secs.toFixed(2)} s, ${fit.iterations} iterations, converged: ${fit.converged}`);
fit.labelNames.forEach((name, j) => {
  console.log(`  ${name.padEnd(9)} ${fit.labels[j]!.toFixed(4).padStart(10)} ± ${fit.labelErrors[j]!.toFixed(4)} ${fit.labelUnits[j]}`);
});
console.log(`  rv        ${fit.rvKms!.toFixed(4).padStart(10)} ± ${fit.rvErrKms!.toFixed(4)} km/s`);
console.log(`χ²/dof = ${fit.chi2.toFixed(1)}/${fit.dof} = ${fit.reducedChi2.toFixed(3)} (${fit.maskedPixels} pixels masked)`);

// a 60 Å window around the Fe/OH-rich region near 15,200 Å; residuals offset by 0.4
const wl = payne.wavelengthAngstrom!;
const x: number[] = [];
const data: number[] = [];
const model: number[] = [];
const resid: number[] = [];
for (let i = 0; i < wl.length; i++) {
  if (wl[i]! < 15200 || wl[i]! > 15260 || fluxErr[i]! > 0.1) continue;
  x.push(wl[i]!);
  data.push(flux[i]!);
  model.push(fit.modelFlux[i]!);
  resid.push(flux[i]! - fit.modelFlux[i]! + 0.4);
}
const outDir = join(import.meta.dirname, '..', 'out', 'spectral-emulator');
mkdirSync(outDir, { recursive: true });
const svg = await linePlot({
  series: [
    { name: 'APOGEE data', x, y: data },
    { name: 'The Payne model', x, y: model },
    { name: 'residual + 0.4', x, y: resid },
  ],
  x: { title: 'vacuum wavelength (Å)' },
  y: { title: 'normalised flux' },
  title: `2M13012770+5754582: Teff ${fit.labels[0]!.toFixed(0)} K, log g ${fit.labels[1]!.toFixed(2)}, [Fe/H] ${fit.labels[2]!.toFixed(2)}, χ²/dof ${fit.reducedChi2.toFixed(2)}`,
  width: 720,
  height: 320,
});
const file = join(outDir, 'apogee-star-fit.svg');
await writeSvg(file, svg);
console.log(`wrote ${file}`);

// MCMC: uniform prior over the network's label box, the same χ² likelihood, walkers started
// around the least-squares fit; each half-ensemble is one batched emulator call (any backend).
const nSteps = smoke ? 60 : 2000;
const t1 = performance.now();
const post = await sampleLabels(
  payne,
  { flux, fluxErr, mask: payne.badPixelMask! },
  { fitRv: true, start: fit, nWalkers: 32, nSteps, burn: nSteps / 4, seed: 1 },
);
console.log(
  `MCMC (${post.nWalkers} walkers × ${nSteps} steps, ${((performance.now() - t1) / 1000).toFixed(1)} s), acceptance ${post.acceptanceFraction.toFixed(2)}:`,
);
post.parameterNames.forEach((name, j) => {
  const lsq = j < 5 ? fit.labels[j]! : fit.rvKms!;
  const err = j < 5 ? fit.labelErrors[j]! : fit.rvErrKms!;
  console.log(
    `  ${name.padEnd(9)} ${post.median[j]!.toFixed(4).padStart(10)} +${(post.p84[j]! - post.median[j]!).toFixed(4)} −${(post.median[j]! - post.p16[j]!).toFixed(4)} ${post.parameterUnits[j]}` +
      `  (least squares ${lsq.toFixed(4)} ± ${err.toFixed(4)}; τ ${post.autocorrTime[j]!.toFixed(0)} steps)`,
  );
});
if (!post.autocorrConverged) console.log('  (chain shorter than 50 τ: treat τ and the tails as rough)');
console.log(
  `  χ²/dof = ${fit.reducedChi2.toFixed(2)}: the quoted flux errors are too small for this star, so both widths are too narrow by ≈ √χ²/dof`,
);
payne.dispose();
