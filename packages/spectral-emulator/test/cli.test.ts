import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf } from '@astro/core';
import { encodeNpy, readNpy, writeNpy } from '@astro/core/io';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
import { compareClose } from '@astro/core/testing';
import { runCli, runCommand, UsageError } from '../src/cli/run.js';
import { runCliCases } from '@astro/core/testing';
import type { CliIO } from '@astro/core/cli';
import { loadBundle, LabelDomainError } from '../src/index.js';
import { fixture, spectra } from './data.js';

describe('astro-emulator CLI', () => {
  let dir: string;
  const lines: string[] = [];
  const log: CliIO = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'astro-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('predict: rows of labels in .npy → rows of flux in .npy, as the library predicts', async () => {
    const labels = [
      [5000, 3, 0],
      [6000, 4.5, -0.2],
      [6900, 2.6, 0.29],
    ];
    await writeNpy(join(dir, 'labels.npy'), { shape: [3, 3], data: Float64Array.from(labels.flat()) });
    const model = spectra('emulator-reference-bundle');
    expect(
      await runCommand(
        ['predict', '--model', model, '--labels', join(dir, 'labels.npy'), '--out', join(dir, 'flux.npy'), '--backend', 'cpu'],
        log,
      ),
    ).toBe(0);
    const out = await readNpy(join(dir, 'flux.npy'));
    expect(out.shape).toEqual([3, 500]);
    const emu = await loadBundle(model);
    const y = emu.predictTensor(labels);
    expect(compareClose(out.data as Float32Array, await y.data(), { atol: 0, rtol: 0 }).ok).toBe(true);
    y.dispose();
    emu.dispose();
    // out-of-domain rows are refused unless asked otherwise
    await writeNpy(join(dir, 'hot.npy'), { shape: [1, 3], data: Float64Array.of(9000, 3, 0) });
    await expect(
      runCommand(['predict', '--model', model, '--labels', join(dir, 'hot.npy'), '--out', join(dir, 'x.npy')], log),
    ).rejects.toThrow(LabelDomainError);
  });

  it('fit: the real APOGEE star with the per-pixel Payne gives the scipy labels, with the model mask by default', async () => {
    const ref = fixture<{ labels: number[]; errors: number[] }>('payne_fit.json');
    const star = spectra('apogee-star-2M13012770+5754582');
    const nn = spectra('payne-apogee-nn');
    const base = ['fit', '--model', nn, '--flux', join(star, 'flux.npy'), '--err', join(star, 'flux_err.npy'), '--rv', '--backend', 'wasm'];
    type Fit = { labels: number[]; maskedPixels: number };
    const read = async (f: string) => JSON.parse(await readFile(join(dir, f), 'utf8')) as Fit;
    // no --mask: the network's own apogee_mask.npy is applied, as scipy's reference fit does
    expect(await runCommand([...base, '--out', join(dir, 'fit.json')], log)).toBe(0);
    const fit = await read('fit.json');
    fit.labels.forEach((v, j) => expect(Math.abs(v - ref.labels[j]!) / ref.errors[j]!).toBeLessThan(0.1));
    expect(lines.some((l) => l.startsWith('chi2/dof'))).toBe(true);
    // the same mask given explicitly changes nothing
    expect(await runCommand([...base, '--mask', join(nn, 'apogee_mask.npy'), '--out', join(dir, 'fit-mask.json')], log)).toBe(0);
    const explicit = await read('fit-mask.json');
    expect(explicit.maskedPixels).toBe(fit.maskedPixels);
    explicit.labels.forEach((v, j) => expect(v).toBeCloseTo(fit.labels[j]!, 6));
    // --no-model-mask fits the poorly modelled pixels too: fewer masked pixels, Teff pulled by > 3σ
    expect(await runCommand([...base, '--no-model-mask', '--out', join(dir, 'fit-nomask.json')], log)).toBe(0);
    const unmasked = await read('fit-nomask.json');
    expect(unmasked.maskedPixels).toBeLessThan(fit.maskedPixels - 500);
    expect(Math.abs(unmasked.labels[0]! - ref.labels[0]!) / ref.errors[0]!).toBeGreaterThan(3);
  });

  it('fit --mcmc: a short ensemble chain around the fit, summarised in the JSON and written as .npy samples', async () => {
    const ref = fixture<{ labels: number[]; errors: number[] }>('payne_fit.json');
    const star = spectra('apogee-star-2M13012770+5754582');
    const nn = spectra('payne-apogee-nn');
    const base = [
      'fit',
      '--model',
      nn,
      '--flux',
      join(star, 'flux.npy'),
      '--err',
      join(star, 'flux_err.npy'),
      '--mask',
      join(nn, 'apogee_mask.npy'),
      '--rv',
    ];
    const args = [
      ...base,
      '--mcmc',
      '40',
      '--walkers',
      '12',
      '--samples',
      join(dir, 'samples.npy'),
      '--out',
      join(dir, 'fit-mcmc.json'),
      '--backend',
      'wasm',
    ];
    expect(await runCommand(args, log)).toBe(0);
    const out = JSON.parse(await readFile(join(dir, 'fit-mcmc.json'), 'utf8')) as {
      posterior: { median: number[]; nWalkers: number; burn: number; parameterNames: string[] };
    };
    expect(out.posterior.parameterNames).toEqual(['teff', 'logg', 'feh', 'alpha_fe', 'vmacro', 'rv']);
    expect(out.posterior.nWalkers).toBe(12);
    // 40 steps is far too short for tails, but walkers started at the optimum stay within a few σ of it
    out.posterior.median.slice(0, 5).forEach((v, j) => expect(Math.abs(v - ref.labels[j]!) / ref.errors[j]!).toBeLessThan(3));
    const samples = await readNpy(join(dir, 'samples.npy'));
    expect(samples.shape).toEqual([12 * (40 - out.posterior.burn), 6]);
    expect(samples.data).toBeInstanceOf(Float64Array);
    expect(lines.some((l) => l.startsWith('MCMC: 12 walkers × 40 steps'))).toBe(true);
    await expect(runCommand([...base, '--mcmc', 'many', '--backend', 'wasm'], log)).rejects.toThrow(UsageError);
  });

  it('train: a Payne MLP on the regular Korg grid, saved as a bundle that predict reads back', async () => {
    const out = join(dir, 'trained');
    const args = ['train', '--data', spectra('korg-regular-flux'), '--out', out, '--steps', '20', '--width', '16', '--backend', 'wasm'];
    await ready({ backend: 'wasm', strict: true }); // count tensors on the backend the command uses
    const before = tf.memory().numTensors;
    expect(await runCommand(args, log)).toBe(0);
    // the command frees its model, optimiser state and batches: no tensor is left behind
    expect(tf.memory().numTensors).toBe(before);
    const emu = await loadBundle(out);
    expect(emu.numPixels).toBe(500);
    expect(emu.activationName).toBe('leaky_relu');
    emu.dispose();
  });

  it('reports usage errors', async () => {
    await expect(runCommand(['predict', '--labels', 'x.npy'], log)).rejects.toThrow(UsageError);
    await expect(runCommand(['frobnicate'], log)).rejects.toThrow(/unknown command/);
    await expect(
      runCommand(['train', '--data', spectra('korg-regular-flux'), '--out', dir, '--arch', 'rnn', '--steps', '1'], log),
    ).rejects.toThrow(/--arch/);
    await expect(runCommand([], log)).rejects.toThrow(UsageError);
    expect(await runCli([], log)).toBe(2);
  });
});

