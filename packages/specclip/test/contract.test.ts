import { FileError, Rng } from '@astro/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeModelContract } from '@astro/core/testing';
import { EmbeddingRegressor } from '../src/index.js';

/**
 * The house model contract (construct never trains, seeded fit through core's fit with progress and
 * abort, async predict of numbers, save → load gives the same predictions, kind scheme, typed errors
 * for a wrong kind or a truncated file, no leaked tensors) on every available backend.
 */
const rng = new Rng(11);
const n = 96;
const x = Float32Array.from({ length: n * 4 }, () => rng.normal());
const y = Float32Array.from({ length: n }, (_, i) => 2 * x[i * 4]! - x[i * 4 + 1]! + 0.1 * rng.normal());

await describeModelContract({
  name: 'EmbeddingRegressor',
  kind: '@astro/specclip/EmbeddingRegressor',
  create: () => new EmbeddingRegressor({ inputs: 4, outputs: 1, hidden: [8], seed: 3 }),
  load: (dir) => EmbeddingRegressor.load(dir),
  data: () => ({ x, y }),
  input: () => x.slice(0, 3 * 4),
  fitOptions: { epochs: 2, batchSize: 32, seed: 4 },
});

describe('specclip model folders', () => {
  it('load folders saved with the earlier specclip.* kinds, and name a missing folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specclip-kind-'));
    const reg = new EmbeddingRegressor({ inputs: 4, outputs: 1, hidden: [8], seed: 3 });
    try {
      await reg.save(join(dir, 'm'));
      const cfg = join(dir, 'm', 'config.json');
      expect(JSON.parse(readFileSync(cfg, 'utf8')).kind).toBe('@astro/specclip/EmbeddingRegressor');
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('@astro/specclip/EmbeddingRegressor', 'specclip.embedding-regressor'));
      const again = await EmbeddingRegressor.load(join(dir, 'm'));
      const q = x.slice(0, 8);
      expect(Array.from((await again.predict(q)).mean)).toEqual(Array.from((await reg.predict(q)).mean));
      again.dispose();
      await expect(EmbeddingRegressor.load(join(dir, 'missing'))).rejects.toThrow(FileError);
    } finally {
      reg.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
