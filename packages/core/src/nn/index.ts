/**
 * Neural-network building blocks with PyTorch-style named parameters (`@astro/core/nn`):
 * layers, activations, initialisers and muP helpers.
 */
export { Module, ModuleList } from './module.js';
export type { ParamRole } from './roles.js';
export { Rng } from './random.js';
export {
  type Initializer,
  type GainNonlinearity,
  type KaimingOptions,
  fans,
  calculateGain,
  zeros,
  ones,
  constant,
  normal,
  uniform,
  xavierUniform,
  xavierNormal,
  kaimingUniform,
  kaimingNormal,
  torchDefaultWeight,
  torchDefaultBias,
  truncNormal,
  scaled,
  initTensor,
  manualSeed,
  rngFor,
} from './init.js';
export { type MupWidths, widthMultiplier, mupLrMultiplier, mupInitMultiplier, mupInit, mupLrMultipliers } from './mup.js';
export { type ActivationName, type ActivationFn, gelu, geluTanh, silu, activation, GELU } from './activations.js';
export { Linear, type LinearOptions } from './linear.js';
export { LayerNorm, RMSNorm, type LayerNormOptions, type RMSNormOptions } from './norm.js';
export { fusedLayerNorm, fusedKernelActive } from './fused.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { MLP, type MLPOptions } from './mlp.js';
export { MultiHeadAttention, type MultiHeadAttentionOptions, type AttentionInputs } from './attention.js';
export { TransformerBlock, type TransformerBlockOptions, type TransformerBlockInputs } from './transformer.js';
export { Conv1d, type Conv1dOptions } from './conv1d.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
