import { AstroError } from '@astro/core/errors';

/**
 * A provider call failed. `retryable` is true for transient failures — HTTP 429 and 5xx,
 * timeouts, connection resets, truncated or malformed responses — and false for errors that a
 * retry cannot fix (400, 401, 404, a model that cannot load).
 */
export class ProviderError extends AstroError {
  /** HTTP status, when there was one. */
  readonly status: number | undefined;
  /** Whether retrying may succeed. */
  readonly retryable: boolean;
  /** Server-requested wait before retrying (from `Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super('PROVIDER_FAILED', message, { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A provider does not support the requested scoring method. */
export class UnsupportedError extends AstroError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}
