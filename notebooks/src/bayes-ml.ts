// %% [markdown]
// # @astro/bayes-ml: line fits with outliers, a Gaussian mixture, MCMC and a Gaussian process
//
// Float64 statistics on the CPU, checked against scikit-learn, SciPy, emcee and astroML in the package's tests. Every section uses real data: Hogg, Bovy & Lang (2010) Table 1, the MIST isochrones, the Kepler SYD asteroseismic catalogue and the 1-minute Kepler light curve of KIC 1435467.

// %%
import * as tslab from 'tslab';
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import { readNpy } from '@astro/core/io';
import { scatterPlot, scatterPlotSpec, linePlot, renderVegaLite } from '@astro/core/plot';
import {
  fitLeastSquares,
  fitLineMixture,
  polynomialBasis,
  fitGaussianMixture,
  EnsembleSampler,
  DEMove,
  StretchMove,
  Rng,
  splitRhat,
  CeleriteGP,
  SHOTerm,
} from '@astro/bayes-ml';
const smoke = process.env['ASTRO_SMOKE'] === '1';

// %% [markdown]
// ## 1. A straight line with outliers (Hogg, Bovy & Lang 2010)
//
// Weighted least squares on the well-behaved points 5–20 gives the paper's Exercise 1 answer (b = 34 ± 18, m = 2.24 ± 0.11). With the four outliers back in, the mixture model of §3 (eq. 17) fits a line plus a broad outlier population and gives each point a posterior outlier probability.

// %%
// x, y, σy — Table 1 of arXiv:1008.4686 (points 1–4 are the outliers)
const tx = [201, 244, 47, 287, 203, 58, 210, 202, 198, 158, 165, 201, 157, 131, 166, 160, 186, 125, 218, 146];
const ty = [592, 401, 583, 402, 495, 173, 479, 504, 510, 416, 393, 442, 317, 311, 400, 337, 423, 334, 533, 344];
const tsy = [61, 25, 38, 15, 21, 15, 27, 14, 30, 16, 14, 25, 52, 16, 34, 31, 42, 26, 16, 22];
const wls = fitLeastSquares(polynomialBasis(tx.slice(4), 1), ty.slice(4), { yErr: tsy.slice(4) });
const mix = fitLineMixture({ x: tx, y: ty, sigmaY: tsy });
console.log(
  `WLS (5–20):    b = ${wls.coef[0]!.toFixed(1)} ± ${wls.stdErr[0]!.toFixed(1)}, m = ${wls.coef[1]!.toFixed(3)} ± ${wls.stdErr[1]!.toFixed(3)}`,
);
console.log(
  `mixture (all): b = ${mix.intercept.toFixed(1)} ± ${mix.interceptErr.toFixed(1)}, m = ${mix.slope.toFixed(3)} ± ${mix.slopeErr.toFixed(3)}, P_b = ${mix.outlierFraction.toFixed(2)}`,
);
console.log('P(outlier) of points 1–4:', Array.from(mix.outlierProbability.slice(0, 4), (p) => p.toFixed(2)).join(', '));

// %%
const lineSpec = scatterPlotSpec({
  x: tx,
  y: ty,
  yErr: tsy,
  color: { values: Array.from(mix.outlierProbability), title: 'P(outlier)', scheme: 'redyellowblue' },
  xAxis: { title: 'x' },
  yAxis: { title: 'y' },
  title: 'WLS on points 5–20 (grey, dashed) vs the outlier mixture on all 20 (black)',
  width: 520,
  height: 340,
}) as unknown as { layer: unknown[] };
const line = (b: number, m: number, color: string, dash?: number[]) => ({
  data: { values: [0, 300].map((x) => ({ x, y: b + m * x })) },
  mark: { type: 'line', color, strokeDash: dash, clip: true },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});
lineSpec.layer.push(line(wls.coef[0]!, wls.coef[1]!, '#999', [5, 3]), line(mix.intercept, mix.slope, '#000'));
tslab.display.html(await renderVegaLite(lineSpec as never));

// %% [markdown]
// ## 2. A Gaussian mixture on the MIST colour–magnitude diagram
//
// EM for a full-covariance mixture (matches `sklearn.mixture.GaussianMixture` to 1e-7 in the tests); the Bayesian information criterion picks the number of components.

