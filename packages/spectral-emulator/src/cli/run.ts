import { parseArgs } from 'node:util';
import { tf, ready, AstroError, ValueError } from '@astro/core';
import { writeNpy } from '@astro/core/io';
import { fitSpectrum } from '../fitting/fit.js';
import { sampleLabels } from '../fitting/sample.js';
import { loadKorgGrid, datasetDomain } from '../grid/korg.js';
import { readNpyFloat } from '../grid/npy.js';
import { labelMatrix } from '../labels/input.js';
import { loadEmulator } from '../load.js';
import type { SpectralEmulator } from '../emulator.js';
import { createPayne } from '../payne/mlp.js';
import { saveBundle } from '../bundle/save.js';
import { TransformerPayne } from '../transformer/model.js';
import { trainEmulator } from '../training/train.js';

/** The emulator's own bad-pixel mask (1 = poorly modelled), when it has one. */
function modelBadPixels(emu: SpectralEmulator): Uint8Array | undefined {
  const m = (emu as { badPixelMask?: unknown }).badPixelMask;
  return m instanceof Uint8Array ? m : undefined;
}

/**
 * Union of a user mask and the model's mask (truthy = masked); `undefined` when neither is given.
 * The model's mask is on the model's pixel grid, so it applies only to a spectrum of that length
 * (any other length is reported by `fitSpectrum` as a `ShapeError`).
 */
function combineMasks(user: Float64Array | undefined, model: Uint8Array | undefined, pixels: number): Float64Array | undefined {
  if (!model || model.length !== pixels) return user;
  if (!user) return Float64Array.from(model);
  if (user.length !== pixels) return user; // fitSpectrum reports the length mismatch of the user mask
  return Float64Array.from(user, (v, i) => (v || model[i] ? 1 : 0));
}

/** Usage text of the `astro-emulator` command. */
export const USAGE = `astro-emulator <command> [options]

  predict --model DIR --labels in.npy --out out.npy [--out-of-domain error|warn|ignore]
      rows of labels in physical units [N, k] → rows of flux [N, P] (float32)
  fit --model DIR --flux flux.npy [--err err.npy] [--mask mask.npy] [--no-model-mask] [--rv] [--continuum DEG]
      [--out fit.json] [--mcmc STEPS [--walkers W] [--samples samples.npy]]
      fit labels (and RV, continuum) to one spectrum; prints labels ± errors and χ²/dof. The model's own
      bad-pixel mask (e.g. apogee_mask.npy of a per-pixel Payne) is applied by default, together with
      --mask if given; --no-model-mask turns it off. With --mcmc,
      also samples the posterior (ensemble MCMC, uniform prior over the trained box; wasm/cpu) and
      prints medians with 16/84th percentiles; --samples writes the chain [n, parameters] (float64)
  train --data GRID_DIR --out DIR [--arch payne|transformer] [--steps N] [--batch B] [--lr LR] [--width W] [--seed S]
      train on a grid folder (parameters.npy, normalized_flux.npy, wavelength.npy) and save it

  common: --backend webgpu|wasm|cpu   (default: best available)`;

/** A command-line usage error (exit code 2). */
export class UsageError extends ValueError {}

/**
 * Run the `astro-emulator` command with `argv` (without the node and script paths); returns the
 * process exit code. Output goes through `log` (default console.log).
 */
