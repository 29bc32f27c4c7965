import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';

/**
 * A dense row-major float32 matrix: `rows × cols` values in `data` (row i occupies
 * `data[i*cols … (i+1)*cols)`). The form every kernel works on, with no copy.
 */
export interface DenseMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** What the kernels accept for a set of vectors: a 2-D tensor, a {@link DenseMatrix}, or an array of rows. */
export type MatrixLike = tf.Tensor2D | DenseMatrix | readonly ArrayLike<number>[];

/**
 * Convert `x` to a {@link DenseMatrix} (no copy for a DenseMatrix; a tensor is downloaded once).
 * `what` names the input in errors.
 * @throws {ShapeError} for a tensor that is not 2-D, ragged rows, or a data length ≠ rows × cols.
 */
export async function toDense(x: MatrixLike, what: string): Promise<DenseMatrix> {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new ShapeError(`${what}: expected a 2-D tensor [rows, dim], got shape [${x.shape.join(', ')}]`);
    const data = x.dtype === 'float32' ? ((await x.data()) as Float32Array) : Float32Array.from(await x.data());
    return { data, rows: x.shape[0]!, cols: x.shape[1]! };
  }
  if (Array.isArray(x)) {
    const rows = x.length;
    const cols = rows > 0 ? (x[0] as ArrayLike<number>).length : 0;
    const data = new Float32Array(rows * cols);
    (x as readonly ArrayLike<number>[]).forEach((row, i) => {
      if (row.length !== cols) throw new ShapeError(`${what}: row ${i} has ${row.length} values, row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = row[j]!;
    });
    return { data, rows, cols };
  }
  const m = x as DenseMatrix;
  if (!(m.data instanceof Float32Array)) throw new ShapeError(`${what}: data must be a Float32Array`);
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0) {
    throw new ShapeError(`${what}: rows and cols must be non-negative integers (got ${m.rows} × ${m.cols})`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new ShapeError(`${what}: data has ${m.data.length} values, rows × cols = ${m.rows} × ${m.cols} = ${m.rows * m.cols}`);
  }
  return m;
}

/** Throw a {@link ValueError} naming the row and column of the first NaN/±Inf in `m`. */
export function assertFiniteMatrix(m: DenseMatrix, what: string): void {
  const a = m.data;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    // v - v is NaN for NaN and ±Inf: one comparison per value on the fast path.
    if (v - v !== 0) {
      throw new ValueError(`${what} contains ${v} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}`);
    }
  }
}

/** Squared L2 norm of every row, in float64. */
export function rowSquaredNorms(m: DenseMatrix): Float64Array {
  const { data, rows, cols } = m;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * cols;
    for (let t = 0; t < cols; t++) {
      const v = data[base + t]!;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}