// Bad input at every command: one line on stderr naming the file, exit 2 (with the usage) for
// command-line errors and 1 for bad files or values, no stack trace, no partial output.
const nn = spectra('payne-apogee-nn');
const bundle = spectra('emulator-reference-bundle');
const star = spectra('apogee-star-2M13012770+5754582');
const starFlux = join(star, 'flux.npy');
const starErr = join(star, 'flux_err.npy');
const grid = spectra('korg-regular-flux');
const fitArgs = (flux: string, more: string[] = []) => [
  'fit',
  '--model',
  nn,
  '--flux',
  flux,
  '--err',
  starErr,
  '--backend',
  'wasm',
  ...more,
];
const predictArgs = (labels: string, out: string) => ['predict', '--model', bundle, '--labels', labels, '--out', out, '--backend', 'wasm'];
const nanNpy = (f: { text: (n: string, c: string) => string }) => {
  // a valid float64 .npy of one spectrum with a NaN at every pixel is legal input (masked pixels):
  // the fit must refuse it as having no usable pixel, naming the reason
  const p = f.text('nan.npy', '');
  require('node:fs').writeFileSync(p, encodeNpy({ shape: [7214], data: new Float64Array(7214).fill(NaN) }));
  return p;
};
const labelsNpy = (f: { text: (n: string, c: string) => string }, rows: number[][]) => {
  const p = f.text('labels.npy', '');
  require('node:fs').writeFileSync(p, encodeNpy({ shape: [rows.length, rows[0]!.length], data: Float64Array.from(rows.flat()) }));
  return p;
};
runCliCases(
  runCli,
  [
    { name: 'no command', argv: [], code: 2, message: /command/ },
    { name: 'unknown command', argv: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
    { name: 'unknown flag', argv: (f) => [...fitArgs(starFlux), '--frob', f.dir], code: 2, message: /--frob/ },
    { name: 'missing required flag', argv: ['fit', '--model', nn], code: 2, message: /--flux/ },
    { name: 'option without a value', argv: [...fitArgs(starFlux), '--mcmc'], code: 2, message: /--mcmc/ },
    { name: 'negative --mcmc', argv: [...fitArgs(starFlux), '--mcmc', '-5'], code: 2, message: /--mcmc/ },
    { name: 'non-numeric --continuum', argv: [...fitArgs(starFlux), '--continuum', 'abc'], code: 2, message: /--continuum/ },
    { name: '--walkers without --mcmc', argv: [...fitArgs(starFlux), '--walkers', '12'], code: 2, message: /--mcmc/ },
    { name: 'bad --backend', argv: [...fitArgs(starFlux), '--backend', 'tpu'], code: 2, message: /--backend/ },
    { name: 'bad --arch', argv: (f) => ['train', '--data', grid, '--out', join(f.dir, 'm'), '--arch', 'rnn'], code: 2, message: /--arch/ },
    { name: 'missing flux file', argv: (f) => fitArgs(f.missing('.npy')), code: 1, mentions: (f) => f.dir },
    { name: 'empty flux file', argv: (f) => fitArgs(f.empty('.npy')), code: 1, message: /empty/, mentions: (f) => f.dir },
    { name: 'a directory as the flux file', argv: (f) => fitArgs(f.directory()), code: 1, message: /directory/, mentions: (f) => f.dir },
    { name: 'random bytes as .npy', argv: (f) => fitArgs(f.random('.npy')), code: 1, mentions: (f) => f.dir },
    { name: 'truncated .npy', argv: (f) => fitArgs(f.truncated(starFlux, 0.5)), code: 1, mentions: (f) => f.dir },
    { name: 'NaN flux everywhere', argv: (f) => fitArgs(nanNpy(f)), code: 1, message: /usable pixels/ },
    { name: 'missing model folder', argv: (f) => ['fit', '--model', f.missing(''), '--flux', starFlux], code: 1, mentions: (f) => f.dir },
    { name: 'a file as the model folder', argv: ['fit', '--model', starFlux, '--flux', starFlux], code: 1, mentions: starFlux },
    {
      name: 'a folder with no emulator',
      argv: (f) => ['fit', '--model', f.directory(), '--flux', starFlux],
      code: 1,
      message: /no emulator/,
    },
    {
      name: 'truncated safetensors in a bundle',
      argv: (f) => {
        const fs = require('node:fs') as typeof import('node:fs');
        const copy = join(f.dir, 'bundle');
        fs.cpSync(bundle, copy, { recursive: true });
        const w = join(copy, 'weights', 'weights.safetensors');
        fs.writeFileSync(w, fs.readFileSync(w).subarray(0, 1000));
        return ['predict', '--model', copy, '--labels', labelsNpy(f, [[5000, 4, 0]]), '--out', join(f.dir, 'flux.npy')];
      },
      code: 1,
      noOutput: (f) => join(f.dir, 'flux.npy'),
    },
    {
      name: 'NaN labels',
      argv: (f) => predictArgs(labelsNpy(f, [[5000, NaN, 0]]), join(f.dir, 'flux.npy')),
      code: 1,
      message: /NaN|finite/,
      noOutput: (f) => join(f.dir, 'flux.npy'),
    },
    {
      name: 'labels of the wrong width',
      argv: (f) => predictArgs(labelsNpy(f, [[5000, 4]]), join(f.dir, 'flux.npy')),
      code: 1,
      message: /labels/,
      noOutput: (f) => join(f.dir, 'flux.npy'),
    },
    {
      name: '--out in a missing folder',
      argv: (f) => predictArgs(labelsNpy(f, [[5000, 4, 0]]), f.inMissingFolder('flux.npy')),
      code: 1,
      message: /does not exist/,
      noOutput: (f) => f.inMissingFolder('flux.npy'),
    },
    {
      name: '--out in a read-only folder',
      argv: (f) => predictArgs(labelsNpy(f, [[5000, 4, 0]]), f.inReadOnlyFolder('flux.npy')),
      code: 1,
      message: /not writable/,
    },
    {
      name: 'fit --out in a missing folder',
      argv: (f) => fitArgs(starFlux, ['--out', f.inMissingFolder('fit.json')]),
      code: 1,
      message: /does not exist/,
    },
    {
      name: 'missing grid folder',
      argv: (f) => ['train', '--data', f.missing(''), '--out', join(f.dir, 'm')],
      code: 1,
      mentions: (f) => f.dir,
    },
  ],
  { program: 'astro-emulator', usage: /astro-emulator <command>/ },
);
