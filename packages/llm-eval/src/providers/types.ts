import type { Usage } from '../metrics/cost.js';
import type { TokenLogprob } from '../scoring/letters.js';
import type { RenderedPrompt } from '../templates/types.js';

/** Sampling settings of a generation request (recorded in the run manifest). */
export interface Sampling {
  /** Maximum new tokens. */
  maxTokens: number;
  /** Temperature; 0 is greedy decoding. */
  temperature: number;
  /** Seed for sampled decoding, where the provider supports it. */
  seed?: number;
  /** Stop strings. */
  stop?: string[];
  /**
   * Constrain the output to JSON matching this JSON Schema (structured output): a grammar
   * in node-llama-cpp, `response_format: { type: 'json_schema' }` over HTTP.
   */
  jsonSchema?: Record<string, unknown>;
}

/** Options every provider call accepts. */
export interface CallOptions {
  /** Abort the request (timeouts are implemented with this). */
  signal?: AbortSignal;
}

/** Result of {@link Provider.generate}. */
export interface GenerateResult {
  text: string;
  usage: Usage;
}

/** Result of {@link Provider.nextTokens}: the most probable next tokens after a prompt. */
export interface NextTokensResult {
  /** Candidate next tokens with natural-log probabilities, most probable first. */
  tokens: TokenLogprob[];
  usage: Usage;
}

/** Result of {@link Provider.loglikelihood}. */
export interface LoglikelihoodResult {
  /** Σ log p(continuation token | context, previous continuation tokens), natural log. */
  logprob: number;
  /** Number of continuation tokens. */
  tokens: number;
  usage: Usage;
}

/**
 * A model behind some API. `generate` is required; `nextTokens` enables `logprob` scoring and
 * `loglikelihood` enables `loglik` (acc / acc_norm) scoring. Implementations throw
 * {@link ProviderError} with `retryable` set for transient failures (429, 5xx, timeouts, resets).
 */
export interface Provider {
  /** Human-readable identity, e.g. `gguf:stories260K.gguf`. */
  readonly name: string;
  /** Model name used for price lookup and reports. */
  readonly model: string;
  /** Stable identity of the model for the cache key (e.g. file size + content hash prefix). */
  cacheIdentity(): Promise<string>;
  /** Version information recorded in the manifest. */
  describe(): Record<string, string>;
  /** Generate a completion of the rendered prompt (its prefill, if any, is continued). */
  generate(prompt: RenderedPrompt, sampling: Sampling, options?: CallOptions): Promise<GenerateResult>;
  /** The top `topK` next tokens after the prompt (after its prefill). */
  nextTokens?(prompt: RenderedPrompt, topK: number, options?: CallOptions): Promise<NextTokensResult>;
  /** Log-likelihood of `continuation` right after the prompt (after its prefill). */
  loglikelihood?(prompt: RenderedPrompt, continuation: string, options?: CallOptions): Promise<LoglikelihoodResult>;
  /** Release resources (models, sockets). */
  close(): Promise<void>;
}
