import { AbortError } from '@astro/core/errors';
import { ProviderError } from '../providers/errors.js';

/** Retry policy: exponential backoff with full jitter (Brooker 2015, "Exponential Backoff And Jitter"). */
export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  maxRetries: number;
  /** First backoff ceiling in ms (default 250). */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms (default 10 000). */
  maxDelayMs: number;
  /** Per-attempt timeout in ms (default 60 000). */
  timeoutMs: number;
}

/** Default {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 250, maxDelayMs: 10_000, timeoutMs: 60_000 };

/** Backoff before retry `attempt` (1-based): uniform in [0, min(max, base·2^(attempt−1))], at least `retryAfterMs`. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const d = random() * ceiling;
  return retryAfterMs !== undefined ? Math.max(d, Math.min(retryAfterMs, policy.maxDelayMs)) : d;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Call `fn` with a per-attempt timeout signal, retrying retryable {@link ProviderError}s and
 * timeouts with {@link backoffDelay}. Returns the value and the number of attempts; rethrows
 * the last error when retries run out or the error is not retryable.
 */
export async function withRetry<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; random?: () => number; onRetry?: (err: unknown, attempt: number, delayMs: number) => void } = {},
): Promise<{ value: T; attempts: number }> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return { value: await fn(signal), attempts: attempt };
    } catch (e) {
      if (options.signal?.aborted) throw new AbortError();
      const timedOut = timeout.aborted;
      const retryable = timedOut || (e instanceof ProviderError && e.retryable);
      if (!retryable || attempt > policy.maxRetries) {
        if (timedOut && !(e instanceof ProviderError)) {
          throw new ProviderError(`timed out after ${policy.timeoutMs} ms (${attempt} attempts)`, { retryable: true, cause: e });
        }
        throw e;
      }
      const delay = backoffDelay(attempt, policy, random, e instanceof ProviderError ? e.retryAfterMs : undefined);
      options.onRetry?.(e, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}
