import { expect, it } from 'vitest';
import { ShapeError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { Conv2d, DEFAULT_IMAGE_ENCODER, ImageEncoder } from '../src/index.js';
import fx from './fixtures/images.json' with { type: 'json' };

type Dict = Record<string, { shape: number[]; data: number[] }>;
const c = fx.cnn.config;

await describeBackends('CNN image encoder vs PyTorch', ({ tol }) => {
  it('latent and head logits match torch with the same state dict (tools/fixtures/clap_photoz_images.py)', async () => {
    const enc = new ImageEncoder(
      {
        ...DEFAULT_IMAGE_ENCODER,
        channels: c.channels as [number, number, number],
        hidden: c.hidden,
        latentDim: c.latentDim,
        nBins: c.nBins,
      },
      0,
    );
    const sd = Object.fromEntries(Object.entries(fx.cnn.state as Dict).map(([k, v]) => [k, tf.tensor(v.data, v.shape, 'float32')]));
    enc.loadStateDict(sd);
    const x = tf.tensor4d(fx.cnn.x, [4, c.size, c.size, c.bands]);
    const f = tf.tensor2d(fx.cnn.features, [4, c.nFeatures]);
    const z = enc.forward(x, f);
    const logits = enc.head.forward(z);
    const check = (got: ArrayLike<number>, want: number[]): void =>
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(4 * (tol.atol + tol.rtol * Math.abs(v))));
    check(await z.data(), fx.cnn.latent);
    check(await logits.data(), fx.cnn.logits);
    expect(() => enc.forward(x)).toThrow(ShapeError);
    expect(() => enc.forward(tf.zeros([1, 6, 6, 5]), tf.zeros([1, 5]))).toThrow(ShapeError);
    tf.dispose([x, f, z, logits, ...Object.values(sd)]);
    enc.dispose();
  });

  it("Conv2d's written-out gradients equal the exact differences of a loss linear in W and x", async () => {
    const conv = new Conv2d(2, 3, 3, 5);
    const x = tf.randomNormal([2, 5, 4, 2], 0, 1, 'float32', 9);
    const r = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 10);
    const loss = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(conv.forward(xx), r));
    const { grads } = tf.variableGrads(() => loss(x), [conv.weight]);
    const gx = tf.grad((xx: tf.Tensor) => loss(xx))(x);
    const gw = await grads[conv.weight.name]!.data();
    const w0 = await conv.weight.data();
    const base = (await loss(x).data())[0]!;
    for (const idx of [0, 7, 20, 53]) {
      const w1 = Float32Array.from(w0);
      w1[idx]! += 1;
      conv.weight.assign(tf.tensor(w1, conv.weight.shape));
      const d = (await loss(x).data())[0]! - base;
      expect(Math.abs(d - gw[idx]!)).toBeLessThan(20 * (tol.atol + tol.rtol * Math.abs(d)));
    }
    conv.weight.assign(tf.tensor(w0, conv.weight.shape));
    const xv = await x.data();
    const gxv = await gx.data();
    for (const idx of [0, 11, 39]) {
      const x1 = Float32Array.from(xv);
      x1[idx]! += 1;
      const d = (await loss(tf.tensor(x1, x.shape)).data())[0]! - base;
      expect(Math.abs(d - gxv[idx]!)).toBeLessThan(20 * (tol.atol + tol.rtol * Math.abs(d)));
    }
    conv.dispose();
  });
});
