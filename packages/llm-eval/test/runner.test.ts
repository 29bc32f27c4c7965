import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DiskCache,
  ProviderError,
  RateLimiter,
  ResultsLog,
  backoffDelay,
  canonicalJson,
  forEachConcurrent,
  parseRetryAfter,
  withRetry,
  DEFAULT_RETRY,
  type ItemResult,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-eval-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const row = (id: string): ItemResult => ({
  id,
  answerIndex: 0,
  scoring: 'logprob',
  predicted: 0,
  correct: true,
  confidence: 1,
  usage: { promptTokens: 1, completionTokens: 0 },
  latencyMs: 1,
  attempts: 1,
  cached: false,
});

describe('append-only results log', () => {
  it('drops a torn last line on reopen and never records an id twice', () => {
    const path = join(dir, 'results.jsonl');
    const log = ResultsLog.open(path);
    expect(log.append(row('a'))).toBe(true);
    expect(log.append(row('b'))).toBe(true);
    expect(log.append(row('a'))).toBe(false);
    log.close();
    appendFileSync(path, '{"id":"c","answerIn'); // a process killed mid-write
    const again = ResultsLog.open(path);
    expect(again.results().map((r) => r.id)).toEqual(['a', 'b']);
    expect(again.has('c')).toBe(false);
    again.append(row('c'));
    again.close();
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['a', 'b', 'c']);
  });
});

describe('content-addressed cache', () => {
  it('keys by canonical JSON (key order does not matter) and round-trips values', async () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(DiskCache.key({ x: 1, y: 2 })).toBe(DiskCache.key({ y: 2, x: 1 }));
    expect(DiskCache.key({ x: 1 })).toMatch(/^[0-9a-f]{64}$/);
    const cache = new DiskCache(join(dir, 'cache'));
    const k = DiskCache.key({ prompt: 'p' });
    expect(await cache.get(k)).toBeUndefined();
    await cache.set(k, { text: 'B' });
    expect(await cache.get(k)).toEqual({ text: 'B' });
  });
});

describe('retries with exponential backoff and full jitter', () => {
  it('backoff ceilings double up to the maximum and honour Retry-After', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, p, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, p, () => 0)).toBe(0);
    expect(backoffDelay(1, p, () => 0.5, 700)).toBe(700);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  });

  it('retries retryable errors, then succeeds; stops at once on a non-retryable one', async () => {
    let calls = 0;
    const r = await withRetry(
      async () => {
        if (++calls < 3) throw new ProviderError('HTTP 503', { status: 503, retryable: true });
        return 'ok';
      },
      { ...DEFAULT_RETRY, baseDelayMs: 1 },
    );
    expect(r).toEqual({ value: 'ok', attempts: 3 });
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new ProviderError('HTTP 401', { status: 401, retryable: false });
        },
        { ...DEFAULT_RETRY, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('HTTP 401');
    expect(calls).toBe(1);
  });

  it('times out a hung attempt and gives up after maxRetries', async () => {
    let calls = 0;
    const hang = (signal: AbortSignal): Promise<never> => {
      calls++;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    await expect(withRetry(hang, { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 20 })).rejects.toThrow(
      /timed out after 20 ms \(3 attempts\)/,
    );
    expect(calls).toBe(3);
  });
});

describe('concurrency and rate limits', () => {
  it('never runs more than the concurrency limit at once', async () => {
    let inFlight = 0;
    let peak = 0;
    await forEachConcurrent([...Array(20).keys()], 3, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
    });
    expect(peak).toBe(3);
  });

  it('the token bucket spaces acquisitions beyond the burst at 1/rate', async () => {
    // Tokens accrue from the limiter's construction, so time from there (timing from after it let
    // a loaded machine bank part of a token before t0 and finish in 77.7 ms).
    const t0 = performance.now();
    const lim = new RateLimiter(50, 2); // 50 per second, bursts of 2
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await lim.acquire();
      times.push(performance.now() - t0);
    }
    // 2 immediately, then 4 more at ≥ 20 ms spacing: at least 80 ms in all
    expect(times[1]!).toBeLessThan(15);
    expect(times[5]!).toBeGreaterThanOrEqual(78);
    expect(() => new RateLimiter(0)).toThrow(/rate must be > 0/);
  });
});
