import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, FormatError, ready, SchemaError, ShapeError, tf } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { readSafetensors } from '@astro/core/io';
import { ClapPhotoz, evaluatePdfs, KnnPhotoz, readPhotometry, SoftmaxPhotoz, type Photometry } from '../src/index.js';

function head(c: Photometry, n: number): Photometry {
  return { ...c, n, mag: c.mag.slice(0, 5 * n), magErr: c.magErr.slice(0, 5 * n), zSpec: c.zSpec!.slice(0, n), rows: c.rows.slice(0, n) };
}

describe('save/load of fitted models (real SDSS galaxies, wasm)', () => {
  let dir: string;
  let train: Photometry;
  let valid: Photometry;
  beforeAll(async () => {
    await ready({ backend: 'wasm', strict: true });
    dir = await mkdtemp(join(tmpdir(), 'clap-persist-'));
    train = head(await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt')), 1200);
    valid = head(await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt')), 200);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('CLAP: a loaded model predicts exactly the PDFs of the saved one; weights carry PyTorch-style names', async () => {
    const before = tf.memory().numTensors;
    const model = new ClapPhotoz({ realisations: 2, adaptive: { kGrid: [5, 10, 20], window: 20, bandwidth: 0.01 }, refit: { epochs: 40 } });
    await expect(model.save(join(dir, 'x'))).rejects.toThrow(/not fitted/);
    await model.fit(train, { epochs: 2, seed: 4 });
    await model.save(join(dir, 'clap'));
    const again = await ClapPhotoz.load(join(dir, 'clap'));
    expect(again.config).toEqual(model.config);
    expect(again.trainingSize).toBe(1200);
    for (const stage of ['raw', 'ensemble', 'refit'] as const) {
      const a = await model.predict(valid, stage);
      const b = await again.predict(valid, stage);
      expect(b.pdfs.m).toBe(200);
      expect(Array.from(b.pdfs.p)).toEqual(Array.from(a.pdfs.p));
    }
    const w = await readSafetensors(join(dir, 'clap', 'model.safetensors'));
    expect(w.metadata['format']).toBe('pt');
    expect(Object.keys(w.tensors)).toContain('realisations.1.head.weight');
    expect(w.tensors['refit.1.mlp.layers.2.weight']!.shape).toEqual([160, 64]);
    // the refit network reproduces the calibrated KNN PDFs it was trained on, without a neighbour search
    const knnM = evaluatePdfs((await model.predict(valid)).pdfs, valid.zSpec!);
    const refitM = evaluatePdfs((await model.predict(valid, 'refit')).pdfs, valid.zSpec!);
    console.log(
      JSON.stringify({
        knn: [knnM.point.median.sigmaMAD, knnM.pitKS, knnM.crps],
        refit: [refitM.point.median.sigmaMAD, refitM.pitKS, refitM.crps],
      }),
    );
    expect(refitM.point.median.sigmaMAD).toBeLessThan(knnM.point.median.sigmaMAD * 1.3);
    expect(refitM.crps).toBeLessThan(knnM.crps * 1.2);
    expect(refitM.pitKS).toBeLessThan(0.12);
    expect(w.tensors['realisations.0.head.weight']!.shape).toEqual([32, 8]); // torch Linear: [out, in]
    const t = await readSafetensors(join(dir, 'clap', 'training.safetensors'));
    expect(t.tensors['latent.1']!.shape).toEqual([1200, 8]);
    expect(t.tensors['pits.0']!.shape).toEqual([3, 1200]);
    expect(t.tensors['z_spec']!.dtype).toBe('F64');
    expect(Array.from(t.tensors['z_spec']!.data as Float64Array)).toEqual(Array.from(train.zSpec!));
    model.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('CLAP: a wrong kind, a truncated or missing file, or weights of another shape are typed errors', async () => {
    const src = join(dir, 'clap');
    const cfg = JSON.parse(await readFile(join(src, 'config.json'), 'utf8')) as Record<string, unknown> & {
      hyperParameters: { encoder: { latentDim: number } };
    };
    const bad = join(dir, 'bad');
    const copy = async (over: Record<string, string | Uint8Array>): Promise<void> => {
      await rm(bad, { recursive: true, force: true });
      const { mkdir } = await import('node:fs/promises');
      await mkdir(bad);
      for (const f of ['config.json', 'model.safetensors', 'training.safetensors'])
        await writeFile(join(bad, f), over[f] ?? (await readFile(join(src, f))));
    };
    await copy({ 'config.json': JSON.stringify({ ...cfg, kind: 'TransformerPayne' }) });
    await expect(ClapPhotoz.load(bad)).rejects.toThrow(SchemaError);
    await copy({ 'config.json': JSON.stringify({ ...cfg, schemaVersion: 99 }) });
    await expect(ClapPhotoz.load(bad)).rejects.toThrow(SchemaError);
    cfg.hyperParameters.encoder.latentDim = 16;
    await copy({ 'config.json': JSON.stringify(cfg) });
    await expect(ClapPhotoz.load(bad)).rejects.toThrow(ShapeError);
    const tr = await readFile(join(src, 'training.safetensors'));
    await copy({ 'training.safetensors': tr.subarray(0, tr.length - 100) });
    await expect(ClapPhotoz.load(bad)).rejects.toThrow(FormatError);
    await rm(join(bad, 'training.safetensors'));
    await expect(ClapPhotoz.load(bad)).rejects.toThrow(/training\.safetensors/);
    await expect(ClapPhotoz.load(join(dir, 'nowhere'))).rejects.toThrow(FileError);
  });

  it('baselines: KNN and softmax-over-bins reload to identical PDFs', async () => {
    const knn = new KnnPhotoz({ k: 15 });
    knn.fit(train);
    await knn.save(join(dir, 'knn'));
    const knn2 = await KnnPhotoz.load(join(dir, 'knn'));
    expect(knn2.config.k).toBe(15);
    expect(Array.from((await knn2.predict(valid)).pdfs.p)).toEqual(Array.from((await knn.predict(valid)).pdfs.p));
    const soft = new SoftmaxPhotoz();
    await soft.fit(train, { epochs: 2, seed: 1 });
    await soft.save(join(dir, 'soft'));
    const soft2 = await SoftmaxPhotoz.load(join(dir, 'soft'));
    expect(Array.from((await soft2.predict(valid)).pdfs.p)).toEqual(Array.from((await soft.predict(valid)).pdfs.p));
    await expect(KnnPhotoz.load(join(dir, 'soft'))).rejects.toThrow(SchemaError);
    soft.dispose();
    soft2.dispose();
  });
});
