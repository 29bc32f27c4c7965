import { ShapeError, ValueError } from '@astro/core';

/** A row-major float64 matrix: element (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Points or a design matrix: an array of equal-length rows, or a {@link DenseMatrix}. */
export type RowsInput = ArrayLike<ArrayLike<number>> | DenseMatrix;

function isDense(x: RowsInput): x is DenseMatrix {
  return typeof (x as DenseMatrix).rows === 'number' && (x as DenseMatrix).data instanceof Float64Array;
}

/**
 * Copy (or pass through) `x` as a finite row-major {@link DenseMatrix}.
 * @throws ShapeError on ragged rows or an empty input; ValueError naming row/column of a NaN/Inf.
 */
export function toDense(x: RowsInput, what: string): DenseMatrix {
  let out: DenseMatrix;
  if (isDense(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new ShapeError(`${what}: data has ${x.data.length} values, expected ${x.rows}×${x.cols}`);
    }
    out = x;
  } else {
    const rows = x.length;
    if (rows === 0) throw new ShapeError(`${what}: no rows`);
    const cols = x[0]!.length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = x[i]!;
      if (r.length !== cols) throw new ShapeError(`${what}: row ${i} has ${r.length} values, row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j]!;
    }
    out = { data, rows, cols };
  }
  if (out.rows === 0 || out.cols === 0) throw new ShapeError(`${what}: empty ${out.rows}×${out.cols} matrix`);
  const d = out.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      throw new ValueError(`${what} contains ${d[i]} at row ${Math.floor(i / out.cols)}, column ${i % out.cols}`);
    }
  }
  return out;
}

/**
 * Copy a vector as a finite Float64Array, optionally of a required length.
 * @throws ShapeError on a length mismatch; ValueError on NaN/Inf (naming the index).
 */
export function toVector(v: ArrayLike<number>, what: string, length?: number): Float64Array {
  if (length !== undefined && v.length !== length) {
    throw new ShapeError(`${what}: expected ${length} values, got ${v.length}`);
  }
  const out = Float64Array.from(v);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new ValueError(`${what} contains ${out[i]} at index ${i}`);
  }
  return out;
}

/** Like {@link toVector} but every value must be strictly positive (uncertainties, weights > 0). */
export function toPositiveVector(v: ArrayLike<number>, what: string, length?: number): Float64Array {
  const out = toVector(v, what, length);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i]! > 0)) throw new ValueError(`${what} must be > 0, got ${out[i]} at index ${i}`);
  }
  return out;
}

/** Expand a scalar or per-point array to a length-n Float64Array of positive values. */
export function broadcastPositive(v: number | ArrayLike<number>, n: number, what: string): Float64Array {
  if (typeof v === 'number') return toPositiveVector(new Float64Array(n).fill(v), what, n);
  return toPositiveVector(v, what, n);
}

/** Split a {@link DenseMatrix} into row arrays (copies). */
export function toRows(m: DenseMatrix): Float64Array[] {
  return Array.from({ length: m.rows }, (_, i) => m.data.slice(i * m.cols, (i + 1) * m.cols));
}
