// Initialisers against closed-form moments and bounds (torch.nn.init definitions), muP
// multipliers, and dropout statistics.
import { it, expect, beforeAll } from 'vitest';
import { tf, ready } from '../../src/index.js';
import { ValueError } from '../../src/errors/index.js';
import {
  Dropout,
  LayerNorm,
  Linear,
  MLP,
  Rng,
  calculateGain,
  fans,
  kaimingNormal,
  kaimingUniform,
  mupInitMultiplier,
  mupInit,
  torchDefaultWeight,
  mupLrMultipliers,
  normal,
  scaled,
  truncNormal,
  uniform,
  xavierNormal,
  xavierUniform,
  manualSeed,
  type Initializer,
} from '../../src/nn/index.js';

beforeAll(async () => {
  await ready({ backend: 'cpu', strict: true });
});

function moments(v: Float32Array) {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    s += (x - m) ** 2;
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return { mean: m, std: Math.sqrt(s / v.length), lo, hi };
}

/** Standard error bounds for n = 40000 draws: mean within 5σ/√n, std within 3%. */
function expectStats(init: Initializer, shape: number[], mean: number, std: number, bounds?: [number, number]) {
  const v = init(shape, new Rng(123));
  const s = moments(v);
  expect(Math.abs(s.mean - mean)).toBeLessThan((5 * std) / Math.sqrt(v.length));
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.03);
  if (bounds) {
    expect(s.lo).toBeGreaterThanOrEqual(bounds[0]);
    expect(s.hi).toBeLessThanOrEqual(bounds[1]);
    // the draws reach close to the bounds
    expect(s.lo).toBeLessThan(bounds[0] + 0.02 * (bounds[1] - bounds[0]));
    expect(s.hi).toBeGreaterThan(bounds[1] - 0.02 * (bounds[1] - bounds[0]));
  }
}

it('fans and gains follow torch.nn.init', () => {
  expect(fans([200, 100])).toEqual({ fanIn: 100, fanOut: 200 });
  expect(fans([8, 4, 3])).toEqual({ fanIn: 12, fanOut: 24 });
  expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
  expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
  expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
});

it('distributions have the closed-form moments and bounds', () => {
  const shape = [200, 200]; // fanIn = fanOut = 200
  expectStats(normal({ mean: 1, std: 0.3 }), shape, 1, 0.3);
  expectStats(uniform({ low: -2, high: 4 }), shape, 1, 6 / Math.sqrt(12), [-2, 4]);
  const xb = Math.sqrt(6 / 400);
  expectStats(xavierUniform(), shape, 0, xb / Math.sqrt(3), [-xb, xb]);
  expectStats(xavierNormal({ gain: 2 }), shape, 0, 2 * Math.sqrt(2 / 400));
  const kb = Math.sqrt(2) * Math.sqrt(3 / 200);
  expectStats(kaimingUniform({ nonlinearity: 'relu' }), shape, 0, kb / Math.sqrt(3), [-kb, kb]);
  expectStats(kaimingNormal({ nonlinearity: 'relu', mode: 'fan_out' }), [100, 200], 0, Math.sqrt(2 / 100));
  // Truncated normal on ±2σ: std = σ·√(1 − 2·2φ(2)/(Φ(2) − Φ(−2))) = 0.8796σ.
  const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
  const Z = 0.9544997361036416;
  const tstd = 0.02 * Math.sqrt(1 - (4 * phi2) / Z);
  expectStats(truncNormal({ std: 0.02 }), shape, 0, tstd, [-0.04, 0.04]);
  // Asymmetric absolute bounds as torch's a, b: N(0,1) on [0, 3] (half-normal-ish).
  const v = truncNormal({ a: 0, b: 3 })([40000], new Rng(5));
  expect(moments(v).lo).toBeGreaterThanOrEqual(0);
  expect(moments(v).hi).toBeLessThanOrEqual(3);
  expect(() => truncNormal({ std: 0 })).toThrow(ValueError);
});

