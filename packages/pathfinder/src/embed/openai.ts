import { ValueError } from '@astro/core';
import { DEFAULT_RETRY, ProviderError, RateLimiter, parseRetryAfter, retryableStatus, withRetry, type RetryPolicy } from '@astro/llm-eval';
import type { EmbeddingProvider } from './provider.js';

/** Options of {@link OpenAIEmbeddings}. */
export interface OpenAIEmbeddingsOptions {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:8080/v1` (vLLM, llama.cpp server, Ollama, TEI). */
  baseUrl: string;
  /** Model name sent with each request. */
  model: string;
  /** Bearer token (default `OPENAI_API_KEY`). */
  apiKey?: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Prefixes for asymmetric models, e.g. `{ query: 'query: ', document: 'passage: ' }` for E5. */
  prefixes?: { query?: string; document?: string };
  /** Ask the server for this many dimensions (OpenAI `dimensions`), where supported. */
  dimensions?: number;
  /** llm-eval's retry policy (default: 5 retries with jittered exponential backoff, 60 s timeout). */
  retry?: RetryPolicy;
  /** Requests per second. */
  rateLimit?: RateLimiter;
}

/**
 * Embeddings from any OpenAI-compatible `POST /v1/embeddings` endpoint, with llm-eval's
 * retries (429/5xx/timeouts, `Retry-After` honoured) and optional rate limit. Rows come back
 * in input order (sorted by `index`); a row of the wrong length or a non-finite value is a
 * non-retryable `ProviderError`.
 */
export class OpenAIEmbeddings implements EmbeddingProvider {
  readonly id: string;
  private dimension: number | undefined;
  constructor(private readonly opts: OpenAIEmbeddingsOptions) {
    if (!/^https?:\/\//.test(opts.baseUrl))
      throw new ValueError(`OpenAIEmbeddings: baseUrl must start with http:// or https://, got '${opts.baseUrl}'`);
    if (!opts.model) throw new ValueError('OpenAIEmbeddings: model is required');
    this.id = `openai:${opts.baseUrl.replace(/\/+$/, '')}#${opts.model}${opts.dimensions ? `:d${opts.dimensions}` : ''}`;
    this.dimension = opts.dimensions;
  }

  get dim(): number | undefined {
    return this.dimension;
  }

  private async request(input: string[], signal: AbortSignal): Promise<Float32Array[]> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/embeddings`;
    const key = this.opts.apiKey ?? (typeof process !== 'undefined' ? process.env['OPENAI_API_KEY'] : undefined);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({
          model: this.opts.model,
          input,
          encoding_format: 'float',
          ...(this.opts.dimensions ? { dimensions: this.opts.dimensions } : {}),
        }),
        signal,
      });
    } catch (e) {
      if (signal.aborted) throw e;
      throw new ProviderError(`POST ${url}: ${(e as Error).message}`, { retryable: true, cause: e });
    }
    if (!res.ok) {
      const body = (await res.text()).slice(0, 300);
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      throw new ProviderError(`POST ${url}: HTTP ${res.status} ${body}`, {
        status: res.status,
        retryable: retryableStatus(res.status),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    const json = (await res.json()) as { data?: { index?: number; embedding?: unknown }[] };
    if (!Array.isArray(json.data) || json.data.length !== input.length) {
      throw new ProviderError(
        `POST ${url}: expected ${input.length} embeddings, got ${Array.isArray(json.data) ? json.data.length : 'no data array'}`,
        { retryable: false },
      );
    }
    const rows = [...json.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return rows.map((r, i) => {
      if (!Array.isArray(r.embedding) || !r.embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new ProviderError(`POST ${url}: embedding ${i} is not an array of finite numbers`, { retryable: false });
      }
      return Float32Array.from(r.embedding as number[]);
    });
  }

  async embed(texts: readonly string[], opts: { role?: 'query' | 'document'; signal?: AbortSignal } = {}): Promise<Float32Array> {
    const prefix = (opts.role ? this.opts.prefixes?.[opts.role] : undefined) ?? '';
    const bs = this.opts.batchSize ?? 64;
    const rows: Float32Array[] = [];
    for (let s = 0; s < texts.length; s += bs) {
      const input = texts.slice(s, s + bs).map((t) => prefix + t);
      await this.opts.rateLimit?.acquire();
      const { value } = await withRetry(
        (signal) => this.request(input, signal),
        this.opts.retry ?? DEFAULT_RETRY,
        opts.signal ? { signal: opts.signal } : {},
      );
      rows.push(...value);
    }
    if (rows.length === 0) return new Float32Array(0);
    const d = rows[0]!.length;
    this.dimension ??= d;
    if (rows.some((r) => r.length !== this.dimension))
      throw new ProviderError(
        `embeddings have ${rows.find((r) => r.length !== this.dimension)!.length} dimensions, expected ${this.dimension}`,
        { retryable: false },
      );
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => out.set(r, i * d));
    return out;
  }
}
