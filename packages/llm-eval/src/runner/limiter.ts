import { ValueError } from '@astro/core/errors';

/**
 * Token-bucket rate limiter: at most `perSecond` acquisitions per second on average, with
 * bursts up to `burst`. `acquire` resolves when a token is available.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, perSecond),
  ) {
    if (!(perSecond > 0)) throw new ValueError(`rate must be > 0 requests per second, got ${perSecond}`);
    this.tokens = this.burst;
    this.last = performance.now();
  }

  /** Wait for a token. Calls are served in order. */
  acquire(): Promise<void> {
    const next = this.chain.then(async () => {
      // Timers have whole-millisecond resolution and may fire a little early, so refill from the
      // clock after every wait instead of assuming the wait produced a full token.
      for (;;) {
        const now = performance.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
        if (this.tokens >= 1) break;
        const waitMs = Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
        await new Promise((r) => setTimeout(r, waitMs));
      }
      this.tokens -= 1;
    });
    this.chain = next;
    return next;
  }
}

/** Run `worker` over `items` with at most `concurrency` in flight; rejects on the first failure after in-flight work settles. */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    throw new ValueError(`concurrency must be a positive integer, got ${concurrency}`);
  let next = 0;
  let failed: { e: unknown } | undefined;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await worker(item);
      } catch (e) {
        failed ??= { e };
      }
    }
  });
  await Promise.all(lanes);
  if (failed) throw failed.e;
}
