import { expect, it } from 'vitest';
import { ShapeError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { Conv2d, DEFAULT_IMAGE_ENCODER, ImageEncoder } from '../src/index.js';
import { avgPool2x2 } from '../src/images/encoder.js';
import { gelu } from '@astro/core/nn';
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

  it('the faster layout (reshape-mean pooling, no ∂L/∂images) gives the old layer’s outputs and gradients to 1e-5', async () => {
    const cfg = { ...DEFAULT_IMAGE_ENCODER, channels: [4, 8, 8] as [number, number, number], hidden: 16 };
    const enc = new ImageEncoder(cfg, 3);
    // the old layer: tf.avgPool and a conv1 that also computes ∂L/∂images, on the same weights
    const conv1Old = new Conv2d(cfg.bands, 4, 3, 0);
    conv1Old.loadStateDict({ weight: enc.conv1.weight, bias: enc.conv1.bias });
    const oldForward = (images: tf.Tensor, features: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        let h = tf.avgPool(gelu(conv1Old.forward(images)) as tf.Tensor4D, 2, 2, 'valid');
        h = tf.avgPool(gelu(enc.conv2.forward(h)) as tf.Tensor4D, 2, 2, 'valid');
        const f = tf.concat([tf.mean(gelu(enc.conv3.forward(h)), [1, 2]), features], 1);
        const z = enc.body.forward(f);
        return tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-8));
      });
    const x = tf.randomNormal([4, 16, 16, cfg.bands], 0, 1, 'float32', 11);
    const f = tf.randomNormal([4, 5], 0, 1, 'float32', 12);
    const r = tf.randomNormal([4, cfg.latentDim], 0, 1, 'float32', 13);
    const pooled = avgPool2x2(x);
    expect(pooled.shape).toEqual([4, 8, 8, cfg.bands]);
    const poolRef = tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid');
    const maxDiff = async (a: tf.Tensor, b: tf.Tensor): Promise<number> => (await tf.max(tf.abs(tf.sub(a, b))).data())[0]!;
    expect(await maxDiff(pooled, poolRef)).toBeLessThan(1e-5);
    const vars = [enc.conv1.weight, enc.conv1.bias, enc.conv2.weight, enc.conv3.weight, ...enc.body.parameters()];
    const newer = tf.variableGrads(() => tf.sum(tf.mul(enc.forward(x, f), r)), vars);
    // the old layer's conv1 parameters are conv1Old's; map its grads onto enc's names
    const older = tf.variableGrads(() => tf.sum(tf.mul(oldForward(x, f), r)), [conv1Old.weight, conv1Old.bias, ...vars.slice(2)]);
    expect(await maxDiff(enc.forward(x, f), oldForward(x, f))).toBeLessThan(1e-5);
    expect(Math.abs((await newer.value.data())[0]! - (await older.value.data())[0]!)).toBeLessThan(1e-5);
    const pairs: [tf.Variable, tf.Variable][] = [
      [enc.conv1.weight, conv1Old.weight],
      [enc.conv1.bias, conv1Old.bias],
      ...vars.slice(2).map((v) => [v, v] as [tf.Variable, tf.Variable]),
    ];
    for (const [a, b] of pairs) {
      const ga = newer.grads[a.name]!;
      const gb = older.grads[b.name]!;
      const scale = Math.max(1, (await tf.max(tf.abs(gb)).data())[0]!);
      expect(await maxDiff(ga, gb), a.name).toBeLessThan(1e-5 * scale);
    }
    // conv1 treats the images as a constant: there is no gradient with respect to them
    expect(() => tf.grad((xx: tf.Tensor) => tf.sum(enc.conv1.forward(xx)))(x)).toThrow();
    tf.dispose([x, f, r, pooled, poolRef, newer.value, older.value, ...Object.values(newer.grads), ...Object.values(older.grads)]);
    enc.dispose();
    conv1Old.dispose();
  });
});
