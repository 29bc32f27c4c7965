import { ValueError } from '@astro/core/errors';
import { promptToText, type RenderedPrompt } from '../templates/types.js';
import type { TokenLogprob } from '../scoring/letters.js';
import { ProviderError, UnsupportedError } from './errors.js';
import { networkError, parseRetryAfter, retryableStatus } from './http-errors.js';
import type { CallOptions, GenerateResult, LoglikelihoodResult, NextTokensResult, Provider, Sampling } from './types.js';

/** Options of {@link OpenAIProvider}. */
export interface OpenAIProviderOptions {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:8000/v1` or `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Model name sent in the request body. */
  model: string;
  /**
   * `'chat'` → `/chat/completions` (hosted APIs; `top_logprobs` ≤ 20; the answer prefix is sent
   * as a final assistant message only when `prefillAssistant` is set, as vLLM and llama.cpp's
   * server accept); `'completions'` → `/completions` with the prompt as one string (vLLM,
   * llama.cpp server, Ollama), which also supports `loglik` scoring through `echo`.
   */
  api?: 'chat' | 'completions';
  /** API key sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** Send the answer prefix as a trailing assistant message (chat API only). */
  prefillAssistant?: boolean;
  /** Extra headers. */
  headers?: Record<string, string>;
}

interface ChatLogprobEntry {
  token: string;
  logprob: number;
  top_logprobs?: { token: string; logprob: number }[];
}

/**
 * OpenAI-compatible HTTP provider (OpenAI, vLLM, llama.cpp `llama-server`, Ollama's `/v1`).
 * Next-token probabilities come from `logprobs` / `top_logprobs`; option log-likelihoods from
 * the completions API with `echo: true, max_tokens: 0` where the server implements it (vLLM).
 * Failures become {@link ProviderError}s; 429/5xx, resets, timeouts and malformed bodies are
 * marked retryable, other 4xx are not.
 */
export class OpenAIProvider implements Provider {
  readonly name: string;
  readonly model: string;
  private readonly api: 'chat' | 'completions';
  constructor(private readonly options: OpenAIProviderOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new ValueError(`baseUrl must start with http:// or https://, got ${options.baseUrl}`);
    this.api = options.api ?? 'chat';
    this.model = options.model;
    this.name = `openai${this.api === 'completions' ? '-completions' : ''}:${options.baseUrl}#${options.model}`;
  }

  async cacheIdentity(): Promise<string> {
    return `${this.name}`;
  }

  describe(): Record<string, string> {
    return { provider: 'openai-compatible', baseUrl: this.options.baseUrl, api: this.api, model: this.model };
  }

  private messages(prompt: RenderedPrompt): { role: string; content: string }[] {
    const m: { role: string; content: string }[] = [];
    if (prompt.system) m.push({ role: 'system', content: prompt.system });
    m.push({ role: 'user', content: prompt.user });
    if (prompt.prefill !== undefined && this.options.prefillAssistant) m.push({ role: 'assistant', content: prompt.prefill });
    return m;
  }

