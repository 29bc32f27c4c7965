import { ready } from '@astro/core';
import { encodeNpy } from '@astro/core/io';
import {
  parseCli,
  runMain,
  checkInputFile,
  checkOutputPath,
  writeOutputFile,
  processIO,
  UsageError,
  FileError,
  type CliIO,
  type OptionsSpec,
} from '@astro/core/cli';
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
import { ShapeError } from '@astro/core';
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

  common: --backend webgpu|wasm|cpu   (default: best available)
          --verbose                   stack traces on errors (also with DEBUG set)
  exit status: 0 ok, 1 bad file or value (one line on stderr naming it), 2 usage error`;

export { UsageError };

const COMMON = { backend: { type: 'string', choices: ['webgpu', 'wasm', 'cpu'] } } as const satisfies OptionsSpec;
const COMMANDS = {
  predict: {
    model: { type: 'string', required: true },
    labels: { type: 'string', required: true },
    out: { type: 'string', required: true },
    'out-of-domain': { type: 'string', choices: ['error', 'warn', 'ignore'], default: 'error' },
  },
  fit: {
    model: { type: 'string', required: true },
    flux: { type: 'string', required: true },
    err: { type: 'string' },
    mask: { type: 'string' },
    'no-model-mask': { type: 'boolean' },
    rv: { type: 'boolean' },
    continuum: { type: 'integer', min: 0, max: 20 },
    out: { type: 'string' },
    mcmc: { type: 'integer', min: 8 },
    walkers: { type: 'integer', min: 2 },
    samples: { type: 'string' },
    seed: { type: 'integer', min: 0, default: 0 },
  },
  train: {
    data: { type: 'string', required: true },
    out: { type: 'string', required: true },
    arch: { type: 'string', choices: ['payne', 'transformer'], default: 'payne' },
    steps: { type: 'integer', min: 1, default: 500 },
    batch: { type: 'integer', min: 1, default: 32 },
    lr: { type: 'number', min: 0 },
    width: { type: 'integer', min: 1 },
    seed: { type: 'integer', min: 0, default: 0 },
  },
} as const satisfies Record<string, OptionsSpec>;

/** Check that every input path exists, is a file (or, for `--model`/`--data`, a folder). */
async function checkFolder(path: string, what: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new FileError(path, `${what} folder does not exist`);
  }
  if (!st.isDirectory()) throw new FileError(path, `${what} must be a folder`);
}

/** Write a float array as .npy atomically (temporary file, then rename). */
async function writeNpyAtomic(path: string, shape: number[], data: Float32Array | Float64Array): Promise<void> {
  await writeOutputFile(path, encodeNpy({ shape, data, dtype: data instanceof Float64Array ? 'F64' : 'F32' }));
}

/**
 * Run one `astro-emulator` command with `argv` (without the node and script paths). Errors are
 * thrown (typed: `UsageError` for the command line, `FileError`/`FormatError`/`ValueError`/… for
 * files and values); {@link runCli} turns them into one line and an exit status.
 */
export async function runCommand(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const log = io.out;
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    log(USAGE);
    if (!cmd) throw new UsageError('a command is needed: predict, fit or train');
    return 0;
  }
  if (!(cmd in COMMANDS)) throw new UsageError(`unknown command '${cmd}' (predict, fit or train)`);

  if (cmd === 'predict') {
    const { values } = parseCli(rest, { options: { ...COMMANDS.predict, ...COMMON } });
    if (values.help) return (log(USAGE), 0);
    await checkFolder(values.model, '--model');
    await checkInputFile(values.labels);
    await checkOutputPath(values.out);
    await ready(values.backend ? { backend: values.backend as 'webgpu' | 'wasm' | 'cpu', strict: true } : {});
    const emu = await loadEmulator(values.model);
    try {
      const arr = await readNpyFloat(values.labels);
      const k = emu.domain.names.length;
      if (arr.shape.length !== 2 && !(arr.shape.length === 1 && arr.shape[0] === k)) {
        throw new ShapeError(`${values.labels}: labels must be [N, ${k}] (${emu.domain.names.join(', ')}), got [${arr.shape}]`);
      }
      const { values: lab, rows } = labelMatrix(arr.data, k, values.labels);
      const y = emu.predictTensor(lab, { outOfDomain: values['out-of-domain'] as 'error' | 'warn' | 'ignore' });
      const flux = (await y.data()) as Float32Array;
      y.dispose();
      await writeNpyAtomic(values.out, [rows, emu.numPixels], flux);
      log(`wrote ${rows} spectra × ${emu.numPixels} pixels to ${values.out}`);
    } finally {
      emu.dispose();
    }
    return 0;
  }

  if (cmd === 'fit') {
    const { values } = parseCli(rest, { options: { ...COMMANDS.fit, ...COMMON } });
    if (values.help) return (log(USAGE), 0);
    if ((values.walkers !== undefined || values.samples !== undefined) && values.mcmc === undefined) {
      throw new UsageError('--walkers and --samples need --mcmc STEPS');
    }
    await checkFolder(values.model, '--model');
    for (const f of [values.flux, values.err, values.mask]) if (f !== undefined) await checkInputFile(f);
    for (const f of [values.out, values.samples]) if (f !== undefined) await checkOutputPath(f);
    await ready(values.backend ? { backend: values.backend as 'webgpu' | 'wasm' | 'cpu', strict: true } : {});
    const emu = await loadEmulator(values.model);
    try {
      const flux = await readVector(values.flux);
      const fluxErr = values.err ? await readVector(values.err) : undefined;
      const userMask = values.mask ? await readVector(values.mask) : undefined;
      const mask = combineMasks(userMask, values['no-model-mask'] ? undefined : modelBadPixels(emu), flux.length);
      const observed = { flux, ...(fluxErr ? { fluxErr } : {}), ...(mask ? { mask } : {}) };
      const modelOpts = { fitRv: values.rv ?? false, ...(values.continuum !== undefined ? { continuumDegree: values.continuum } : {}) };
      const fit = await fitSpectrum(emu, observed, modelOpts);
      fit.labelNames.forEach((n, j) =>
        log(`${n.padEnd(9)} ${fit.labels[j]!.toPrecision(7).padStart(12)} ± ${fit.labelErrors[j]!.toPrecision(3)} ${fit.labelUnits[j]}`),
      );
      if (fit.rvKms !== undefined) log(`rv        ${fit.rvKms.toPrecision(7).padStart(12)} ± ${fit.rvErrKms!.toPrecision(3)} km/s`);
      log(`chi2/dof  ${fit.chi2.toFixed(2)}/${fit.dof} = ${fit.reducedChi2.toFixed(4)}  (${fit.maskedPixels} pixels masked)`);
      if (fit.atBound.length) log(`at the edge of the trained domain: ${fit.atBound.join(', ')}`);
      let posterior: Record<string, unknown> | undefined;
      if (values.mcmc !== undefined) {
        const nSteps = values.mcmc;
        const post = await sampleLabels(emu, observed, {
          ...modelOpts,
          start: fit,
          nSteps,
          seed: values.seed,
          ...(values.walkers !== undefined ? { nWalkers: values.walkers } : {}),
        });
        log(`MCMC: ${post.nWalkers} walkers × ${nSteps} steps (burn ${post.burn}), acceptance ${post.acceptanceFraction.toFixed(3)}`);
        post.parameterNames.forEach((n, j) => {
          const up = post.p84[j]! - post.median[j]!;
          const down = post.median[j]! - post.p16[j]!;
          log(
            `${n.padEnd(9)} ${post.median[j]!.toPrecision(7).padStart(12)} +${up.toPrecision(3)} −${down.toPrecision(3)} ${post.parameterUnits[j]}  (τ ${post.autocorrTime[j]!.toFixed(1)} steps)`,
          );
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
          await writeNpyAtomic(values.samples, [post.nSamples, post.nParameters], post.samples);
          log(`wrote ${post.nSamples} posterior samples × ${post.nParameters} parameters to ${values.samples}`);
        }
      }
      if (values.out) {
        const { modelFlux, covariance, ...restFit } = fit;
        const json = {
          ...restFit,
          labels: [...fit.labels],
          labelErrors: [...fit.labelErrors],
          continuum: fit.continuum ? [...fit.continuum] : undefined,
          covariance: [...covariance],
          modelFlux: [...modelFlux],
          ...(posterior ? { posterior } : {}),
        };
        await writeOutputFile(values.out, JSON.stringify(json, null, 2));
        log(`wrote ${values.out}`);
      }
    } finally {
      emu.dispose();
    }
    return 0;
  }

  const { values } = parseCli(rest, { options: { ...COMMANDS.train, ...COMMON } });
  if (values.help) return (log(USAGE), 0);
  await checkFolder(values.data, '--data');
  await checkOutputPath(values.out, { directory: true, createParents: true });
  await ready(values.backend ? { backend: values.backend as 'webgpu' | 'wasm' | 'cpu', strict: true } : {});
  const data = await loadKorgGrid(values.data);
  const out = values.out;
  const arch = values.arch;
  const names = ['teff', 'logg', 'feh'];
  const domain = datasetDomain(data, names, ['K', 'dex', 'dex']);
  const seed = values.seed;
  const width = values.width ?? (arch === 'payne' ? 128 : 32);
  const opts = {
    steps: values.steps,
    batchSize: values.batch,
    seed,
    onProgress: (p: { step: number; totalSteps: number; loss: number }) =>
      log(`step ${p.step}/${p.totalSteps} loss ${p.loss.toExponential(3)}`),
    logEvery: 50,
  };
  if (arch === 'payne') {
    const model = createPayne({ domain, numPixels: data.numPixels, width, seed, wavelengthAngstrom: data.wavelengthAngstrom! });
    try {
      await trainEmulator(model, data, { ...opts, lr: values.lr ?? 3e-3, loss: 'l1' });
      await saveBundle(model, out);
    } finally {
      model.dispose();
    }
  } else {
    const model = new TransformerPayne({ domain, wavelengthAngstrom: data.wavelengthAngstrom!, width, seed });
    try {
      await trainEmulator(model, data, { ...opts, lr: values.lr ?? 1e-2, loss: 'mse', lrMultipliers: model.lrMultipliers() });
      await model.save(out);
    } finally {
      model.dispose();
    }
  }
  log(`saved ${arch} emulator to ${out}`);
  return 0;
}

/** Read a 1-d float `.npy` (a spectrum, its errors or a mask); other shapes are a `ShapeError` naming the file. */
async function readVector(path: string): Promise<Float64Array> {
  const a = await readNpyFloat(path);
  if (a.shape.length !== 1 && !(a.shape.length === 2 && a.shape[0] === 1))
    throw new ShapeError(`${path}: expected one spectrum (a 1-d array), got shape [${a.shape}]`);
  return a.data;
}

/**
 * Run the `astro-emulator` command line: one line `astro-emulator: message` on stderr for any
 * error (naming the file), exit status 2 with the usage for command-line errors, 1 otherwise; a
 * stack trace only with `--verbose` or `DEBUG`. Outputs are written atomically. Returns the status.
 */
export function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  return runMain((a, o) => runCommand(a, o), argv, { name: 'astro-emulator', usage: USAGE, io });
}

/** Entry point used by the `astro-emulator` binary. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  process.exitCode = await runCli(argv);
}
