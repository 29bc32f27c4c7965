import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Rng } from './random.js';

/**
 * Parameter initialisers, numerically the same distributions as `torch.nn.init`.
 * An initialiser fills a flat Float32Array for a parameter of a given shape; fans follow
 * PyTorch: for a weight [out, in, ...k], fanIn = in·∏k and fanOut = out·∏k.
 */
export type Initializer = (shape: readonly number[], rng: Rng) => Float32Array;

/** Nonlinearities known to {@link calculateGain}, as in `torch.nn.init.calculate_gain`. */
export type GainNonlinearity = 'linear' | 'conv1d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** fanIn and fanOut of a parameter shape, as `torch.nn.init._calculate_fan_in_and_fan_out`. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    const n = shape[0] ?? 1;
    return { fanIn: n, fanOut: n };
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** Recommended gain for a nonlinearity (`torch.nn.init.calculate_gain`); `param` is the leaky-ReLU slope (default 0.01). */
export function calculateGain(nonlinearity: GainNonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const a = param ?? 0.01;
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
  }
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** All zeros. */
export const zeros = (): Initializer => (shape) => new Float32Array(size(shape));

/** All ones. */
export const ones = (): Initializer => constant(1);

/** Every element equal to `value`. */
export const constant =
  (value: number): Initializer =>
  (shape) =>
    new Float32Array(size(shape)).fill(value);

/** Normal N(mean, std²) (`torch.nn.init.normal_`; defaults 0, 1). */
export function normal(opts: { mean?: number; std?: number } = {}): Initializer {
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  if (!(std >= 0)) throw new ValueError(`normal init: std must be ≥ 0, got ${std}`);
  return (shape, rng) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.normal();
    return out;
  };
}

/** Uniform U(low, high) (`torch.nn.init.uniform_`; defaults 0, 1). */
export function uniform(opts: { low?: number; high?: number } = {}): Initializer {
  const low = opts.low ?? 0;
  const high = opts.high ?? 1;
  if (!(high >= low)) throw new ValueError(`uniform init: need low ≤ high, got [${low}, ${high}]`);
  return (shape, rng) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * rng.uniform();
    return out;
  };
}

/** Glorot/Xavier uniform: U(−b, b), b = gain·√(6/(fanIn+fanOut)) (Glorot & Bengio 2010). */
export function xavierUniform(opts: { gain?: number } = {}): Initializer {
  return (shape, rng) => {
    const { fanIn, fanOut } = fans(shape);
    const b = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
    return uniform({ low: -b, high: b })(shape, rng);
  };
}

/** Glorot/Xavier normal: N(0, σ²), σ = gain·√(2/(fanIn+fanOut)). */
export function xavierNormal(opts: { gain?: number } = {}): Initializer {
  return (shape, rng) => {
    const { fanIn, fanOut } = fans(shape);
    return normal({ std: (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)) })(shape, rng);
  };
}

/** Options of the He/Kaiming initialisers (`torch.nn.init.kaiming_*_`). */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of activations (`'fan_in'`, default) or of gradients (`'fan_out'`). */
  mode?: 'fan_in' | 'fan_out';
  /** Default `'leaky_relu'`, as in PyTorch. */
  nonlinearity?: GainNonlinearity;
}

function kaimingStd(shape: readonly number[], opts: KaimingOptions): number {
  const f = fans(shape);
  const fan = (opts.mode ?? 'fan_in') === 'fan_in' ? f.fanIn : f.fanOut;
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan);
}

/** He/Kaiming uniform: U(−b, b), b = gain·√(3/fan) (He et al. 2015). */
export function kaimingUniform(opts: KaimingOptions = {}): Initializer {
  return (shape, rng) => {
    const b = Math.sqrt(3) * kaimingStd(shape, opts);
    return uniform({ low: -b, high: b })(shape, rng);
  };
}

/** He/Kaiming normal: N(0, σ²), σ = gain/√fan. */
export function kaimingNormal(opts: KaimingOptions = {}): Initializer {
  return (shape, rng) => normal({ std: kaimingStd(shape, opts) })(shape, rng);
}

/**
 * PyTorch's default `nn.Linear`/`nn.Conv1d` weight init: kaiming_uniform with a = √5,
 * i.e. U(−1/√fanIn, 1/√fanIn).
 */
export const torchDefaultWeight = (): Initializer => kaimingUniform({ a: Math.sqrt(5) });

/** PyTorch's default bias init for a layer with fan-in `fanIn`: U(−1/√fanIn, 1/√fanIn). */
export function torchDefaultBias(fanIn: number): Initializer {
  const b = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform({ low: -b, high: b });
}

/**
 * Truncated normal: N(mean, std²) conditioned on [a, b], by rejection. Bounds default to
 * mean ± 2·std. Note `torch.nn.init.trunc_normal_` takes *absolute* bounds with defaults
 * a = −2, b = 2; pass them explicitly to reproduce it.
 */
export function truncNormal(opts: { mean?: number; std?: number; a?: number; b?: number } = {}): Initializer {
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  const a = opts.a ?? mean - 2 * std;
  const b = opts.b ?? mean + 2 * std;
  if (!(std > 0)) throw new ValueError(`truncNormal init: std must be > 0, got ${std}`);
  if (!(b > a)) throw new ValueError(`truncNormal init: need a < b, got [${a}, ${b}]`);
  const lo = (a - mean) / std;
  const hi = (b - mean) / std;
  if (hi < -6 || lo > 6) throw new ValueError(`truncNormal init: [${a}, ${b}] has negligible mass under N(${mean}, ${std}²)`);
  return (shape, rng) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) {
      let z = rng.normal();
      while (z < lo || z > hi) z = rng.normal();
      out[i] = mean + std * z;
    }
    return out;
  };
}

/** Multiply an initialiser's output by `factor` (e.g. a muP width scaling). */
export function scaled(init: Initializer, factor: number): Initializer {
  return (shape, rng) => {
    const out = init(shape, rng);
    for (let i = 0; i < out.length; i++) out[i]! *= factor;
    return out;
  };
}

/** Materialise `init` as a float32 tensor of `shape`. */
export function initTensor(init: Initializer, shape: readonly number[], rng: Rng): tf.Tensor {
  const data = init(shape, rng);
  if (data.length !== size(shape)) {
    throw new ValueError(`initialiser returned ${data.length} values for shape [${shape}] (${size(shape)} expected)`);
  }
  return tf.tensor(data, [...shape], 'float32');
}

let globalRng = new Rng(0);

/** Seed the stream used by layers constructed without a `seed` (like `torch.manual_seed`). */
export function manualSeed(seed: number): void {
  globalRng = new Rng(seed);
}

/** The generator for a layer: a fresh one from `seed`, else the global stream's next numbered child ({@link Rng.spawn}). */
export function rngFor(seed: number | undefined): Rng {
  return seed === undefined ? globalRng.spawn() : new Rng(seed);
}
