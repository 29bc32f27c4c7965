// %% [markdown]
// # @astro/lightcurve-gpt: ν_max of real Kepler stars
//
// Read the 1-minute Kepler photometry of two solar-like oscillators, sigma-clip, convert to ppm, take the Parseval-normalised power density and fit the maximum-likelihood model of two Harvey granulation profiles, white noise and a Gaussian oscillation envelope. The frequency of maximum power ν_max is checked against the SYD pipeline (Huber et al. 2009, 2011) catalogue shipped with the data.

// %%
import * as tslab from 'tslab';
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import { linePlot } from '@astro/core/plot';
import { readTextLightCurve, sigmaClip, normalizePpm, estimateNumax, backgroundModel } from '@astro/lightcurve-gpt';
import type { NumaxDetection, NumaxNonDetection } from '@astro/lightcurve-gpt';
// SYD catalogue: KIC | ... | numax | numax_err | dnu | dnu_err | ... (columns as in examples/bayes-ml/mcmc.ts)
const sydRows = readFileSync(dataPath('lightcurves', 'kepler-pysyd', 'syd_results.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.includes('|') && !l.includes('KIC'))
  .map((l) => l.split('|').map((c) => Number(c.trim())));
const sydNumax = (kic: number) => {
  const r = sydRows.find((c) => c[0] === kic)!;
  return { numax: r[3]!, err: r[4]! };
};

// %%
const results: { kic: number; numax: number; err: number; ref: number; refErr: number; dll: number }[] = [];
for (const kic of [1435467, 2309595]) {
  const raw = await readTextLightCurve(dataPath('lightcurves', 'kepler-pysyd', `${kic}_LC.txt`));
  const lc = normalizePpm(sigmaClip(raw).lightCurve);
  const res = estimateNumax(lc);
  // tslab compiles without strictNullChecks, where `detected` does not narrow the union: cast.
  if (!res.detected) throw new Error(`KIC ${kic}: no detection (${(res as NumaxNonDetection).reason})`);
  const r = res as NumaxDetection;
  const ref = sydNumax(kic);
  results.push({ kic: kic, numax: r.numaxMicroHz, err: r.numaxErrMicroHz, ref: ref.numax, refErr: ref.err, dll: r.deltaLogLikelihood2 });
  console.log(
    `KIC ${kic}: ν_max = ${r.numaxMicroHz.toFixed(1)} ± ${r.numaxErrMicroHz.toFixed(1)} μHz (SYD ${ref.numax.toFixed(1)} ± ${ref.err.toFixed(1)}), height/background ${r.heightToBackground.toFixed(2)}, 2ΔlnL ${r.deltaLogLikelihood2.toFixed(0)}`,
  );
  // log-binned power density and the fitted model
  const s = r.spectrum!;
  const nu: number[] = [],
    p: number[] = [],
    model: number[] = [];
  for (let lo = 20; lo < s.nyquistMicroHz / 1.05; lo *= 1.03) {
    let sum = 0,
      n = 0;
    for (let i = Math.floor(lo / s.dfMicroHz); i < s.power.length && s.frequencyMicroHz[i]! < lo * 1.03; i++) {
      sum += s.power[i]!;
      n++;
    }
    if (!n) continue;
    const c = lo * Math.sqrt(1.03);
    nu.push(c);
    p.push(sum / n);
    model.push(backgroundModel(r.fit, c, s.nyquistMicroHz));
  }
  tslab.display.html(
    await linePlot({
      series: [
        { name: 'power density (log-binned)', x: nu, y: p },
        { name: 'background + envelope fit', x: nu, y: model },
      ],
      x: { title: 'frequency (μHz)', log: true },
      y: { title: 'PSD (ppm²/μHz)', log: true },
      title: `KIC ${kic}: ν_max ${r.numaxMicroHz.toFixed(0)} μHz`,
      width: 560,
      height: 300,
    }),
  );
}

// %% [markdown]
// ## Checks
//
// ν_max within 3 % of the SYD catalogue, and a real detection (2ΔlnL of the envelope > 25).

// %%
for (const r of results) {
  if (!(Math.abs(r.numax - r.ref) / r.ref < 0.03)) throw new Error(`KIC ${r.kic}: ν_max ${r.numax} vs SYD ${r.ref}`);
  if (!(r.dll > 25)) throw new Error(`KIC ${r.kic}: envelope not detected (2ΔlnL = ${r.dll})`);
  console.log(`ok KIC ${r.kic}: ${((100 * (r.numax - r.ref)) / r.ref).toFixed(2)} % from SYD`);
}
