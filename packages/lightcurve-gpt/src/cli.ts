#!/usr/bin/env node
/**
 * `astro-lc`: command-line access to the light-curve tools.
 *
 *   astro-lc numax FILE                     ν_max (μHz) ± 1σ of a text or FITS light curve
 *   astro-lc pretrain OUT_DIR [--stars N] [--steps N] [--dim D] [--layers L] [--seed S]
 *                                           pre-train a LightCurveGPT on simulated stars, save it
 *   astro-lc embed MODEL_DIR FILE           mean-pooled embedding of a light curve (JSON)
 */
import { ready } from '@astro/core';
import { readLightCurve } from './io/read.js';
import { sigmaClip } from './prep/clip.js';
import { normalizePpm } from './prep/normalize.js';
import { estimateNumax } from './seismo/numax.js';
import { simulateStar } from './simulate/simulate.js';
import { LightCurveGPT, embedWindows } from './model/gpt.js';
import { concatWindows, patchify } from './model/tokens.js';
import { pretrain } from './model/pretrain.js';
import { loadLightCurveGPT, saveLightCurveGPT } from './model/persist.js';

const USAGE = 'usage: astro-lc numax FILE | astro-lc pretrain OUT_DIR [--stars N] [--steps N] [--dim D] [--layers L] [--seed S] | astro-lc embed MODEL_DIR FILE';

function flag(args: string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...args] = argv;
  if (cmd === 'numax' && args[0]) {
    const lc = normalizePpm(sigmaClip(await readLightCurve(args[0])).lightCurve);
    const r = estimateNumax(lc);
    console.log(`${r.numaxMicroHz.toFixed(2)} ± ${r.numaxErrMicroHz.toFixed(2)} μHz`);
    // 2ΔlnL of the envelope over the background-only fit; below 25 the "envelope" is not a detection.
    if (r.deltaLogLikelihood2 < 25) console.error(`warning: no significant oscillation power excess (2ΔlnL = ${r.deltaLogLikelihood2.toFixed(1)} < 25); ν_max is not measured`);
  } else if (cmd === 'pretrain' && args[0]) {
    await ready();
    const n = flag(args, 'stars', 64);
    const seed = flag(args, 'seed', 0);
    const stars = Array.from({ length: n }, (_, i) => simulateStar({ logg: 2.4 + 0.9 * ((i * 0.618034) % 1), durationDays: 25, seed: seed * 100000 + i }));
    const w = concatWindows(stars.map((s) => patchify(s, { patchSize: 16, numPatches: 16, maxWindows: 4 })));
    const dim = flag(args, 'dim', 32);
    const model = new LightCurveGPT({ patchSize: 16, maxPatches: 16, dim, layers: flag(args, 'layers', 2), heads: Math.max(1, Math.floor(dim / 16)), seed });
    const steps = flag(args, 'steps', 200);
    const losses = await pretrain(model, w, { steps, seed, onStep: (s, l) => { if ((s + 1) % 20 === 0 || s === steps - 1) console.error(`step ${s + 1}/${steps} loss ${l.toFixed(4)}`); } });
    await saveLightCurveGPT(args[0], model);
    console.log(JSON.stringify({ dir: args[0], parameters: model.numParameters(), finalLoss: losses[losses.length - 1] }));
    model.dispose();
  } else if (cmd === 'embed' && args[0] && args[1]) {
    await ready();
    const model = await loadLightCurveGPT(args[0]);
    const lc = normalizePpm(sigmaClip(await readLightCurve(args[1])).lightCurve);
    const w = patchify(lc, { patchSize: model.config.patchSize, numPatches: model.config.maxPatches });
    const e = embedWindows(model, w);
    const d = model.config.dim;
    const mean = Array.from({ length: d }, (_, j) => {
      let s = 0;
      for (let i = 0; i < w.windows; i++) s += e[i * d + j]!;
      return s / w.windows;
    });
    console.log(JSON.stringify({ windows: w.windows, embedding: mean }));
    model.dispose();
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  process.exitCode = 1;
});
