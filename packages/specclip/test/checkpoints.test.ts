import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, ready, SchemaError, FormatError, ShapeError } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { Rng } from '@astro/core';
import {
  SpecClip,
  SpectrumTransformer,
  XpAutoencoder,
  patchLayout,
  EmbeddingRegressor,
  CrossDecoder,
  SpectrumLabelModel,
  encodeSpecclipModel,
  decodeSpecclipModel,
  saveSpecclipModel,
  loadSpecclipModel,
  readSpecFormer,
  fromSpecFormerStateDict,
} from '../src/index.js';
import ref from './fixtures/specformer.json';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function spectra(n: number, P: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * P }, (_, i) => 1 - 0.3 * Math.exp(-0.5 * (((i % P) - P / 2) / 4) ** 2) + 0.02 * rng.normal());
}

describe('safetensors save/load of @astro/specclip models', () => {
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
  });

  it('a whole SpecClip model round-trips through a directory with identical embeddings', async () => {
    const P = 60;
    const clip = new SpecClip(
      new SpectrumTransformer({ layout: patchLayout(P), dim: 16, depth: 1, heads: 2, seed: 1 }),
      new XpAutoencoder({ inputs: 12, hidden: [16], latent: 8, seed: 2 }),
      { embedDim: 8, logitScale: 'learnable', seed: 3 },
    );
    const dir = mkdtempSync(join(tmpdir(), 'specclip-'));
    try {
      await saveSpecclipModel(dir, clip);
      const again = await loadSpecclipModel(dir, 'SpecClip');
      const flux = spectra(4, P, 4);
      const x = tf.tensor2d(spectra(4, 12, 5), [4, 12]);
      const [a, b, c, d] = [clip.embedHigh(flux), again.embedHigh(flux), clip.embedLow(x), again.embedLow(x)];
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      expect(Array.from(await d.data())).toEqual(Array.from(await c.data()));
      expect(again.logitScale()).toBe(clip.logitScale());
      expect(again.namedParameters().map(([n]) => n)).toEqual(clip.namedParameters().map(([n]) => n));
      await expect(loadSpecclipModel(dir, 'XpAutoencoder')).rejects.toThrow(SchemaError);
      tf.dispose([a, b, c, d, x]);
      again.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      clip.dispose();
    }
  });

  it('heads and decoders keep their scalings; corrupt files give typed errors', async () => {
    const reg = new EmbeddingRegressor({ inputs: 8, outputs: 3, hidden: [16], seed: 6 });
    reg.labelMean.set([4800, 2.5, -0.2]);
    reg.labelScale.set([300, 0.6, 0.3]);
    const files = await encodeSpecclipModel(reg, { labelUnits: ['K', 'dex', 'dex'] });
    expect(JSON.parse(files.config).scalings.labels.unit).toEqual(['K', 'dex', 'dex']);
    const reg2 = decodeSpecclipModel(files, 'EmbeddingRegressor');
    const z = spectra(5, 8, 7);
    expect(Array.from((await reg2.predict(z)).mean)).toEqual(Array.from((await reg.predict(z)).mean));
    expect(() =>
      decodeSpecclipModel({ ...files, weights: files.weights.subarray(0, files.weights.length - 9) }, 'EmbeddingRegressor'),
    ).toThrow(FormatError);
    expect(() => decodeSpecclipModel(files, 'CrossDecoder')).toThrow(SchemaError);
    const bad = JSON.parse(files.config);
    bad.hyperParameters.hidden = [17];
    expect(() => decodeSpecclipModel({ ...files, config: JSON.stringify(bad) }, 'EmbeddingRegressor')).toThrow(ShapeError);

    const dec = new CrossDecoder({ embedDim: 8, pixels: 20, hidden: [16], seed: 8 });
    dec.meanFlux.fill(0.9);
    const dec2 = decodeSpecclipModel(await encodeSpecclipModel(dec), 'CrossDecoder');
    const zt = tf.tensor2d(z, [5, 8]);
    const [p, q] = [dec.forward(zt), dec2.forward(zt)];
    expect(Array.from(await q.data())).toEqual(Array.from(await p.data()));

    const lm = new SpectrumLabelModel(new SpectrumTransformer({ layout: patchLayout(40), dim: 16, depth: 1, heads: 2, seed: 9 }), {
      outputs: 2,
      hidden: [8],
      seed: 10,
    });
    lm.head.labelMean.set([1, 2]);
    const lm2 = decodeSpecclipModel(await encodeSpecclipModel(lm), 'SpectrumLabelModel');
    const f = spectra(3, 40, 11);
    expect(Array.from((await lm2.predict(f)).mean)).toEqual(Array.from((await lm.predict(f)).mean));
    tf.dispose([zt, p, q]);
    [reg, reg2, dec, dec2, lm, lm2].forEach((m) => m.dispose());
  });
});

await describeBackends('a PyTorch-written SpecFormer checkpoint', ({ tol }) => {
  for (const layout of ['flash', 'fused'] as const) {
    it(`loads (${layout} attention layout) and reproduces PyTorch's encoder outputs and reconstructions`, async () => {
      const model = await readSpecFormer(fixture(`specformer_${layout}.safetensors`), { pixels: ref.pixels, heads: ref.heads });
      expect(model.attentionScale).toBe(layout === 'flash' ? 'specformer' : 'standard');
      const [B, T1, W1] = [3, ref.tokens[0]!, ref.tokens[1]!];
      expect(model.layout.tokens).toBe(T1 - 1);
      const x = tf.tensor3d(ref.x, [B, T1, W1]);
      const patches = tf.slice(x, [0, 1, 1], [B, T1 - 1, W1 - 1]) as tf.Tensor3D;
      const logStd = tf.mul(tf.reshape(tf.slice(x, [0, 0, 0], [B, 1, 1]), [B, 1]), Math.LN10) as tf.Tensor2D;
      const emb = model.forward(patches, logStd);
      const rec = model.reconstruct(emb);
      const e = await emb.data();
      const want = ref[layout];
      want.embedding.forEach((v, i) => expect(Math.abs(e[i]! - v)).toBeLessThan(10 * (tol.atol + tol.rtol * Math.abs(v))));
      const r = await rec.data();
      for (let b = 0; b < B; b++)
        for (let t = 1; t < T1; t++)
          for (let w = 1; w < W1; w++) {
            const v = want.reconstructions[(b * T1 + t) * W1 + w]!;
            expect(Math.abs(r[(b * (T1 - 1) + t - 1) * (W1 - 1) + w - 1]! - v)).toBeLessThan(10 * (tol.atol + tol.rtol * Math.abs(v)));
          }
      tf.dispose([x, patches, logStd, emb, rec]);
      model.dispose();
    });
  }
  it('rejects state dicts with missing or unexpected tensors', () => {
    const w = tf.zeros([4, 21]);
    expect(() => fromSpecFormerStateDict({ 'data_embed.weight': w }, { pixels: 50, heads: 2 })).toThrow(FormatError);
    w.dispose();
  });
});
