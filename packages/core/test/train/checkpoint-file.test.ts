import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, FormatError, SchemaError } from '../../src/index.js';
import { AdamW } from '../../src/optim/index.js';
import { encodeTensors } from '../../src/io/index.js';
import { fit, saveCheckpoint, loadCheckpoint, decodeCheckpoint, encodeCheckpoint, disposeCheckpoint } from '../../src/train/index.js';
import { MaskedMLP, regression, weightsOf } from './helpers.js';

describe('checkpoint files', () => {
  let dir: string;
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
    dir = await mkdtemp(join(tmpdir(), 'astro-ckpt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const data = regression(64, 2);
  const opts = { epochs: 4, batchSize: 12, seed: 3, validationSplit: 0.25, earlyStopping: { patience: 5 }, progressBar: false } as const;

  it('a run resumed from a checkpoint file equals the uninterrupted run bit for bit', async () => {
    const a = new MaskedMLP();
    const optA = new AdamW(a.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
    const path = join(dir, 'run', 'step-5.safetensors');
    const full = await fit(a, data, {
      ...opts,
      optimizer: optA,
      checkpoint: { everySteps: 5, save: async (c) => (c.meta.globalStep === 5 ? saveCheckpoint(path, c) : undefined) },
    });
    const ck = await loadCheckpoint(path);
    expect(ck.meta).toMatchObject({ epoch: 1, batchInEpoch: 1, globalStep: 5 });
    expect(ck.meta.earlyStopping.best).toBeLessThan(Infinity);
    const b = new MaskedMLP();
    const optB = new AdamW(b.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
    const resumed = await fit(b, data, { ...opts, optimizer: optB, resumeFrom: ck });
    expect(resumed.history).toEqual(full.history);
    expect(await weightsOf(b)).toEqual(await weightsOf(a));
    // a checkpoint written before the one Rng stored the shuffle state as four words: it resumes the same
    const st = ck.meta.epochRngState;
    expect(Array.isArray(st)).toBe(false);
    const legacy = decodeCheckpoint(
      await encodeCheckpoint({ ...ck, meta: { ...ck.meta, epochRngState: (st as { words: [number, number, number, number] }).words } }),
    );
    expect(legacy.meta.epochRngState).toHaveLength(4);
    const c = new MaskedMLP();
    const optC = new AdamW(c.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
    const fromLegacy = await fit(c, data, { ...opts, optimizer: optC, resumeFrom: legacy });
    expect(fromLegacy.history).toEqual(full.history);
    expect(await weightsOf(c)).toEqual(await weightsOf(a));
    disposeCheckpoint(legacy);
    disposeCheckpoint(ck);
    for (const o of [optA, optB, optC]) o.dispose();
    for (const m of [a, b, c]) m.dispose();
  });

  it('keeps "no best value yet" (Infinity) through JSON', async () => {
    const m = new MaskedMLP();
    let bytes: Uint8Array | undefined;
    await fit(m, data, {
      ...opts,
      epochs: 1,
      checkpoint: { everySteps: 1, save: async (c) => void (bytes ??= await encodeCheckpoint(c)) },
    });
    const ck = decodeCheckpoint(bytes!);
    expect(ck.meta.earlyStopping).toEqual({ best: Infinity, bestEpoch: -1, wait: 0 });
    expect(Object.keys(ck.tensors).filter((k) => k.startsWith('model.'))).toEqual(
      ['model.fc1.weight', 'model.fc1.bias', 'model.fc2.weight', 'model.fc2.bias'].sort(),
    );
    disposeCheckpoint(ck);
    m.dispose();
  });

  it('rejects files that are not checkpoints, other schema versions and corrupt bytes', async () => {
    const plain = await encodeTensors({ w: { shape: [2], data: new Float32Array(2) } });
    expect(() => decodeCheckpoint(plain)).toThrow(FormatError);
    expect(() => decodeCheckpoint(plain)).toThrow(/not a training checkpoint/);
    const future = await encodeTensors(
      {},
      { metadata: { 'astro.checkpoint': JSON.stringify({ kind: 'astro.training-checkpoint', schemaVersion: 99 }) } },
    );
    expect(() => decodeCheckpoint(future)).toThrow(SchemaError);
    const junk = await encodeTensors({}, { metadata: { 'astro.checkpoint': '{oops' } });
    expect(() => decodeCheckpoint(junk)).toThrow(/not valid JSON/);
    expect(() => decodeCheckpoint(new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0, 123]))).toThrow(FormatError);
  });
});
