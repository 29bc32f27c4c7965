import {
  DiskCache,
  RateLimiter,
  withRetry,
  DEFAULT_RETRY,
  type Provider,
  type RenderedPrompt,
  type RetryPolicy,
  type Sampling,
} from '@astro/llm-eval';

/** A language model as `@astro/llm-eval` provides it, with that package's retries, rate limit and cache. */
export interface LlmOptions {
  /** A provider from `openProvider('gguf:PATH' | 'openai:URL#MODEL')`. */
  provider: Provider;
  /** Retry policy for transient failures (default llm-eval's: 5 retries, exponential backoff with jitter). */
  retry?: RetryPolicy;
  /** Requests per second (token bucket), e.g. for a hosted API. */
  rateLimit?: RateLimiter;
  /** Content-addressed disk cache of responses (key: model identity, prompt, sampling). */
  cache?: DiskCache;
  signal?: AbortSignal;
}

/** One completion through llm-eval's retry/limit/cache machinery. */
export async function complete(llm: LlmOptions, prompt: RenderedPrompt, sampling: Sampling): Promise<string> {
  const key = llm.cache ? DiskCache.key({ model: await llm.provider.cacheIdentity(), method: 'generate', prompt, sampling }) : undefined;
  if (llm.cache && key) {
    const hit = await llm.cache.get<{ text: string }>(key);
    if (hit) return hit.text;
  }
  await llm.rateLimit?.acquire();
  const { value } = await withRetry(
    (signal) => llm.provider.generate(prompt, sampling, { signal }),
    llm.retry ?? DEFAULT_RETRY,
    llm.signal ? { signal: llm.signal } : {},
  );
  if (llm.cache && key) await llm.cache.set(key, { text: value.text });
  return value.text;
}
