// %% [markdown]
// # @astro/spectral-emulator: The Payne, a released emulator bundle, and a fit to a real APOGEE star
//
// Stellar labels in, a continuum-normalised spectrum out. We evaluate the published per-pixel Payne network (Ting et al. 2019, eq. 1) on 7214 APOGEE pixels, load a released emulator bundle and reproduce its stored fingerprint, and fit the real spectrum of 2M13012770+5754582 with Levenberg–Marquardt. References: the package's float64 NumPy evaluation and `scipy.optimize.curve_fit` fixtures (`tools/fixtures/spectral_emulator.py`).

// %%
import * as tslab from 'tslab';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { linePlot } from '@astro/core/plot';
import { PaynePixelModel, loadBundle, verifyBundleFingerprint, fitSpectrum, readNpyFloat } from '@astro/spectral-emulator';
const info = await ready();
console.log(`backend: ${info.backend}`);
// the package's peer fixtures (NumPy float64 formula, scipy curve_fit), committed with its tests
const fixture = (name: string) =>
  JSON.parse(readFileSync(resolve('..', 'packages', 'spectral-emulator', 'test', 'fixtures', name), 'utf8'));

// %% [markdown]
// ## 1. The per-pixel Payne
//
// Labels (Teff [K], log g, [Fe/H], [α/Fe], v_macro [km/s]) → flux at every pixel through one small network per pixel, evaluated for all pixels in one batched matMul.

// %%
const payne = await PaynePixelModel.load(dataPath('spectra', 'payne-apogee-nn'));
const px = fixture('payne_pixel.json') as { labels: number[][]; pixel_stride: number; flux: number[][] };
const y = payne.predictTensor(px.labels.slice(0, 2));
const flux2 = await y.data();
y.dispose();
let maxPixelErr = 0;
for (let r = 0; r < 2; r++)
  px.flux[r]!.forEach((ref, j) => {
    maxPixelErr = Math.max(maxPixelErr, Math.abs(flux2[r * payne.numPixels + j * px.pixel_stride]! - ref));
  });
console.log(`${payne.numPixels} pixels; max |ours − NumPy float64| over 2 label sets: ${maxPixelErr.toExponential(2)}`);
const wl = payne.wavelengthAngstrom!;
const win = Array.from(wl.keys()).filter((i) => wl[i]! > 15600 && wl[i]! < 15700);
tslab.display.html(
  await linePlot({
    series: px.labels.slice(0, 2).map((l, r) => ({
      name: `Teff ${l[0]!.toFixed(0)} K, log g ${l[1]!.toFixed(2)}, [Fe/H] ${l[2]!.toFixed(2)}`,
      x: win.map((i) => wl[i]!),
      y: win.map((i) => flux2[r * payne.numPixels + i]!),
    })),
    x: { title: 'vacuum wavelength (Å)' },
    y: { title: 'normalised flux' },
    title: 'The Payne (per-pixel), 15 600–15 700 Å',
    width: 640,
    height: 300,
  }),
);

// %% [markdown]
// ## 2. A released emulator bundle and its fingerprint
//
// `loadBundle` reads the astro-emulators-toolkit layout (config, safetensors weights, min-max scalings, input domain, wavelength grid, SHA-256 integrity) and by default refuses a bundle whose stored fingerprint evaluation it cannot reproduce.

// %%
const bundleDir = dataPath('spectra', 'emulator-reference-bundle');
const tol = info.backend === 'webgpu' ? 2e-4 : 1e-5;
const emu = await loadBundle(bundleDir, { fingerprintAtol: tol });
const report = (await verifyBundleFingerprint(bundleDir, emu))!;
console.log(
  `bundle: ${emu.domain.names.join(', ')} → ${emu.numPixels} pixels, hidden ${emu.hiddenSizes.join('×')} (${emu.activationName})`,
);
console.log(
  `fingerprint at ${report.physicalLabels.map((l) => l.map((v) => v.toFixed(2)).join('/')).join('; ')}: max |Δflux| ${report.maxAbsErr.toExponential(2)}`,
);
const bwl = emu.wavelengthAngstrom!;
const teffs = [4600, 5500, 6800];
const by = emu.predictTensor(teffs.map((t) => [t, 4.4, 0]));
const bflux = await by.data();
by.dispose();
const step = Math.max(1, Math.floor(bwl.length / 1500));
const idx = Array.from({ length: Math.floor(bwl.length / step) }, (_, i) => i * step);
tslab.display.html(
  await linePlot({
    series: teffs.map((t, r) => ({ name: `Teff ${t} K`, x: idx.map((i) => bwl[i]!), y: idx.map((i) => bflux[r * emu.numPixels + i]!) })),
    x: { title: 'wavelength (Å)' },
    y: { title: 'normalised flux' },
    title: 'Released bundle: log g 4.4, [Fe/H] 0',
    width: 640,
    height: 300,
  }),
);