it("Linear's default init is PyTorch's U(±1/√fanIn) for weight and bias", async () => {
  const lin = new Linear(256, 300, { seed: 3 });
  const b = 1 / 16;
  const w = moments((await lin.weight.data()) as Float32Array);
  expect(w.lo).toBeGreaterThanOrEqual(-b);
  expect(w.hi).toBeLessThanOrEqual(b);
  expect(Math.abs(w.std / (b / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
  const bias = moments((await lin.bias!.data()) as Float32Array);
  expect(bias.hi).toBeLessThanOrEqual(b);
  lin.dispose();
});

it('manualSeed makes layers built without a seed reproducible', async () => {
  manualSeed(99);
  const a = Array.from(await new Linear(3, 3).weight.data());
  manualSeed(99);
  const b = Array.from(await new Linear(3, 3).weight.data());
  expect(a).toEqual(b);
});

it('muP: roles, lr multipliers 1, 1/m, 1/m, 1 and output init scaled by baseWidth/width', () => {
  const mlp = new MLP({ sizes: [3, 256, 256, 10], seed: 1 });
  const lr = mupLrMultipliers(mlp, { width: 256, baseWidth: 64 });
  expect(lr).toEqual({
    'layers.0.weight': 1,
    'layers.0.bias': 1,
    'layers.1.weight': 0.25,
    'layers.1.bias': 1,
    'layers.2.weight': 0.25,
    'layers.2.bias': 1,
  });
  const ln = new LayerNorm(8);
  expect(mupLrMultipliers(ln, { width: 8, baseWidth: 2 })).toEqual({ weight: 1, bias: 1 });
  expect(() => mupLrMultipliers(ln, { width: 8, baseWidth: 0 })).toThrow(ValueError);
  // Readout init: std × 1/m.
  const m = 4;
  const base = normal({ std: 0.1 });
  const s = moments(scaled(base, mupInitMultiplier('output', m))([40000], new Rng(1)));
  expect(Math.abs(s.std / (0.1 / m) - 1)).toBeLessThan(0.02);
  expect(mupInitMultiplier('hidden', m)).toBe(1);
  // A readout Linear at width 256 tuned at 64: PyTorch's U(±1/√256) shrunk 4×.
  const readout = new Linear(256, 10, {
    role: 'output',
    weightInit: mupInit(torchDefaultWeight(), 'output', { width: 256, baseWidth: 64 }),
    seed: 2,
  });
  const r = moments(readout.weight.dataSync() as Float32Array);
  expect(r.hi).toBeLessThanOrEqual(1 / 16 / 4);
  expect(Math.abs(r.std / (1 / 16 / 4 / Math.sqrt(3)) - 1)).toBeLessThan(0.1);
  expect(mupInit(torchDefaultWeight(), 'hidden', { width: 256, baseWidth: 64 })([4, 4], new Rng(1))).toEqual(
    torchDefaultWeight()([4, 4], new Rng(1)),
  );
});

it('Dropout: keeps 1 − p of the elements scaled by 1/(1 − p), reproducibly; identity in eval', async () => {
  const p = 0.3;
  const d = new Dropout({ p, seed: 8 });
  const x = tf.ones([200, 100]);
  const y = (await d.forward(x).data()) as Float32Array;
  const kept = y.filter((v) => v !== 0);
  const n = y.length;
  // binomial: kept fraction within 5σ of 1 − p
  expect(Math.abs(kept.length / n - (1 - p))).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  expect(kept.every((v) => Math.abs(v - 1 / (1 - p)) < 1e-6)).toBe(true);
  const y2 = await d.forward(x).data();
  expect(Array.from(y2)).not.toEqual(Array.from(y)); // a fresh mask per call
  d.reseed(8);
  expect(Array.from(await d.forward(x).data())).toEqual(Array.from(y));
  d.eval();
  expect(d.forward(x)).toBe(x);
  x.dispose();
});
