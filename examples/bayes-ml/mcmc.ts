// The asteroseismic Δν–νmax relation of 500+ Kepler stars (SYD pipeline, Huber et al. 2011)
// sampled with the emcee-style ensemble sampler: log Δν = log α + β log(νmax/3090 μHz), with
// the catalogue errors plus an intrinsic scatter s. Prints the posterior, the autocorrelation
// time, split-R̂ and ESS, and writes examples/out/bayes-ml/mcmc-dnu-numax.svg.
//
//   npx tsx bayes-ml/mcmc.ts      (from examples/; ASTRO_SMOKE=1 for a short run)
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import { scatterPlotSpec, writeSvg } from '@astro/core/plot';
import { DEMove, EnsembleSampler, Rng, StretchMove, effectiveSampleSize, splitRhat } from '@astro/bayes-ml';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const rows = readFileSync(dataPath('lightcurves', 'kepler-pysyd', 'syd_results.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.includes('|') && !l.includes('KIC'))
  .map((l) => l.split('|').map((c) => Number(c.trim())))
  .filter((c) => c[8] === 0 && c[3]! > 0 && c[5]! > 0); // DetFlag 0: reliable νmax and Δν
const numax = rows.map((c) => c[3]!);
const sigNumax = rows.map((c) => c[4]!);
const dnu = rows.map((c) => c[5]!);
const sigDnu = rows.map((c) => c[6]!);
const x = numax.map((v) => Math.log(v / 3090));
const y = dnu.map(Math.log);
console.log(`${rows.length} stars with reliable νmax and Δν`);

// θ = (log α, β, log s); α is Δν at the solar νmax (μHz).
function logProb(t: Float64Array): number {
  const [la, beta, ls] = [t[0]!, t[1]!, t[2]!];
  if (!(ls > -12 && ls < 1 && beta > 0 && beta < 2)) return -Infinity;
  const s2 = Math.exp(2 * ls);
  let lp = 0;
  for (let i = 0; i < x.length; i++) {
    const v = (sigDnu[i]! / dnu[i]!) ** 2 + ((beta * sigNumax[i]!) / numax[i]!) ** 2 + s2;
    const r = y[i]! - la - beta * x[i]!;
    lp -= 0.5 * ((r * r) / v + Math.log(v));
  }
  return lp;
}

const nWalkers = 32;
const rng = new Rng(1);
const p0 = Array.from({ length: nWalkers }, () => [
  Math.log(135) + 0.01 * rng.normal(),
  0.77 + 0.01 * rng.normal(),
  Math.log(0.02) + 0.1 * rng.normal(),
]);
const sampler = new EnsembleSampler({
  nWalkers,
  nDim: 3,
  logProb,
  moves: [
    [new DEMove(), 0.8],
    [new StretchMove(), 0.2],
  ],
  seed: 2,
});
const nSteps = smoke ? 600 : 4000;
const t0 = performance.now();
await sampler.run(p0, nSteps, { progress: true });
console.log(
  `${nWalkers} walkers × ${nSteps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s; acceptance ${(sampler.acceptanceFraction.reduce((a, b) => a + b, 0) / nWalkers).toFixed(2)}`,
);

const discard = Math.floor(nSteps / 4);
const tau = sampler.getAutocorrTime({ discard, quiet: smoke });
const chain = sampler.getChain({ discard });
console.log(
  `τ = [${Array.from(tau, (v) => v.toFixed(1)).join(', ')}] steps; split-R̂ = [${Array.from(splitRhat(chain), (v) => v.toFixed(3)).join(', ')}]; ESS = [${Array.from(effectiveSampleSize(chain), (v) => v.toFixed(0)).join(', ')}]`,
);
const flat = sampler.getChain({ discard, thin: Math.max(1, Math.floor(Math.min(...tau) / 2)), flat: true });
const q = (d: number, f: (v: number) => number = (v) => v): [number, number, number] => {
  const col = Array.from({ length: flat.n }, (_, i) => f(flat.data[i * 3 + d]!)).sort((a, b) => a - b);
  return [0.16, 0.5, 0.84].map((p) => col[Math.floor(p * (col.length - 1))]!) as [number, number, number];
};
const fmt = ([lo, mid, hi]: [number, number, number], digits: number): string =>
  `${mid.toFixed(digits)} +${(hi - mid).toFixed(digits)} −${(mid - lo).toFixed(digits)}`;
console.log(`Δν(νmax,☉) = α = ${fmt(q(0, Math.exp), 2)} μHz (solar Δν 135.1 μHz)`);
console.log(`β = ${fmt(q(1), 4)} (Stello et al. 2009: 0.772)`);
console.log(`intrinsic scatter s = ${fmt(q(2, Math.exp), 4)} in ln Δν`);

const [, la] = q(0);
const [, beta] = q(1);
const spec = scatterPlotSpec({
  x: numax,
  y: dnu,
  yErr: sigDnu,
  xAxis: { title: 'νmax (μHz)', log: true },
  yAxis: { title: 'Δν (μHz)', log: true },
  title: `Kepler SYD catalogue: Δν = ${Math.exp(la).toFixed(1)} μHz (νmax/3090)^${beta.toFixed(3)} (ensemble MCMC)`,
  width: 560,
  height: 380,
}) as unknown as { layer: unknown[] };
const grid = Array.from({ length: 50 }, (_, i) => Math.min(...numax) * (Math.max(...numax) / Math.min(...numax)) ** (i / 49));
spec.layer.push({
  data: { values: grid.map((v) => ({ x: v, y: Math.exp(la + beta * Math.log(v / 3090)) })) },
  mark: { type: 'line', color: '#c00' },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});
console.log(`wrote ${await writeSvg('out/bayes-ml/mcmc-dnu-numax.svg', spec as never)}`);