// %%
const isoDir = dataPath('spectra', 'mist-isochrones');
const names = (JSON.parse(readFileSync(`${isoDir}/columns.json`, 'utf8')) as { columns: string[] }).columns;
const iso = await readNpy(`${isoDir}/mist_isochrones_dev.npy`);
const [nRows, nCols] = iso.shape as [number, number];
const raw = iso.data as ArrayLike<number>;
const col = (re: RegExp) => names.findIndex((n) => re.test(n));
const [iG, iBP, iRP, iEEP] = [col(/^Gaia_G/), col(/^Gaia_BP/), col(/^Gaia_RP/), col(/^eep$/)];
const cmd: number[][] = [];
for (let r = 0; r < nRows; r += smoke ? 20 : 6) {
  const v = (c: number) => raw[r * nCols + c]!;
  if (v(iEEP) < 605 && Number.isFinite(v(iG))) cmd.push([v(iBP) - v(iRP), v(iG)]);
}
const bics: number[] = [];
for (let k = 1; k <= 5; k++) bics.push(fitGaussianMixture(cmd, { k, nInit: 2, seed: 1 }).bic(cmd));
const bestK = bics.indexOf(Math.min(...bics)) + 1;
const gmm = fitGaussianMixture(cmd, { k: bestK, nInit: 2, seed: 1 });
console.log(`${cmd.length} isochrone points; BIC for k = 1..5: ${bics.map((b) => b.toFixed(0)).join(', ')} → k = ${bestK}`);
const labels = gmm.predict(cmd);
tslab.display.html(
  await scatterPlot({
    x: cmd.map((p) => p[0]!),
    y: cmd.map((p) => p[1]!),
    color: { categories: Array.from(labels, (l) => `component ${l}`), title: `GMM, k = ${bestK}` },
    xAxis: { title: 'BP − RP (mag)' },
    yAxis: { title: 'G (absolute mag)', reverse: true },
    title: 'MIST isochrones: Gaussian-mixture components',
    size: 8,
    width: 480,
    height: 360,
  }),
);

// %% [markdown]
// ## 3. Ensemble MCMC: the Δν–νmax relation of Kepler red giants and dwarfs
//
// ln Δν = ln α + β ln(νmax / 3090 μHz) with the SYD catalogue errors (Huber et al. 2011) plus an intrinsic scatter s, sampled with the emcee-style affine-invariant ensemble sampler (DE and stretch moves). Stello et al. (2009) found β ≈ 0.77.

