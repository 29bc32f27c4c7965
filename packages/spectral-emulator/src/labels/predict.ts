import { tf, ShapeError } from '@astro/core';
import type { PredictOptions, SpectralEmulator } from '../emulator.js';
import { checkLabelDomain } from './domain.js';
import { labelMatrix, type LabelsInput } from './input.js';

/**
 * The checked `predict` shared by every emulator: validate [N, k] shape and finiteness,
 * apply the domain policy (default `'error'`), then run the differentiable `emulate`.
 * A tensor input with `outOfDomain: 'ignore'` is passed straight through (shape checked only,
 * no read-back); otherwise a tensor is read synchronously (cpu, wasm) to check its values.
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
  checkLabelDomain(model.domain, values, rows, policy);
  const x = tf.tensor2d(Float32Array.from(values), [rows, k]);
  try {
    return model.emulate(x);
  } finally {
    x.dispose();
  }
}
