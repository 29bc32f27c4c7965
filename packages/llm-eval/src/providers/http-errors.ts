import { ProviderError } from './errors.js';

/** Whether an HTTP status is worth retrying: 408, 409, 425, 429 and every 5xx. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** Parse a `Retry-After` header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** Turn a `fetch` failure (reset, refused, aborted) into a {@link ProviderError}. */
export function networkError(e: unknown, url: string, timedOut: boolean): ProviderError {
  if (e instanceof ProviderError) return e;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (timedOut) return new ProviderError(`request to ${url} timed out`, { retryable: true, cause: e });
  if (err.name === 'AbortError') return new ProviderError(`request to ${url} was aborted`, { retryable: false, cause: e });
  const code = err.cause?.code ?? '';
  const detail = [err.message, code, err.cause?.message].filter(Boolean).join(': ');
  return new ProviderError(`request to ${url} failed (${detail})`, { retryable: true, cause: e });
}
