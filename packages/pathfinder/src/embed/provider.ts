/**
 * One interface for every source of text embeddings: the package's own encoder, an
 * OpenAI-compatible `/v1/embeddings` server, a GGUF model through node-llama-cpp, or an ONNX
 * model through transformers.js.
 */
export interface EmbeddingProvider {
  /** Stable identity of the model (stored in an index so queries use the same model). */
  readonly id: string;
  /** Output dimension, or `undefined` until the first call when the server decides it. */
  readonly dim: number | undefined;
  /**
   * Embed texts: `texts.length × dim` row-major float32. `role` lets asymmetric models embed
   * queries and documents differently (e.g. E5's `query:`/`passage:` prefixes); symmetric
   * models ignore it.
   */
  embed(texts: readonly string[], opts?: { role?: 'query' | 'document'; signal?: AbortSignal }): Promise<Float32Array>;
  /** Release resources. */
  close?(): Promise<void>;
}
