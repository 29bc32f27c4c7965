import { FileError, Rng } from '@astro/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeModelContract, predictionNumbers } from '@astro/core/testing';
import {
  CrossDecoder,
  EmbeddingRegressor,
  SpecClip,
  SpectrumLabelModel,
  SpectrumTransformer,
  XpAutoencoder,
  patchLayout,
  decodeSpecclipModel,
  encodeSpecclipModel,
  type SpecclipModel,
} from '../src/index.js';

/**
 * The house model contract (construct never trains, seeded fit through core's fit with progress and
 * abort, async predict of numbers, save → load gives the same predictions, kind scheme, typed errors
 * for a wrong kind or a truncated file, no leaked tensors) on every available backend, for every
 * savable specclip model, each at a tiny size.
 */
const rng = new Rng(11);
const normals = (length: number, scale = 1): Float32Array => Float32Array.from({ length }, () => scale * rng.normal());
/** Spectra [n, pixels]: a Gaussian absorption line on a flat continuum with noise (every spectrum has variance). */
const spectra = (n: number, pixels: number): Float32Array =>
  Float32Array.from(
    { length: n * pixels },
    (_, i) => 1 - 0.3 * Math.exp(-0.5 * (((i % pixels) - pixels / 2) / 3) ** 2) + 0.02 * rng.normal(),
  );

const n = 96;
const x = normals(n * 4);
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

// Spectra of 32 pixels in 7 windows of 8 pixels every 4: the smallest transformer worth the name.
const P = 32;
const layout = patchLayout(P, 8, 4);
/**
 * WebGPU here is SwiftShader (a CPU Vulkan), where each op costs milliseconds: the four contract tests
 * of one model took, with the machine's load average near 6 on 2 cores (2026-12-04): EmbeddingRegressor
 * 24 s, CrossDecoder 34 s, SpectrumTransformer 64 s, XpAutoencoder 71 s, SpectrumLabelModel 87 s,
 * SpecClip 209 s. Models over 60 s run on cpu and wasm only; EmbeddingRegressor and CrossDecoder keep
 * the webgpu run (same kernels: MLPs, AdamW, the fit loop).
 */
const fastBackends = ['cpu', 'wasm'] as const;
const tinyTransformer = (seed: number): SpectrumTransformer => new SpectrumTransformer({ layout, dim: 8, depth: 1, heads: 2, seed });
const flux = spectra(16, P);

await describeModelContract({
  name: 'SpectrumTransformer',
  kind: '@astro/specclip/SpectrumTransformer',
  create: () => tinyTransformer(3),
  load: (dir) => SpectrumTransformer.load(dir),
  data: () => ({ flux }),
  input: () => flux.slice(0, 3 * P),
  fitOptions: { epochs: 2, batchSize: 8, seed: 4 },
  backends: fastBackends, // webgpu (SwiftShader) too slow: see above
});

const F = 6;
const xp = normals(32 * F);
await describeModelContract({
  name: 'XpAutoencoder',
  kind: '@astro/specclip/XpAutoencoder',
  create: () => new XpAutoencoder({ inputs: F, hidden: [8], latent: 3, seed: 3 }),
  load: (dir) => XpAutoencoder.load(dir),
  data: () => ({ x: xp }),
  input: () => xp.slice(0, 3 * F),
  fitOptions: { epochs: 2, batchSize: 16, seed: 4 },
  backends: fastBackends, // webgpu (SwiftShader) too slow: see above
});

// The fullest variant: learnable logit scale, private dimensions and all three decoders.
const tinyClip = (): SpecClip =>
  new SpecClip(tinyTransformer(3), new XpAutoencoder({ inputs: F, hidden: [8], latent: 3, seed: 4 }), {
    embedDim: 4,
    privateDim: 2,
    logitScale: 'learnable',
    decoders: { hidden: [8], cross: true },
    seed: 5,
  });
const low = normals(16 * F);
await describeModelContract({
  name: 'SpecClip',
  kind: '@astro/specclip/SpecClip',
  create: tinyClip,
  load: (dir) => SpecClip.load(dir),
  data: () => ({ high: flux, low }),
  input: () => ({ high: flux.slice(0, 3 * P), low: low.slice(0, 3 * F) }),
  fitOptions: { epochs: 2, batchSize: 8, seed: 4 },
  backends: fastBackends, // webgpu (SwiftShader) too slow: see above
});

const z = normals(32 * 4);
const target = Float32Array.from({ length: 32 * 12 }, (_, i) => (i % 17 === 5 ? NaN : Math.sin(z[Math.floor(i / 12) * 4]! + (i % 12))));
await describeModelContract({
  name: 'CrossDecoder',
  kind: '@astro/specclip/CrossDecoder',
  create: () => new CrossDecoder({ embedDim: 4, pixels: 12, hidden: [8], seed: 3 }),
  load: (dir) => CrossDecoder.load(dir),
  data: () => ({ z, flux: target }),
  input: () => z.slice(0, 3 * 4),
  fitOptions: { epochs: 2, batchSize: 16, seed: 4 },
});

