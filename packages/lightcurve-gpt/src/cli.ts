#!/usr/bin/env node
/**
 * `astro-lc`: command-line access to the light-curve tools (see {@link runCli}).
 *
 *   astro-lc numax FILE                     ν_max (μHz) ± 1σ of a text or FITS light curve
 *   astro-lc pretrain OUT_DIR [--stars N] [--steps N] [--dim D] [--layers L] [--seed S] [--positions learned|rotary]
 *                                           pre-train a LightCurveGPT on simulated stars, save it
 *   astro-lc embed MODEL_DIR FILE           mean-pooled embedding of a light curve (JSON)
 *
 * `pretrain` and `embed` take `--backend webgpu|wasm|cpu`.
 */
import { runCli } from './cli/run.js';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