export async function runCli(argv: readonly string[], log: (s: string) => void = console.log): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    log(USAGE);
    return cmd ? 0 : 2;
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      model: { type: 'string' },
      labels: { type: 'string' },
      out: { type: 'string' },
      'out-of-domain': { type: 'string' },
      flux: { type: 'string' },
      err: { type: 'string' },
      mask: { type: 'string' },
      'no-model-mask': { type: 'boolean' },
      rv: { type: 'boolean' },
      continuum: { type: 'string' },
      data: { type: 'string' },
      arch: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      width: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      mcmc: { type: 'string' },
      walkers: { type: 'string' },
      samples: { type: 'string' },
    },
    strict: true,
  });
  const need = (name: keyof typeof values): string => {
    const v = values[name];
    if (typeof v !== 'string' || !v) throw new UsageError(`${cmd}: --${name} is required\n\n${USAGE}`);
    return v;
  };
  const num = (name: keyof typeof values, dflt: number): number => {
    const v = values[name];
    if (v === undefined) return dflt;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got '${String(v)}'`);
    return x;
  };
  const backend = values.backend;
  if (backend !== undefined && !['webgpu', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be webgpu, wasm or cpu`);
  const mcmc = cmd === 'fit' && values.mcmc !== undefined;
  await ready(backend ? { backend: backend as 'webgpu' | 'wasm' | 'cpu', strict: true } : {});

  if (cmd === 'predict') {
    const emu = await loadEmulator(need('model'));
    try {
      const arr = await readNpyFloat(need('labels'));
      const k = emu.domain.names.length;
      if (arr.shape.length !== 2 && !(arr.shape.length === 1 && arr.shape[0] === k)) {
        throw new UsageError(`--labels must be [N, ${k}] (${emu.domain.names.join(', ')}), got [${arr.shape}]`);
      }
      const { values: lab, rows } = labelMatrix(arr.data, k);
      const policy = (values['out-of-domain'] ?? 'error') as 'error' | 'warn' | 'ignore';
      if (!['error', 'warn', 'ignore'].includes(policy)) throw new UsageError('--out-of-domain must be error, warn or ignore');
      const y = emu.predict(lab, { outOfDomain: policy });
      const flux = (await y.data()) as Float32Array;
      y.dispose();
      await writeNpy(need('out'), { shape: [rows, emu.numPixels], data: flux, dtype: 'F32' });
      log(`wrote ${rows} spectra × ${emu.numPixels} pixels to ${values.out}`);
    } finally {
      emu.dispose();
    }
    return 0;
  }

  if (cmd === 'fit') {
    const emu = await loadEmulator(need('model'));
    try {
      const flux = (await readNpyFloat(need('flux'))).data;
      const fluxErr = values.err ? (await readNpyFloat(values.err)).data : undefined;
      const userMask = values.mask ? (await readNpyFloat(values.mask)).data : undefined;
      const mask = combineMasks(userMask, values['no-model-mask'] ? undefined : modelBadPixels(emu), flux.length);
      const observed = { flux, ...(fluxErr ? { fluxErr } : {}), ...(mask ? { mask } : {}) };
      const modelOpts = { fitRv: values.rv ?? false, ...(values.continuum !== undefined ? { continuumDegree: num('continuum', 0) } : {}) };
      const fit = await fitSpectrum(emu, observed, modelOpts);
      fit.labelNames.forEach((n, j) => log(`${n.padEnd(9)} ${fit.labels[j]!.toPrecision(7).padStart(12)} ± ${fit.labelErrors[j]!.toPrecision(3)} ${fit.labelUnits[j]}`));
      if (fit.rvKms !== undefined) log(`rv        ${fit.rvKms.toPrecision(7).padStart(12)} ± ${fit.rvErrKms!.toPrecision(3)} km/s`);
      log(`chi2/dof  ${fit.chi2.toFixed(2)}/${fit.dof} = ${fit.reducedChi2.toFixed(4)}  (${fit.maskedPixels} pixels masked)`);
      if (fit.atBound.length) log(`at the edge of the trained domain: ${fit.atBound.join(', ')}`);
      let posterior: Record<string, unknown> | undefined;
      if (mcmc) {
        const nSteps = num('mcmc', 0);
        if (!Number.isInteger(nSteps) || nSteps < 8) throw new UsageError(`--mcmc must be a number of steps ≥ 8, got '${values.mcmc}'`);
        const post = await sampleLabels(emu, observed, { ...modelOpts, start: fit, nSteps, seed: num('seed', 0), ...(values.walkers ? { nWalkers: num('walkers', 0) } : {}) });
        log(`MCMC: ${post.nWalkers} walkers × ${nSteps} steps (burn ${post.burn}), acceptance ${post.acceptanceFraction.toFixed(3)}`);
        post.parameterNames.forEach((n, j) => {
          const up = post.p84[j]! - post.median[j]!;
          const down = post.median[j]! - post.p16[j]!;
          log(`${n.padEnd(9)} ${post.median[j]!.toPrecision(7).padStart(12)} +${up.toPrecision(3)} −${down.toPrecision(3)} ${post.parameterUnits[j]}  (τ ${post.autocorrTime[j]!.toFixed(1)} steps)`);
        });
        if (!post.autocorrConverged) log('the chain is shorter than 50 autocorrelation times: run more --mcmc steps for reliable tails');
        posterior = {
          parameterNames: post.parameterNames,
          median: [...post.median],
          p16: [...post.p16],
          p84: [...post.p84],
          std: [...post.std],
          acceptanceFraction: post.acceptanceFraction,
          autocorrTime: [...post.autocorrTime],
          autocorrConverged: post.autocorrConverged,
          nWalkers: post.nWalkers,
          nSteps: post.nSteps,
          burn: post.burn,
        };
        if (values.samples) {
          await writeNpy(values.samples, { shape: [post.nSamples, post.nParameters], data: post.samples, dtype: 'F64' });
          log(`wrote ${post.nSamples} posterior samples × ${post.nParameters} parameters to ${values.samples}`);
        }
      }
      if (values.out) {
        const fs = await import('node:fs/promises');
        const { modelFlux, covariance, ...rest } = fit;
        await fs.writeFile(values.out, JSON.stringify({ ...rest, labels: [...fit.labels], labelErrors: [...fit.labelErrors], continuum: fit.continuum ? [...fit.continuum] : undefined, covariance: [...covariance], modelFlux: [...modelFlux], ...(posterior ? { posterior } : {}) }, null, 2));
        log(`wrote ${values.out}`);
      }
    } finally {
      emu.dispose();
    }
    return 0;
  }

  if (cmd === 'train') {
    const data = await loadKorgGrid(need('data'));
    const out = need('out');
    const arch = values.arch ?? 'payne';
    const names = ['teff', 'logg', 'feh'];
    const domain = datasetDomain(data, names, ['K', 'dex', 'dex']);
    const seed = num('seed', 0);
    const width = num('width', arch === 'payne' ? 128 : 32);
    const opts = { steps: num('steps', 500), batchSize: num('batch', 32), seed, onProgress: (p: { step: number; totalSteps: number; loss: number }) => log(`step ${p.step}/${p.totalSteps} loss ${p.loss.toExponential(3)}`), logEvery: 50 };
    if (arch === 'payne') {
      const model = createPayne({ domain, numPixels: data.numPixels, width, seed, wavelengthAngstrom: data.wavelengthAngstrom! });
      await trainEmulator(model, data, { ...opts, lr: num('lr', 3e-3), loss: 'l1' });
      await saveBundle(model, out);
      model.dispose();
    } else if (arch === 'transformer') {
      const model = new TransformerPayne({ domain, wavelengthAngstrom: data.wavelengthAngstrom!, width, seed });
      await trainEmulator(model, data, { ...opts, lr: num('lr', 1e-2), loss: 'mse', lrMultipliers: model.lrMultipliers() });
      await model.save(out);
      model.dispose();
    } else {
      throw new UsageError(`--arch must be payne or transformer, got '${arch}'`);
    }
    log(`saved ${arch} emulator to ${out}`);
    return 0;
  }
  throw new UsageError(`unknown command '${cmd}'\n\n${USAGE}`);
}

/** Entry point used by the `astro-emulator` binary: runs {@link runCli} and maps errors to exit codes. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await runCli(argv);
  } catch (e) {
    const usage = e instanceof UsageError || (e instanceof TypeError && String(e.message).includes('Unknown option'));
    console.error(e instanceof AstroError || usage ? `astro-emulator: ${e instanceof Error ? e.message : String(e)}` : e);
    process.exitCode = usage ? 2 : 1;
  }
  void tf;
}
