import { tf, ValueError, ShapeError, assertFinite } from '@astro/core';

/**
 * Affine min-max scaling of labels: u = lo + (x − min)/(max − min)·(hi − lo), per column.
 * The Payne scales to [−0.5, 0.5] (Ting et al. 2019, §2.2); TransformerPayne and the
 * released emulator bundles scale to [0, 1]. Bounds are kept in float64.
 */
export class MinMaxScaling {
  /** Column minima (physical units). */
  readonly min: Float64Array;
  /** Column maxima (physical units). */
  readonly max: Float64Array;
  /** Target interval [lo, hi]. */
  readonly range: readonly [number, number];

  constructor(min: ArrayLike<number>, max: ArrayLike<number>, range: readonly [number, number] = [0, 1]) {
    if (min.length !== max.length || min.length === 0) {
      throw new ShapeError(`MinMaxScaling: min has ${min.length} entries and max ${max.length}`);
    }
    this.min = Float64Array.from(min);
    this.max = Float64Array.from(max);
    assertFinite(this.min, 'MinMaxScaling: min');
    assertFinite(this.max, 'MinMaxScaling: max');
    for (let i = 0; i < this.min.length; i++) {
      if (!(this.max[i]! > this.min[i]!)) {
        throw new ValueError(`MinMaxScaling: column ${i} has max ${this.max[i]} ≤ min ${this.min[i]}`);
      }
    }
    if (!(range[1] > range[0])) throw new ValueError(`MinMaxScaling: range [${range}] is empty`);
    this.range = [range[0], range[1]];
  }

  /** Fit the bounds to the columns of `values` (`rows × cols`, row-major). */
  static fit(values: ArrayLike<number>, cols: number, range: readonly [number, number] = [0, 1]): MinMaxScaling {
    if (!Number.isInteger(cols) || cols < 1) throw new ValueError(`MinMaxScaling.fit: cols must be a positive integer, got ${cols}`);
    if (values.length === 0 || values.length % cols !== 0)
      throw new ShapeError(`MinMaxScaling.fit: ${values.length} values are not rows of ${cols}`);
    assertFinite(values, 'MinMaxScaling.fit: values');
    const rows = values.length / cols;
    const min = new Float64Array(cols).fill(Infinity);
    const max = new Float64Array(cols).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c]!;
        if (v < min[c]!) min[c] = v;
        if (v > max[c]!) max[c] = v;
      }
    }
    return new MinMaxScaling(min, max, range);
  }

  /** Number of columns. */
  get dim(): number {
    return this.min.length;
  }

  /** Slope a and offset b of u = a·x + b per column, in float64. */
  affine(): { a: Float64Array; b: Float64Array } {
    const [lo, hi] = this.range;
    const a = new Float64Array(this.dim);
    const b = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) {
      a[i] = (hi - lo) / (this.max[i]! - this.min[i]!);
      b[i] = lo - this.min[i]! * a[i]!;
    }
    return { a, b };
  }

  /** Scale physical labels x [N, dim] → u [N, dim] (differentiable). */
  scale(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [lo, hi] = this.range;
      const min = tf.tensor1d(Float32Array.from(this.min));
      const width = tf.tensor1d(Float32Array.from(this.max, (m, i) => (m - this.min[i]!) / (hi - lo)));
      return tf.add(tf.div(tf.sub(x, min), width), lo) as tf.Tensor2D;
    });
  }

  /** Scale one float64 row or many (row-major) in JavaScript. */
  scaleArray(x: ArrayLike<number>): Float64Array {
    const { a, b } = this.affine();
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = a[i % this.dim]! * x[i]! + b[i % this.dim]!;
    return out;
  }

  /** Inverse of {@link MinMaxScaling.scaleArray}. */
  unscaleArray(u: ArrayLike<number>): Float64Array {
    const { a, b } = this.affine();
    const out = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) out[i] = (u[i]! - b[i % this.dim]!) / a[i % this.dim]!;
    return out;
  }

  /** `{ min, max, range }` as plain numbers (for config.json). */
  toJSON(): { min: number[]; max: number[]; range: [number, number] } {
    return { min: [...this.min], max: [...this.max], range: [this.range[0], this.range[1]] };
  }
}