// %%
const syd = readFileSync(dataPath('lightcurves', 'kepler-pysyd', 'syd_results.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.includes('|') && !l.includes('KIC'))
  .map((l) => l.split('|').map((c) => Number(c.trim())))
  .filter((c) => c[8] === 0 && c[3]! > 0 && c[5]! > 0);
const numax = syd.map((c) => c[3]!),
  sNumax = syd.map((c) => c[4]!),
  dnu = syd.map((c) => c[5]!),
  sDnu = syd.map((c) => c[6]!);
const lx = numax.map((v) => Math.log(v / 3090)),
  ly = dnu.map(Math.log);
function logProb(t: Float64Array): number {
  const [la, beta, ls] = [t[0]!, t[1]!, t[2]!];
  if (!(ls > -12 && ls < 1 && beta > 0 && beta < 2)) return -Infinity;
  let lp = 0;
  for (let i = 0; i < lx.length; i++) {
    const v = (sDnu[i]! / dnu[i]!) ** 2 + ((beta * sNumax[i]!) / numax[i]!) ** 2 + Math.exp(2 * ls);
    const r = ly[i]! - la - beta * lx[i]!;
    lp -= 0.5 * ((r * r) / v + Math.log(v));
  }
  return lp;
}
const rng = new Rng(1);
const p0 = Array.from({ length: 32 }, () => [
  Math.log(135) + 0.01 * rng.normal(),
  0.77 + 0.01 * rng.normal(),
  Math.log(0.02) + 0.1 * rng.normal(),
]);
const sampler = new EnsembleSampler({
  nWalkers: 32,
  nDim: 3,
  logProb,
  moves: [
    [new DEMove(), 0.8],
    [new StretchMove(), 0.2],
  ],
  seed: 2,
});
const nSteps = smoke ? 500 : 3000;
await sampler.run(p0, nSteps);
const chain = sampler.getChain({ discard: nSteps / 4 });
const flat = sampler.getChain({ discard: nSteps / 4, flat: true });
const median = (d: number) => {
  const c = Array.from({ length: flat.n }, (_, i) => flat.data[i * 3 + d]!).sort((a, b) => a - b);
  return c[c.length >> 1]!;
};
const alpha = Math.exp(median(0)),
  beta = median(1);
console.log(`${syd.length} stars; α = ${alpha.toFixed(2)} μHz, β = ${beta.toFixed(4)}, s = ${Math.exp(median(2)).toFixed(4)}`);
console.log(`split-R̂ = ${Array.from(splitRhat(chain), (v) => v.toFixed(3)).join(', ')}`);

// %%
const grid = Array.from({ length: 40 }, (_, i) => Math.min(...numax) * (Math.max(...numax) / Math.min(...numax)) ** (i / 39));
const mcmcSpec = scatterPlotSpec({
  x: numax,
  y: dnu,
  yErr: sDnu,
  xAxis: { title: 'νmax (μHz)', log: true },
  yAxis: { title: 'Δν (μHz)', log: true },
  title: `Δν = ${alpha.toFixed(1)} μHz (νmax/3090)^${beta.toFixed(3)}`,
  width: 480,
  height: 340,
}) as unknown as { layer: unknown[] };
mcmcSpec.layer.push({
  data: { values: grid.map((v) => ({ x: v, y: alpha * (v / 3090) ** beta })) },
  mark: { type: 'line', color: '#c00' },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});
tslab.display.html(await renderVegaLite(mcmcSpec as never));

// %% [markdown]
// ## 4. An O(N) Gaussian process on a Kepler light curve
//
// A stochastically driven damped oscillator (SHO, Q = 1/√2: a Harvey-like granulation profile; Foreman-Mackey et al. 2017) plus white noise on the first day of KIC 1435467's 1-minute photometry. The celerite factorisation evaluates the exact likelihood in O(N); we scan the oscillator frequency and keep the best, then predict.

// %%
const lc = readFileSync(dataPath('lightcurves', 'kepler-pysyd', '1435467_LC.txt'), 'utf8')
  .trim()
  .split('\n');
const tAll = Float64Array.from(lc, (l) => Number(l.trim().split(/\s+/)[0]));
const nDay = tAll.findIndex((v) => v > tAll[0]! + 1);
const t = tAll.slice(0, nDay);
const fAll = Float64Array.from(lc.slice(0, nDay), (l) => (Number(l.trim().split(/\s+/)[1]) - 1) * 1e6);
const fMean = fAll.reduce((a, b) => a + b, 0) / fAll.length;
const flux = fAll.map((v) => v - fMean);
const variance = flux.reduce((a, b) => a + b * b, 0) / flux.length;
const Q = 1 / Math.SQRT2;
const gpAt = (w0: number, frac: number) =>
  new CeleriteGP(new SHOTerm({ S0: (frac * variance) / (w0 * Q), w0, Q })).compute(t, { yerr: Math.sqrt((1 - frac) * variance) });
let best = { w0: 0, frac: 0, ll: -Infinity };
for (const w0 of [30, 100, 300, 1000, 3000])
  for (const frac of [0.2, 0.5, 0.8]) {
    const ll = gpAt(w0, frac).logLikelihood(flux);
    if (ll > best.ll) best = { w0, frac, ll };
  }
const whiteLl = gpAt(best.w0, 1e-9).logLikelihood(flux);
console.log(
  `${t.length} points; best ω₀ = ${best.w0} rad/d, correlated fraction ${best.frac}; ln L = ${best.ll.toFixed(1)} vs white noise only ${whiteLl.toFixed(1)}`,
);
const gp = gpAt(best.w0, best.frac);
const tg = Float64Array.from({ length: 145 }, (_, i) => t[0]! + 0.25 + i / 576);
const pred = gp.predict(flux, tg, { returnVar: true });
const win = Array.from(t.keys()).filter((i) => t[i]! >= tg[0]! && t[i]! <= tg[tg.length - 1]!);
tslab.display.html(
  await linePlot({
    series: [
      { name: 'Kepler 1-min flux', x: win.map((i) => t[i]!), y: win.map((i) => flux[i]!) },
      { name: 'GP mean', x: tg, y: pred.mean },
      { name: 'GP mean ± 1σ', x: tg, y: pred.mean.map((m, i) => m + Math.sqrt(pred.variance![i]!)) },
    ],
    x: { title: 'time (d)' },
    y: { title: 'relative flux (ppm)' },
    title: 'KIC 1435467: celerite SHO GP, 6-hour window',
    width: 560,
    height: 300,
  }),
);

// %% [markdown]
// ## Checks
//
// The notebook fails (and CI with it) if any number drifts from its independent reference.

// %%
const near = (what: string, got: number, want: number, tol: number) => {
  if (!(Math.abs(got - want) <= tol)) throw new Error(`${what} = ${got}, expected ${want} ± ${tol}`);
  console.log(`ok  ${what} = ${got.toFixed(4)} (reference ${want} ± ${tol})`);
};
near('WLS slope (Hogg et al. 2010 Ex. 1)', wls.coef[1]!, 2.24, 0.01);
near('WLS intercept', wls.coef[0]!, 34, 1);
near('WLS slope error', wls.stdErr[1]!, 0.11, 0.01);
near('mixture slope (Hogg et al. 2010 §3)', mix.slope, 2.24, 0.1);
// point 1 has a large σy and stays ambiguous; points 2–4 lie far off the line (the paper's Fig. 3)
if (!mix.outlierProbability.slice(1, 4).every((p) => p > 0.9)) throw new Error('points 2–4 should be outliers');
if (!(bestK > 1)) throw new Error('BIC should prefer more than one component on the CMD');
near('Δν–νmax exponent β (Stello et al. 2009: 0.772)', beta, 0.78, 0.04);
near('α: Δν at the solar νmax (solar Δν 135.1 μHz)', alpha, 135, 6);
if (!splitRhat(chain).every((r) => r < 1.1)) throw new Error('MCMC not converged (split-R̂ ≥ 1.1)');
if (!(best.ll > whiteLl + 10)) throw new Error('the GP should beat a white-noise model on the light curve');
