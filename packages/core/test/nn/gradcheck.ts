// Finite-difference gradient checks for float32 layers.
import { tf } from '../../src/index.js';
import { Rng } from '../../src/nn/index.js';

export interface GradCheckResult {
  /** Relative errors of the directional derivative, one per (direction, wrt) pair. */
  relErrors: number[];
  worst: number;
  detail: string;
}

function randomLike(shape: number[], rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = rng.normal();
  return tf.tensor(d, shape);
}

/**
 * Check the analytic gradient of L(x, θ) = Σ f(x; θ)·R (R a fixed random projection) against
 * central differences along random unit directions u, jointly in the input and in all
 * parameters: (L(p + h·u) − L(p − h·u)) / 2h versus ∇L·u. Uses `h` scaled to the RMS of each
 * variable so float32 rounding stays well below the truncation error.
 */
export async function gradCheck(
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  params: tf.Variable[],
  opts: { directions?: number; h?: number; seed?: number } = {},
): Promise<GradCheckResult> {
  const rng = new Rng(opts.seed ?? 0x5eed);
  const h = opts.h ?? 1e-2;
  const y0 = tf.tidy(() => f(x));
  const R = randomLike(y0.shape, rng);
  y0.dispose();
  const xv = tf.variable(x.clone(), true);
  const vars = [xv, ...params];
  const loss = (): tf.Scalar => tf.sum(tf.mul(f(xv), R)) as tf.Scalar;
  const { grads } = tf.variableGrads(loss, vars);
  const relErrors: number[] = [];
  const details: string[] = [];
  for (let d = 0; d < (opts.directions ?? 3); d++) {
    const dirs = vars.map((v) => randomLike(v.shape, rng));
    let norm = 0;
    for (const u of dirs) norm += (await tf.sum(tf.square(u)).data())[0]!;
    const scale = 1 / Math.sqrt(norm);
    let analytic = 0;
    for (let i = 0; i < vars.length; i++) {
      const g = grads[vars[i]!.name];
      if (g) analytic += (await tf.sum(tf.mul(g, dirs[i]!)).data())[0]! * scale;
    }
    const originals = vars.map((v) => v.clone());
    const at = async (s: number): Promise<number> => {
      vars.forEach((v, i) => v.assign(tf.tidy(() => tf.add(originals[i]!, tf.mul(dirs[i]!, s * scale)))));
      const l = tf.tidy(loss);
      const val = (await l.data())[0]!;
      l.dispose();
      return val;
    };
    const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
    vars.forEach((v, i) => v.assign(originals[i]!));
    originals.forEach((t) => t.dispose());
    dirs.forEach((t) => t.dispose());
    const rel = Math.abs(analytic - numeric) / Math.max(Math.abs(numeric), Math.abs(analytic), 1e-3);
    relErrors.push(rel);
    details.push(`analytic ${analytic.toPrecision(6)} numeric ${numeric.toPrecision(6)} rel ${rel.toExponential(2)}`);
  }
  Object.values(grads).forEach((g) => g.dispose());
  R.dispose();
  xv.dispose();
  return { relErrors, worst: Math.max(...relErrors), detail: details.join('; ') };
}