const labels = normals(16 * 2);
await describeModelContract({
  name: 'SpectrumLabelModel',
  kind: '@astro/specclip/SpectrumLabelModel',
  create: () => new SpectrumLabelModel(tinyTransformer(3), { outputs: 2, hidden: [8], seed: 4 }),
  load: (dir) => SpectrumLabelModel.load(dir),
  data: () => ({ flux, labels }),
  input: () => flux.slice(0, 3 * P),
  fitOptions: { epochs: 2, batchSize: 8, seed: 4 },
  backends: fastBackends, // webgpu (SwiftShader) too slow: see above
});

/** Each model class with its legacy kind, a fresh tiny instance, its loader and a predict call. */
const classes: {
  legacy: string;
  kind: string;
  make: () => SpecclipModel;
  load: (dir: string) => Promise<SpecclipModel>;
  predict: (m: SpecclipModel) => Promise<unknown>;
}[] = [
  {
    legacy: 'specclip.embedding-regressor',
    kind: '@astro/specclip/EmbeddingRegressor',
    make: () => new EmbeddingRegressor({ inputs: 4, outputs: 1, hidden: [8], seed: 3 }),
    load: (d) => EmbeddingRegressor.load(d),
    predict: (m) => (m as EmbeddingRegressor).predict(x.slice(0, 8)),
  },
  {
    legacy: 'specclip.spectrum-transformer',
    kind: '@astro/specclip/SpectrumTransformer',
    make: () => tinyTransformer(3),
    load: (d) => SpectrumTransformer.load(d),
    predict: (m) => (m as SpectrumTransformer).predict(flux.slice(0, 2 * P)),
  },
  {
    legacy: 'specclip.xp-autoencoder',
    kind: '@astro/specclip/XpAutoencoder',
    make: () => new XpAutoencoder({ inputs: F, hidden: [8], latent: 3, seed: 3 }),
    load: (d) => XpAutoencoder.load(d),
    predict: (m) => (m as XpAutoencoder).predict(xp.slice(0, 2 * F)),
  },
  {
    legacy: 'specclip.clip',
    kind: '@astro/specclip/SpecClip',
    make: tinyClip,
    load: (d) => SpecClip.load(d),
    predict: (m) => (m as SpecClip).predict({ high: flux.slice(0, 2 * P), low: low.slice(0, 2 * F) }),
  },
  {
    legacy: 'specclip.cross-decoder',
    kind: '@astro/specclip/CrossDecoder',
    make: () => new CrossDecoder({ embedDim: 4, pixels: 12, hidden: [8], seed: 3 }),
    load: (d) => CrossDecoder.load(d),
    predict: (m) => (m as CrossDecoder).predict(z.slice(0, 8)),
  },
  {
    legacy: 'specclip.spectrum-label-model',
    kind: '@astro/specclip/SpectrumLabelModel',
    make: () => new SpectrumLabelModel(tinyTransformer(3), { outputs: 2, hidden: [8], seed: 4 }),
    load: (d) => SpectrumLabelModel.load(d),
    predict: (m) => (m as SpectrumLabelModel).predict(flux.slice(0, 2 * P)),
  },
];

describe('specclip model folders', () => {
  it.each(classes)('$kind folders saved with the earlier kind $legacy still load', async ({ legacy, kind, make, load, predict }) => {
    const dir = mkdtempSync(join(tmpdir(), 'specclip-kind-'));
    const m = make();
    try {
      await m.save(join(dir, 'm'));
      const cfg = join(dir, 'm', 'config.json');
      expect(JSON.parse(readFileSync(cfg, 'utf8')).kind).toBe(kind);
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(kind, legacy));
      const again = await load(join(dir, 'm'));
      expect(predictionNumbers(await predict(again))).toEqual(predictionNumbers(await predict(m)));
      again.dispose();
      await expect(load(join(dir, 'missing'))).rejects.toThrow(FileError);
    } finally {
      m.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SpecClip.logitScale() follows fit steps and loads without a readback', async () => {
    const clip = tinyClip();
    const start = clip.logitScale();
    expect(start).toBe(Math.exp(Math.fround(Math.log(15.5))));
    const seen: number[] = [];
    await clip.fit(
      { high: flux, low },
      { epochs: 2, batchSize: 8, lr: 0.05, seed: 4, onProgress: () => void seen.push(clip.logitScale()) },
    );
    const trained = clip.logitScale();
    expect(trained).not.toBe(start);
    expect(await clip.logitScaleAsync()).toBe(trained);
    expect(seen.at(-1)).toBe(trained);
    expect(new Set(seen).size).toBeGreaterThan(1);
    const again = decodeSpecclipModel(await encodeSpecclipModel(clip), 'SpecClip');
    expect(again.logitScale()).toBe(trained);
    expect(await again.logitScaleAsync()).toBe(trained);
    const dir = mkdtempSync(join(tmpdir(), 'specclip-scale-'));
    try {
      await clip.save(join(dir, 'm'));
      const loaded = await SpecClip.load(join(dir, 'm'));
      expect(loaded.logitScale()).toBe(trained);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      again.dispose();
      clip.dispose();
    }
  });
});
