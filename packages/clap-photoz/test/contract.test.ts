// The house model contract (core's describeModelContract) for the package's trainable models, on every
// available backend: construct never trains, seeded fit with FitProgress, async predict of numbers,
// save(dir) → load(dir), wrong kind → SchemaError, truncated weights → FormatError, abort → AbortError,
// no leaked tensors. Small real SDSS subsets keep it quick. On cpu and wasm: under SwiftShader (CI's WebGPU
// without a GPU) one contract run of ClapPhotoz takes > 6 minutes (measured, every check passed but the first
// timed out); the networks' WebGPU numerics are checked against PyTorch in networks.test.ts.
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import { describeModelContract } from '@astro/core/testing';
import { ClapPhotoz, DEFAULT_ENCODER, parsePhotometry, SoftmaxPhotoz, type Photometry } from '../src/index.js';

const lines = (f: string, n: number): string =>
  readFileSync(dataPath('photoz', 'sdss-ugriz', f), 'utf8')
    .trim()
    .split('\n')
    .slice(0, n)
    .join('\n');
const train = (): Photometry => parsePhotometry(lines('train.txt', 240));
const valid = (): Photometry => parsePhotometry(lines('valid.txt', 40));

await describeModelContract({
  name: 'ClapPhotoz',
  kind: '@astro/clap-photoz/ClapPhotoz',
  create: () =>
    new ClapPhotoz({
      realisations: 1,
      encoder: { ...DEFAULT_ENCODER, hidden: 16 },
      adaptive: { kGrid: [5, 10], window: 10, bandwidth: 0.01 },
      refit: { epochs: 2, hidden: 16 },
    }),
  load: (dir) => ClapPhotoz.load(dir),
  data: train,
  input: valid,
  needsFit: true,
  fitOptions: { epochs: 2, seed: 3, batchSize: 64 },
  timeoutMs: 180_000,
  backends: ['cpu', 'wasm'],
});

await describeModelContract({
  name: 'SoftmaxPhotoz',
  kind: '@astro/clap-photoz/SoftmaxPhotoz',
  create: () => new SoftmaxPhotoz({ encoder: { hidden: 16 } }),
  load: (dir) => SoftmaxPhotoz.load(dir),
  data: train,
  input: valid,
  needsFit: true,
  fitOptions: { epochs: 2, seed: 3, batchSize: 64 },
  timeoutMs: 120_000,
  backends: ['cpu', 'wasm'],
});
