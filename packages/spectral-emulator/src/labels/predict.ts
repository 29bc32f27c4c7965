import { tf, ShapeError } from '@astro/core';
import type { PredictOptions, SpectralEmulator } from '../emulator.js';
import { checkLabelDomain } from './domain.js';
import { labelMatrix, labelMatrixAsync, type LabelsInput } from './input.js';

/**
 * The checked `predict` shared by every emulator: validate [N, k] shape and finiteness,
 * apply the domain policy (default `'error'`), then run the differentiable `emulate`.
 * A tensor input with `outOfDomain: 'ignore'` is passed straight through (shape checked only,
 * no read-back); any other tensor input needs {@link checkedPredictAsync}, which reads it back
 * asynchronously (there are no synchronous reads on webgpu in Node).
 */
export function checkedPredict(model: SpectralEmulator, labels: LabelsInput, opts: PredictOptions = {}): tf.Tensor2D {
  const k = model.domain.names.length;
  const policy = opts.outOfDomain ?? 'error';
  if (labels instanceof tf.Tensor && policy === 'ignore') {
    // fast path: no read-back (also the only way on backends without synchronous reads, e.g. webgpu in Node)
    if (labels.rank !== 2 || labels.shape[1] !== k) throw new ShapeError(`labels must have shape [N, ${k}], got [${labels.shape}]`);
    return model.emulate(labels);
  }
  const { values, rows } = labelMatrix(labels, k);
  return emulateChecked(model, values, rows, policy);
}

function emulateChecked(model: SpectralEmulator, values: Float64Array, rows: number, policy: 'error' | 'warn' | 'ignore'): tf.Tensor2D {
  const k = model.domain.names.length;
  checkLabelDomain(model.domain, values, rows, policy);
  const x = tf.tensor2d(Float32Array.from(values), [rows, k]);
  try {
    return model.emulate(x);
  } finally {
    x.dispose();
  }
}

/**
 * {@link checkedPredict} for every input on every backend: a tensor of labels is read back
 * asynchronously and checked like an array (shape, finiteness, domain policy).
 */
export async function checkedPredictAsync(model: SpectralEmulator, labels: LabelsInput, opts: PredictOptions = {}): Promise<tf.Tensor2D> {
  const k = model.domain.names.length;
  const { values, rows } = await labelMatrixAsync(labels, k);
  return emulateChecked(model, values, rows, opts.outOfDomain ?? 'error');
}

/**
 * The house `predict`: {@link checkedPredictAsync}, read back asynchronously as rows of flux
 * (`number[][]`, [N][P]); no tensor is left behind.
 */
export async function predictRows(model: SpectralEmulator, labels: LabelsInput, opts: PredictOptions = {}): Promise<number[][]> {
  const y = await checkedPredictAsync(model, labels, opts);
  try {
    return (await y.array()) as number[][];
  } finally {
    y.dispose();
  }
}
