import type { tf } from '@astro/core';
import type { DomainPolicy, LabelDomain } from './labels/domain.js';
import type { LabelsInput } from './labels/input.js';

/** Options of {@link SpectralEmulator.predict}. */
export interface PredictOptions {
  /** Labels outside the trained domain: throw (default), warn, or ignore. */
  outOfDomain?: DomainPolicy;
}

/**
 * What every emulator in this package offers: a map from physical stellar labels to a
 * continuum-normalised spectrum on a fixed wavelength grid.
 */
export interface SpectralEmulator {
  /** Model class as `@astro/spectral-emulator/<Class>`, e.g. `'@astro/spectral-emulator/TransformerPayne'`. */
  readonly kind: string;
  /** Trained label box with names and units. */
  readonly domain: LabelDomain;
  /** Number of output pixels P. */
  readonly numPixels: number;
  /** Wavelength of each pixel in Å (vacuum or air as the training grid was), length P, when known. */
  readonly wavelengthAngstrom: Float64Array | undefined;
  /**
   * Differentiable forward pass: physical labels [N, k] → flux [N, P]. No domain check;
   * the caller owns the result.
   */
  emulate(labels: tf.Tensor2D): tf.Tensor2D;
  /**
   * The house `predict`: checked like {@link predictTensor}, resolved to rows of flux [N][P]
   * (numbers, read back asynchronously: every backend).
   */
  predict(labels: LabelsInput, opts?: PredictOptions): Promise<number[][]>;
  /**
   * Checked forward pass as a tensor the caller owns: validates shape, finiteness and the domain,
   * then {@link emulate}. Array labels are checked synchronously; a tensor needs
   * {@link predictAsync} (or `outOfDomain: 'ignore'`, which checks only its shape).
   */
  predictTensor(labels: LabelsInput, opts?: PredictOptions): tf.Tensor2D;
  /** {@link predictTensor} for any labels, tensors included (read back asynchronously: every backend). */
  predictAsync(labels: LabelsInput, opts?: PredictOptions): Promise<tf.Tensor2D>;
  /** Total number of scalar parameters. */
  numParameters(): number;
  /** Free the weights. */
  dispose(): void;
}
