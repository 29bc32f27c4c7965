import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, ready, SchemaError } from '@astro/core';
import { compareClose } from '@astro/core/testing';
import { KORG_LABELS, TransformerPayne, loadKorgGrid, trainEmulator, wavelengthEncoding, type SpectraDataset } from '../src/index.js';
import { spectra } from './data.js';

const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };
let korg: SpectraDataset;
beforeAll(async () => {
  await ready({ backend: 'wasm' });
  korg = await loadKorgGrid(spectra('korg-regular-flux'));
});

describe('wavelength encoding', () => {
  it('is exact in float64 where a float32 phase would be off by > 0.01', () => {
    // λ = 5000.123 Å, P = 0.02 Å: 5000/0.02 is a whole number of cycles, so the phase is 2π·(6.15 mod 1)
    const enc = wavelengthEncoding([5000.123], { dim: 2, minPeriodAngstrom: 0.02, maxPeriodAngstrom: 0.02 });
    const exact = Math.sin(2 * Math.PI * 0.15);
    expect(Math.abs(enc[0]! - exact)).toBeLessThan(1e-6);
    expect(Math.abs(enc[1]! - Math.cos(2 * Math.PI * 0.15))).toBeLessThan(1e-6);
    const f32 = Math.fround;
    const naive = Math.sin(f32(f32(2 * Math.PI) * f32(f32(5000.123) / f32(0.02))));
    expect(Math.abs(naive - exact)).toBeGreaterThan(0.01);
  });

  it('uses log-spaced periods from min to max', () => {
    // at λ = P/4 the sine of the period-P pair is 1: check the first and last pair
    const e1 = wavelengthEncoding([0.25], { dim: 6, minPeriodAngstrom: 1, maxPeriodAngstrom: 100 });
    expect(e1[0]).toBeCloseTo(1, 6);
    const e2 = wavelengthEncoding([25], { dim: 6, minPeriodAngstrom: 1, maxPeriodAngstrom: 100 });
    expect(e2[4]).toBeCloseTo(1, 6);
    const e3 = wavelengthEncoding([2.5], { dim: 6, minPeriodAngstrom: 1, maxPeriodAngstrom: 100 }); // middle period 10 Å
    expect(e3[2]).toBeCloseTo(1, 6);
  });
});

describe('TransformerPayne', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'astro-tp-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('gives muP learning-rate multipliers by role and zero-initialises head and queries', async () => {
    const model = new TransformerPayne({
      domain,
      wavelengthAngstrom: korg.wavelengthAngstrom!,
      width: 32,
      baseWidth: 8,
      numHeads: 2,
      numLayers: 2,
      numTokens: 4,
    });
    const mult = model.lrMultipliers();
    expect(Object.keys(mult).sort()).toEqual(
      model
        .namedParameters()
        .map(([n]) => n)
        .sort(),
    );
    expect(mult['query_embed.weight']).toBe(1);
    expect(mult['label_in.weight']).toBe(1);
    expect(mult['label_out.weight']).toBe(0.25);
    expect(mult['blocks.1.attn.q.weight']).toBe(0.25);
    expect(mult['blocks.0.ffn.layers.1.weight']).toBe(0.25);
    expect(mult['head.weight']).toBe(0.25);
    expect(mult['head.bias']).toBe(1);
    expect(mult['blocks.0.attn.k.bias']).toBe(1);
    expect(Math.max(...(await model.head.weight.data()))).toBe(0);
    expect(Math.max(...(await model.blocks.at(0).attn.q.weight.data()).map(Math.abs))).toBe(0);
    // with a zero head every wavelength starts at the head bias
    const y = model.predictTensor([[5000, 4, 0]]);
    const v = await y.data();
    y.dispose();
    expect(Math.max(...v) - Math.min(...v)).toBe(0);
    model.dispose();
  });

  it('trains on random wavelength subsets of the Korg grid without leaking tensors, and fluxAt agrees with emulate', async () => {
    const model = new TransformerPayne({
      domain,
      wavelengthAngstrom: korg.wavelengthAngstrom!,
      width: 16,
      numHeads: 2,
      numLayers: 1,
      numTokens: 4,
      trainWavelengths: 32,
      seed: 1,
    });
    const before = tf.memory().numTensors;
    const res = await trainEmulator(model, korg, {
      steps: 80,
      batchSize: 16,
      lr: 1e-2,
      loss: 'mse',
      seed: 3,
      lrMultipliers: model.lrMultipliers(),
    });
    expect(tf.memory().numTensors).toBe(before);
    const head = res.losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    expect(res.finalLoss).toBeLessThan(head / 3);
    expect(res.flops).toBe(80 * 16 * model.trainFlopsPerSample());
    const labels = tf.tensor2d([
      [5250, 3.5, 0],
      [6500, 4.5, -0.3],
    ]);
    const full = model.emulate(labels);
    expect(full.shape).toEqual([2, 500]);
    const cols = [0, 17, 250, 499];
    const at = model.fluxAt(
      labels,
      cols.map((c) => korg.wavelengthAngstrom![c]!),
    );
    const f = (await full.array()) as number[][];
    const a = (await at.array()) as number[][];
    const rep = compareClose(
      a.flat(),
      f.flatMap((row) => cols.map((c) => row[c]!)),
      { atol: 1e-6, rtol: 0 },
    );
    expect(rep.ok, rep.message).toBe(true);
    tf.dispose([labels, full, at]);

    // save → load gives the same spectra; a wrong kind is refused
    await model.save(join(dir, 'tp'));
    const again = await TransformerPayne.load(join(dir, 'tp'));
    const p1 = model.predictTensor([[5555, 3.3, 0.1]]);
    const p2 = again.predictTensor([[5555, 3.3, 0.1]]);
    expect(compareClose(await p2.data(), await p1.data(), { atol: 0, rtol: 0 }).ok).toBe(true);
    tf.dispose([p1, p2]);
    const cfgPath = join(dir, 'tp', 'config.json');
    const cfg = JSON.parse(await readFile(cfgPath, 'utf8')) as { kind: string };
    cfg.kind = 'payne-mlp';
    await writeFile(cfgPath, JSON.stringify(cfg));
    await expect(TransformerPayne.load(join(dir, 'tp'))).rejects.toThrow(SchemaError);
    model.dispose();
    again.dispose();
  });
});
