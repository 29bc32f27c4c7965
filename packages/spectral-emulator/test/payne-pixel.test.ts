import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf, ready, ShapeError, ValueError } from '@astro/core';
import { describeBackends, compareClose } from '@astro/core/testing';
import { LabelDomainError, PaynePixelModel } from '../src/index.js';
import { fixture, spectra } from './data.js';

interface PixelFixture {
  labels: number[][];
  pixel_stride: number;
  flux: number[][];
}
const fx = fixture<PixelFixture>('payne_pixel.json');

await describeBackends('PaynePixelModel vs numpy float64', ({ backend, tol }) => {
  // tensors live on the backend that made them: load the weights inside each backend's suite
  let model: PaynePixelModel;
  beforeAll(async () => {
    model = await PaynePixelModel.load(spectra('payne-apogee-nn'));
  });
  afterAll(() => model.dispose());

  it('reproduces the per-pixel formula at the domain centre, corners and random labels', async () => {
    const before = tf.memory().numTensors;
    // webgpu runs on SwiftShader here: two label rows keep it quick
    const rows = backend === 'webgpu' ? [0, 3] : fx.labels.map((_, i) => i);
    const out = model.predictTensor(rows.map((r) => fx.labels[r]!));
    const flux = (await out.array()) as number[][];
    out.dispose();
    rows.forEach((r, i) => {
      const got = flux[i]!.filter((_, p) => p % fx.pixel_stride === 0);
      const rep = compareClose(got, fx.flux[r]!, { atol: tol.atol, rtol: 0 });
      expect(rep.ok, `row ${r}: ${rep.message}`).toBe(true);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('PaynePixelModel loading and input checks', () => {
  let model: PaynePixelModel;
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
    model = await PaynePixelModel.load(spectra('payne-apogee-nn'));
  });
  afterAll(() => model.dispose());

  it('reads the published APOGEE network: 7214 pixels, 5 labels, 15168–16937 Å', () => {
    expect(model.numPixels).toBe(7214);
    expect(model.hidden).toBe(5);
    expect(model.domain.names).toEqual(['teff', 'logg', 'feh', 'alpha_fe', 'vmacro']);
    expect(model.wavelengthAngstrom![0]).toBeCloseTo(15168.13, 1);
    expect(model.wavelengthAngstrom![7213]).toBeCloseTo(16937, 0);
    expect(model.numParameters()).toBe(7214 * (25 + 5 + 5 + 1));
    expect(model.badPixelMask!.reduce((a, b) => a + b, 0)).toBe(875);
  });

  it('loads a window of pixels that evaluates exactly as those pixels of the full model', async () => {
    const part = await PaynePixelModel.load(spectra('payne-apogee-nn'), { pixelRange: [152, 452] });
    expect(part.numPixels).toBe(300);
    expect(part.wavelengthAngstrom![0]).toBe(model.wavelengthAngstrom![152]);
    expect(part.badPixelMask!.length).toBe(300);
    const x = [[4800, 4.5, -0.2, 0.1, 10]];
    const [a, b] = [part.predictTensor(x), model.predictTensor(x)];
    const [pa, pb] = [await a.data(), (await b.data()).subarray(152, 452)];
    tf.dispose([a, b]);
    expect(Array.from(pa)).toEqual(Array.from(pb));
    part.dispose();
    await expect(PaynePixelModel.load(spectra('payne-apogee-nn'), { pixelRange: [7000, 7300] })).rejects.toThrow(ShapeError);
  });

  it('refuses a wrong number of labels, NaN, and labels outside the trained box', () => {
    expect(() => model.predictTensor([[5000, 4.5, 0, 0]])).toThrow(ShapeError);
    expect(() => model.predictTensor([[5000, NaN, 0, 0, 5]])).toThrow(ValueError);
    const hot = [[8000, 4.5, 0, 0, 5]];
    expect(() => model.predictTensor(hot)).toThrow(LabelDomainError);
    expect(() => model.predictTensor(hot)).toThrow(/teff.*8000.*outside the trained domain/);
  });

  it('checks a tensor of labels through predictAsync (no synchronous read-back), as an array', async () => {
    const rows = [
      [4800, 4.5, -0.2, 0.1, 10],
      [5200, 4.3, 0, 0, 8],
    ];
    const t = tf.tensor2d(rows);
    expect(() => model.predictTensor(t)).toThrow(/predictAsync/); // the synchronous path never reads a tensor back
    const [a, b] = [await model.predictAsync(t), model.predictTensor(rows)];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b, t]);
    const hot = tf.tensor2d([[8000, 4.5, 0, 0, 5]]);
    const nan = tf.tensor2d([[5000, NaN, 0, 0, 5]]);
    const narrow = tf.tensor2d([[5000, 4.5, 0, 0]]);
    await expect(model.predictAsync(hot)).rejects.toThrow(LabelDomainError);
    await expect(model.predictAsync(nan)).rejects.toThrow(ValueError);
    await expect(model.predictAsync(narrow)).rejects.toThrow(ShapeError);
    tf.dispose([hot, nan, narrow]);
  });

  it("warns instead with outOfDomain: 'warn' and still predicts", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const out = model.predictTensor([[8000, 4.5, 0, 0, 5]], { outOfDomain: 'warn' });
    expect(out.shape).toEqual([1, 7214]);
    out.dispose();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/extrapolating/);
    // 'ignore' predicts silently
    const quiet = model.predictTensor([[8000, 4.5, 0, 0, 5]], { outOfDomain: 'ignore' });
    quiet.dispose();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