// %% [markdown]
// ## 3. Fitting a real APOGEE spectrum
//
// Labels and radial velocity by Levenberg–Marquardt (bounded to the trained box), the network's bad pixels masked, uncertainties from the Gauss–Newton Hessian (JᵀWJ)⁻¹.

// %%
const star = dataPath('spectra', 'apogee-star-2M13012770+5754582');
const obs = (await readNpyFloat(join(star, 'flux.npy'))).data;
const obsErr = (await readNpyFloat(join(star, 'flux_err.npy'))).data;
const t0 = performance.now();
const fit = await fitSpectrum(payne, { flux: obs, fluxErr: obsErr, mask: payne.badPixelMask! }, { fitRv: true });
console.log(`fit in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${fit.iterations} iterations, converged ${fit.converged}`);
fit.labelNames.forEach((n, j) =>
  console.log(`  ${n.padEnd(9)} ${fit.labels[j]!.toFixed(3).padStart(10)} ± ${fit.labelErrors[j]!.toFixed(3)} ${fit.labelUnits[j]}`),
);
console.log(
  `  rv        ${fit.rvKms!.toFixed(3).padStart(10)} ± ${fit.rvErrKms!.toFixed(3)} km/s;  χ²/dof = ${fit.reducedChi2.toFixed(3)}`,
);
const fw = Array.from(wl.keys()).filter((i) => wl[i]! > 15200 && wl[i]! < 15260 && obsErr[i]! < 0.1);
tslab.display.html(
  await linePlot({
    series: [
      { name: 'APOGEE data', x: fw.map((i) => wl[i]!), y: fw.map((i) => obs[i]!) },
      { name: 'The Payne fit', x: fw.map((i) => wl[i]!), y: fw.map((i) => fit.modelFlux[i]!) },
      { name: 'residual + 0.4', x: fw.map((i) => wl[i]!), y: fw.map((i) => obs[i]! - fit.modelFlux[i]! + 0.4) },
    ],
    x: { title: 'vacuum wavelength (Å)' },
    y: { title: 'normalised flux' },
    title: `2M13012770+5754582: Teff ${fit.labels[0]!.toFixed(0)} K, log g ${fit.labels[1]!.toFixed(2)}, [Fe/H] ${fit.labels[2]!.toFixed(2)}`,
    width: 640,
    height: 300,
  }),
);

// %% [markdown]
// ## Checks against the independent references

// %%
const ref = fixture('payne_fit.json') as { labels: number[]; errors: number[]; rv_kms: number; chi2: number; dof: number };
const pixelTol = info.backend === 'webgpu' ? 2e-4 : 2e-5;
if (!(maxPixelErr < pixelTol)) throw new Error(`Payne pixels differ from NumPy by ${maxPixelErr} (> ${pixelTol})`);
if (!report.ok && !(report.maxAbsErr < tol)) throw new Error(`bundle fingerprint off by ${report.maxAbsErr}`);
if (!fit.converged) throw new Error('the APOGEE fit did not converge');
fit.labelNames.forEach((n, j) => {
  const pull = (fit.labels[j]! - ref.labels[j]!) / ref.errors[j]!;
  console.log(`${n}: ours − scipy = ${pull.toFixed(3)} σ; σ ratio ${(fit.labelErrors[j]! / ref.errors[j]!).toFixed(3)}`);
  if (!(Math.abs(pull) < 0.2)) throw new Error(`${n} differs from scipy.optimize.curve_fit by ${pull.toFixed(2)} σ`);
  if (!(Math.abs(fit.labelErrors[j]! / ref.errors[j]! - 1) < 0.1)) throw new Error(`${n} error differs from scipy's by > 10%`);
});
const rvPull = (fit.rvKms! - ref.rv_kms) / ref.errors[5]!;
if (!(Math.abs(rvPull) < 0.2)) throw new Error(`rv differs from scipy by ${rvPull.toFixed(2)} σ`);
if (!(Math.abs(fit.chi2 / ref.chi2 - 1) < 1e-2) || fit.dof !== ref.dof)
  throw new Error(`χ² ${fit.chi2}/${fit.dof} vs scipy ${ref.chi2}/${ref.dof}`);
console.log(`ok: pixels within ${pixelTol}, bundle fingerprint ${report.maxAbsErr.toExponential(1)}, labels/rv/χ² match scipy`);
payne.dispose();
emu.dispose();
