// The house model contract (core's describeModelContract) for the package's trainable emulators:
// construct never trains, seeded fit with FitProgress, async predict of numbers, save(dir) → load(dir),
// wrong kind → SchemaError, truncated weights → FormatError, abort → AbortError, no leaked tensors.
// Tiny networks on 24 real Korg spectra (500 pixels) keep each suite to seconds.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeModelContract } from '@astro/core/testing';
import {
  KORG_LABELS,
  LEGACY_TRANSFORMER_PAYNE_KIND,
  MLP_EMULATOR_KIND,
  MlpEmulator,
  TRANSFORMER_PAYNE_KIND,
  TransformerPayne,
  createPayne,
  datasetDomain,
  loadEmulator,
  loadKorgGrid,
  subsetRows,
  type SpectraDataset,
} from '../src/index.js';
import { spectra } from './data.js';

const korg = await loadKorgGrid(spectra('korg-regular-flux'));
const domain = datasetDomain(korg, KORG_LABELS.names, KORG_LABELS.units);
const train = (): SpectraDataset =>
  subsetRows(
    korg,
    Array.from({ length: 24 }, (_, i) => i * 8),
  );
const labels = (): number[][] => [
  [5123, 3.3, 0.1],
  [6800, 4.9, -0.29],
];
const tinyPayne = (): MlpEmulator =>
  createPayne({ domain, numPixels: korg.numPixels, width: 8, seed: 3, wavelengthAngstrom: korg.wavelengthAngstrom! });
const tinyTransformer = (): TransformerPayne =>
  new TransformerPayne({
    domain,
    wavelengthAngstrom: korg.wavelengthAngstrom!,
    width: 8,
    numHeads: 2,
    numLayers: 1,
    numTokens: 2,
    encodingDim: 8,
    trainWavelengths: 16,
    seed: 5,
  });

await describeModelContract({
  name: 'MlpEmulator (The Payne)',
  kind: MLP_EMULATOR_KIND,
  create: tinyPayne,
  load: (dir) => MlpEmulator.load(dir),
  data: train,
  input: labels,
  fitOptions: { epochs: 2, seed: 4, batchSize: 8, lr: 1e-2 },
  // every available backend: under SwiftShader WebGPU (no GPU) this suite took 44 s (load ~2).
});

await describeModelContract({
  name: 'TransformerPayne',
  kind: TRANSFORMER_PAYNE_KIND,
  create: tinyTransformer,
  load: (dir) => TransformerPayne.load(dir),
  data: train,
  input: labels,
  fitOptions: { epochs: 2, seed: 4, batchSize: 8, lr: 1e-2 },
  // cpu and wasm only: under SwiftShader WebGPU (CI's WebGPU without a GPU) this suite had not finished
  // its first check after 400 s (killed; load 4-14), against 5 s for cpu + wasm together.
  backends: ['cpu', 'wasm'],
});

describe('saved-model kinds', () => {
  it(`a folder saved under the former kind '${LEGACY_TRANSFORMER_PAYNE_KIND}' still loads (class and loadEmulator)`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-legacy-'));
    try {
      const model = tinyTransformer();
      await model.fit(train(), { epochs: 1, seed: 2, batchSize: 8 });
      await model.save(dir);
      const cfgPath = join(dir, 'config.json');
      const cfg = JSON.parse(await readFile(cfgPath, 'utf8')) as { kind: string };
      expect(cfg.kind).toBe(TRANSFORMER_PAYNE_KIND);
      await writeFile(cfgPath, JSON.stringify({ ...cfg, kind: LEGACY_TRANSFORMER_PAYNE_KIND }));
      const a = await TransformerPayne.load(dir);
      const b = await loadEmulator(dir);
      expect(b).toBeInstanceOf(TransformerPayne);
      const want = await model.predict(labels());
      expect(await a.predict(labels())).toEqual(want);
      expect(await b.predict(labels())).toEqual(want);
      for (const m of [model, a, b]) m.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loadEmulator reads a saved MlpEmulator by its kind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlp-kind-'));
    try {
      const model = tinyPayne();
      await model.fit(train(), { epochs: 1, seed: 2, batchSize: 8 });
      await model.save(dir);
      const again = await loadEmulator(dir);
      expect(again).toBeInstanceOf(MlpEmulator);
      expect(again.kind).toBe(MLP_EMULATOR_KIND);
      expect(await again.predict(labels())).toEqual(await model.predict(labels()));
      model.dispose();
      again.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
