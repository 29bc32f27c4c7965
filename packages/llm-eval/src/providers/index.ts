/** Providers: in-process GGUF (node-llama-cpp) and OpenAI-compatible HTTP. */
export * from './types.js';
export { ProviderError, UnsupportedError } from './errors.js';
export { retryableStatus, parseRetryAfter } from './http-errors.js';
export { LocalProvider, fileFingerprint, type LocalProviderOptions } from './local.js';
export { OpenAIProvider, type OpenAIProviderOptions } from './openai.js';
export { openProvider } from './spec.js';
