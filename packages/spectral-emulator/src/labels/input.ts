import { tf, ShapeError, ValueError, assertFinite } from '@astro/core';

/** Labels accepted by `predict`: a [N, k] tensor, rows of numbers, or a flat row-major array. */
export type LabelsInput = tf.Tensor2D | readonly (readonly number[])[] | Float32Array | Float64Array;

/**
 * Turn an array {@link LabelsInput} into a row-major Float64Array of `rows × k` values, checking the
 * column count and that every value is finite.
 * @throws {ShapeError} when the number of columns is not `k` (or a flat array is not a multiple of k).
 * @throws {ValueError} on NaN/±Inf, and for a tensor (read it with {@link labelMatrixAsync}).
 */
export function labelMatrix(labels: LabelsInput, k: number, what = 'labels'): { values: Float64Array; rows: number } {
  let values: Float64Array;
  if (labels instanceof tf.Tensor) {
    checkTensorShape(labels, k, what);
    throw new ValueError(
      `${what}: a tensor cannot be read synchronously on every backend (webgpu in Node has no synchronous reads); ` +
        'pass an array, or use the asynchronous labelMatrixAsync / predictAsync',
    );
  } else if (labels instanceof Float32Array || labels instanceof Float64Array) {
    if (labels.length % k !== 0 || labels.length === 0) {
      throw new ShapeError(`${what}: a flat array of ${labels.length} values is not rows of ${k} labels`);
    }
    values = Float64Array.from(labels);
  } else {
    values = new Float64Array(labels.length * k);
    labels.forEach((row, r) => {
      if (row.length !== k) throw new ShapeError(`${what}: row ${r} has ${row.length} values, expected ${k}`);
      for (let c = 0; c < k; c++) values[r * k + c] = row[c]!;
    });
    if (labels.length === 0) throw new ShapeError(`${what}: no rows`);
  }
  assertFinite(values, what);
  return { values, rows: values.length / k };
}

/** @throws {ShapeError} unless the tensor is [N ≥ 1, k]. */
function checkTensorShape(labels: tf.Tensor, k: number, what: string): void {
  if (labels.rank !== 2 || labels.shape[1] !== k || labels.shape[0] === 0) {
    throw new ShapeError(`${what} must have shape [N ≥ 1, ${k}], got [${labels.shape}]`);
  }
}

/**
 * {@link labelMatrix} for any input, tensors included: a tensor is read back asynchronously, so this
 * works on every backend (webgpu in Node included).
 * @throws {ShapeError} for a wrong column count or no rows. @throws {ValueError} on NaN/±Inf.
 */
export async function labelMatrixAsync(labels: LabelsInput, k: number, what = 'labels'): Promise<{ values: Float64Array; rows: number }> {
  if (!(labels instanceof tf.Tensor)) return labelMatrix(labels, k, what);
  checkTensorShape(labels, k, what);
  const values = Float64Array.from(await labels.data());
  assertFinite(values, what);
  return { values, rows: values.length / k };
}
