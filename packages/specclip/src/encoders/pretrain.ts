import type { SpectrumTransformer } from './spectrum-transformer.js';
import type { XpAutoencoder } from './xp-autoencoder.js';
import type { MaskedPretrainOptions, PretrainOptions } from './pretrain-options.js';

export { fitOptionsOf, type PretrainOptions, type MaskedPretrainOptions } from './pretrain-options.js';

/**
 * Pre-train a {@link SpectrumTransformer} by masked modelling on flux [n, pixels]; the same as
 * `model.fit({ flux }, opts)`. Returns the mean loss of each epoch.
 * @deprecated Use {@link SpectrumTransformer.fit}: `await model.fit({ flux }, opts)`.
 */
export function pretrainMasked(model: SpectrumTransformer, flux: Float32Array, opts: MaskedPretrainOptions): Promise<number[]> {
  return model.fit({ flux }, opts);
}

/**
 * Pre-train an {@link XpAutoencoder} on standardised x [n, inputs]; the same as
 * `model.fit({ x }, opts)`. Returns the mean loss of each epoch.
 * @deprecated Use {@link XpAutoencoder.fit}: `await model.fit({ x }, opts)`.
 */
export function pretrainAutoencoder(model: XpAutoencoder, x: Float32Array, opts: PretrainOptions): Promise<number[]> {
  return model.fit({ x }, opts);
}
