// The house model contract (core's describeModelContract) for the package's text encoder.
import { readFileSync } from 'node:fs';
import { describeModelContract } from '@astro/core/testing';
import { PathfinderTextEncoder, SubwordTokenizer, parseJsonl, type LiteratureRecord } from '../src/index.js';
import { adsPath } from './data.js';

const path = adsPath();
// 24 real records (or, without the shared data folder, none: the contract then has nothing real to train on)
const records: LiteratureRecord[] = path ? parseJsonl(readFileSync(path, 'utf8')).records.slice(0, 24) : [];
if (records.length) {
  const tokenizer = SubwordTokenizer.train(
    records.map((r) => r.abstract),
    { vocabSize: 300 },
  );
  await describeModelContract({
    name: 'PathfinderTextEncoder',
    kind: '@astro/pathfinder/TextEncoder',
    create: () => new PathfinderTextEncoder(tokenizer, { width: 8, dim: 8, seed: 1 }),
    load: (dir) => PathfinderTextEncoder.load(dir),
    data: () => records,
    input: () => records.slice(0, 3).map((r) => r.title),
    fitOptions: { epochs: 2, seed: 1, batchSize: 8 },
    // webgpu here is SwiftShader: save/load and abort pass on it, but each seeded fit pair takes over a
    // minute (measured 60 s timeouts), too slow for the package suite; the encoder's ops are plain tfjs ops
    backends: ['cpu', 'wasm'],
  });
}
