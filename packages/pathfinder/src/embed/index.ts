export type { EmbeddingProvider } from './provider.js';
export { PathfinderTextEncoder, LocalEncoderProvider, TEXT_ENCODER_KIND, TEXT_ENCODER_SCHEMA, type TextEncoderConfig } from './encoder.js';
export {
  trainTextEncoder,
  fitTextEncoder,
  infoNce,
  sentences,
  type TrainTextEncoderOptions,
  type FitTextEncoderOptions,
  type EncoderView,
} from './train.js';
export { OpenAIEmbeddings, type OpenAIEmbeddingsOptions } from './openai.js';
export { LlamaEmbeddings, type LlamaEmbeddingsOptions } from './llama.js';
export { TransformersEmbeddings, type TransformersEmbeddingsOptions } from './transformers.js';
