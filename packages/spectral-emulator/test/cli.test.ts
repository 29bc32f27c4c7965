import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf } from '@astro/core';
import { readNpy, writeNpy } from '@astro/core/io';
import { compareClose } from '@astro/core/testing';
import { runCli, UsageError } from '../src/cli/run.js';
import { loadBundle, LabelDomainError } from '../src/index.js';
import { fixture, spectra } from './data.js';

describe('astro-emulator CLI', () => {
  let dir: string;
  const lines: string[] = [];
  const log = (s: string) => lines.push(s);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'astro-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('predict: rows of labels in .npy → rows of flux in .npy, as the library predicts', async () => {
    const labels = [[5000, 3, 0], [6000, 4.5, -0.2], [6900, 2.6, 0.29]];
    await writeNpy(join(dir, 'labels.npy'), { shape: [3, 3], data: Float64Array.from(labels.flat()) });
    const model = spectra('emulator-reference-bundle');
    expect(await runCli(['predict', '--model', model, '--labels', join(dir, 'labels.npy'), '--out', join(dir, 'flux.npy'), '--backend', 'cpu'], log)).toBe(0);
    const out = await readNpy(join(dir, 'flux.npy'));
    expect(out.shape).toEqual([3, 500]);
    const emu = await loadBundle(model);
    const y = emu.predict(labels);
    expect(compareClose(out.data as Float32Array, await y.data(), { atol: 0, rtol: 0 }).ok).toBe(true);
    y.dispose();
    emu.dispose();
    // out-of-domain rows are refused unless asked otherwise
    await writeNpy(join(dir, 'hot.npy'), { shape: [1, 3], data: Float64Array.of(9000, 3, 0) });
    await expect(runCli(['predict', '--model', model, '--labels', join(dir, 'hot.npy'), '--out', join(dir, 'x.npy')], log)).rejects.toThrow(LabelDomainError);
  });

  it('fit: the real APOGEE star with the per-pixel Payne gives the scipy labels, with the model mask by default', async () => {
    const ref = fixture<{ labels: number[]; errors: number[] }>('payne_fit.json');
    const star = spectra('apogee-star-2M13012770+5754582');
    const nn = spectra('payne-apogee-nn');
    const base = ['fit', '--model', nn, '--flux', join(star, 'flux.npy'), '--err', join(star, 'flux_err.npy'), '--rv', '--backend', 'wasm'];
    type Fit = { labels: number[]; maskedPixels: number };
    const read = async (f: string) => JSON.parse(await readFile(join(dir, f), 'utf8')) as Fit;
    // no --mask: the network's own apogee_mask.npy is applied, as scipy's reference fit does
    expect(await runCli([...base, '--out', join(dir, 'fit.json')], log)).toBe(0);
    const fit = await read('fit.json');
    fit.labels.forEach((v, j) => expect(Math.abs(v - ref.labels[j]!) / ref.errors[j]!).toBeLessThan(0.1));
    expect(lines.some((l) => l.startsWith('chi2/dof'))).toBe(true);
    // the same mask given explicitly changes nothing
    expect(await runCli([...base, '--mask', join(nn, 'apogee_mask.npy'), '--out', join(dir, 'fit-mask.json')], log)).toBe(0);
    const explicit = await read('fit-mask.json');
    expect(explicit.maskedPixels).toBe(fit.maskedPixels);
    explicit.labels.forEach((v, j) => expect(v).toBeCloseTo(fit.labels[j]!, 6));
    // --no-model-mask fits the poorly modelled pixels too: fewer masked pixels, Teff pulled by > 3σ
    expect(await runCli([...base, '--no-model-mask', '--out', join(dir, 'fit-nomask.json')], log)).toBe(0);
    const unmasked = await read('fit-nomask.json');
    expect(unmasked.maskedPixels).toBeLessThan(fit.maskedPixels - 500);
    expect(Math.abs(unmasked.labels[0]! - ref.labels[0]!) / ref.errors[0]!).toBeGreaterThan(3);
  });

  it('fit --mcmc: a short ensemble chain around the fit, summarised in the JSON and written as .npy samples', async () => {
    const ref = fixture<{ labels: number[]; errors: number[] }>('payne_fit.json');
    const star = spectra('apogee-star-2M13012770+5754582');
    const nn = spectra('payne-apogee-nn');
    const base = ['fit', '--model', nn, '--flux', join(star, 'flux.npy'), '--err', join(star, 'flux_err.npy'), '--mask', join(nn, 'apogee_mask.npy'), '--rv'];
    const args = [...base, '--mcmc', '40', '--walkers', '12', '--samples', join(dir, 'samples.npy'), '--out', join(dir, 'fit-mcmc.json'), '--backend', 'wasm'];
    expect(await runCli(args, log)).toBe(0);
    const out = JSON.parse(await readFile(join(dir, 'fit-mcmc.json'), 'utf8')) as { posterior: { median: number[]; nWalkers: number; burn: number; parameterNames: string[] } };
    expect(out.posterior.parameterNames).toEqual(['teff', 'logg', 'feh', 'alpha_fe', 'vmacro', 'rv']);
    expect(out.posterior.nWalkers).toBe(12);
    // 40 steps is far too short for tails, but walkers started at the optimum stay within a few σ of it
    out.posterior.median.slice(0, 5).forEach((v, j) => expect(Math.abs(v - ref.labels[j]!) / ref.errors[j]!).toBeLessThan(3));
    const samples = await readNpy(join(dir, 'samples.npy'));
    expect(samples.shape).toEqual([12 * (40 - out.posterior.burn), 6]);
    expect(samples.data).toBeInstanceOf(Float64Array);
    expect(lines.some((l) => l.startsWith('MCMC: 12 walkers × 40 steps'))).toBe(true);
    await expect(runCli([...base, '--mcmc', 'many', '--backend', 'wasm'], log)).rejects.toThrow(UsageError);
  });

  it('train: a Payne MLP on the regular Korg grid, saved as a bundle that predict reads back', async () => {
    const out = join(dir, 'trained');
    const args = ['train', '--data', spectra('korg-regular-flux'), '--out', out, '--steps', '20', '--width', '16', '--backend', 'wasm'];
    await ready({ backend: 'wasm', strict: true }); // count tensors on the backend the command uses
    const before = tf.memory().numTensors;
    expect(await runCli(args, log)).toBe(0);
    // the command frees its model, optimiser state and batches: no tensor is left behind
    expect(tf.memory().numTensors).toBe(before);
    const emu = await loadBundle(out);
    expect(emu.numPixels).toBe(500);
    expect(emu.activationName).toBe('leaky_relu');
    emu.dispose();
  });

  it('reports usage errors', async () => {
    await expect(runCli(['predict', '--labels', 'x.npy'], log)).rejects.toThrow(UsageError);
    await expect(runCli(['frobnicate'], log)).rejects.toThrow(/unknown command/);
    await expect(runCli(['train', '--data', spectra('korg-regular-flux'), '--out', dir, '--arch', 'rnn', '--steps', '1'], log)).rejects.toThrow(/--arch/);
    expect(await runCli([], log)).toBe(2);
  });
});