  /** POST a JSON body and return the parsed JSON response, mapping every failure to a ProviderError. */
  private async post(path: string, body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const url = this.options.baseUrl.replace(/\/$/, '') + path;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          ...this.options.headers,
        },
        body: JSON.stringify({ model: this.model, ...body }),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      throw networkError(e, url, signal?.reason?.name === 'TimeoutError');
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw networkError(e, url, signal?.reason?.name === 'TimeoutError');
    }
    if (!res.ok) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      throw new ProviderError(`${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`, {
        status: res.status,
        retryable: retryableStatus(res.status),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    try {
      const json = JSON.parse(text) as unknown;
      if (typeof json !== 'object' || json === null) throw new Error('not an object');
      return json as Record<string, unknown>;
    } catch (e) {
      throw new ProviderError(`${url} returned malformed JSON: ${text.slice(0, 120)}`, { status: res.status, retryable: true, cause: e });
    }
  }

  private usage(json: Record<string, unknown>): { promptTokens: number; completionTokens: number } {
    const u = json['usage'] as { prompt_tokens?: number; completion_tokens?: number } | undefined;
    return { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 };
  }

  private firstChoice(json: Record<string, unknown>): Record<string, unknown> {
    const c = (json['choices'] as unknown[] | undefined)?.[0];
    if (typeof c !== 'object' || c === null) throw new ProviderError('response has no choices[0]', { retryable: true });
    return c as Record<string, unknown>;
  }

  async generate(prompt: RenderedPrompt, sampling: Sampling, options: CallOptions = {}): Promise<GenerateResult> {
    const common = {
      max_tokens: sampling.maxTokens,
      temperature: sampling.temperature,
      ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
      ...(sampling.stop ? { stop: sampling.stop } : {}),
      ...(sampling.jsonSchema
        ? { response_format: { type: 'json_schema', json_schema: { name: 'response', schema: sampling.jsonSchema, strict: true } } }
        : {}),
    };
    if (this.api === 'chat') {
      const json = await this.post('/chat/completions', { messages: this.messages(prompt), ...common }, options.signal);
      const msg = this.firstChoice(json)['message'] as { content?: unknown } | undefined;
      if (typeof msg?.content !== 'string') throw new ProviderError('chat response has no message content', { retryable: true });
      return { text: msg.content, usage: this.usage(json) };
    }
    const json = await this.post('/completions', { prompt: promptToText(prompt), ...common }, options.signal);
    const text = this.firstChoice(json)['text'];
    if (typeof text !== 'string') throw new ProviderError('completion response has no text', { retryable: true });
    return { text, usage: this.usage(json) };
  }

  async nextTokens(prompt: RenderedPrompt, topK: number, options: CallOptions = {}): Promise<NextTokensResult> {
    if (this.api === 'chat') {
      const json = await this.post(
        '/chat/completions',
        { messages: this.messages(prompt), max_tokens: 1, temperature: 0, logprobs: true, top_logprobs: topK },
        options.signal,
      );
      const lp = this.firstChoice(json)['logprobs'] as { content?: ChatLogprobEntry[] } | null | undefined;
      const first = lp?.content?.[0];
      if (!first?.top_logprobs)
        throw new ProviderError('chat response has no logprobs.content[0].top_logprobs (does the server support logprobs?)', {
          retryable: true,
        });
      return { tokens: sortTokens(first.top_logprobs.map((t) => ({ text: t.token, logprob: t.logprob }))), usage: this.usage(json) };
    }
    const json = await this.post(
      '/completions',
      { prompt: promptToText(prompt), max_tokens: 1, temperature: 0, logprobs: topK },
      options.signal,
    );
    const lp = this.firstChoice(json)['logprobs'] as { top_logprobs?: Record<string, number>[] } | null | undefined;
    const top = lp?.top_logprobs?.[0];
    if (!top || typeof top !== 'object')
      throw new ProviderError('completion response has no logprobs.top_logprobs[0]', { retryable: true });
    return { tokens: sortTokens(Object.entries(top).map(([text, logprob]) => ({ text, logprob }))), usage: this.usage(json) };
  }

  async loglikelihood(prompt: RenderedPrompt, continuation: string, options: CallOptions = {}): Promise<LoglikelihoodResult> {
    if (this.api !== 'completions')
      throw new UnsupportedError('option log-likelihood needs the completions API (echo); use openai-completions:URL#MODEL');
    const context = promptToText(prompt);
    const json = await this.post(
      '/completions',
      { prompt: context + continuation, max_tokens: 0, echo: true, logprobs: 0, temperature: 0 },
      options.signal,
    );
    const lp = this.firstChoice(json)['logprobs'] as { token_logprobs?: (number | null)[]; text_offset?: number[] } | null | undefined;
    if (!lp?.token_logprobs || !lp.text_offset)
      throw new ProviderError('echo response has no token_logprobs/text_offset (server lacks echo support?)', { retryable: false });
    let logprob = 0;
    let tokens = 0;
    lp.text_offset.forEach((off, i) => {
      if (off >= context.length) {
        logprob += lp.token_logprobs?.[i] ?? NaN;
        tokens++;
      }
    });
    if (tokens === 0) throw new ProviderError('echo response has no continuation tokens', { retryable: false });
    return { logprob, tokens, usage: this.usage(json) };
  }

  async close(): Promise<void> {}
}

function sortTokens(t: TokenLogprob[]): TokenLogprob[] {
  return t.sort((a, b) => b.logprob - a.logprob);
}
