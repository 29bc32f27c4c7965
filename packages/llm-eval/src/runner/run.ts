import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValueError } from '@astro/core';
import type { McqItem } from '../datasets/types.js';
import { computeMetrics, type RunMetrics } from '../metrics/summary.js';
import type { Price } from '../metrics/cost.js';
import { UnsupportedError } from '../providers/errors.js';
import type { Provider, Sampling } from '../providers/types.js';
import { resolveTemplate } from '../templates/render.js';
import type { PromptTemplate } from '../templates/types.js';
import { DiskCache } from './cache.js';
import { RateLimiter, forEachConcurrent } from './limiter.js';
import { manifestFingerprint, sha256File, versions, type RunManifest } from './manifest.js';
import { progressBar, type Progress } from './progress.js';
import { ResultsLog } from './results-log.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { scoreItem, type ItemCaller } from './score-item.js';
import type { ItemResult, Scoring } from './types.js';

/** Options of {@link runEval}. */
export interface RunOptions {
  /** Items to evaluate (ids must be unique). */
  items: McqItem[];
  /** Dataset file, recorded (with its SHA-256) in the manifest. */
  datasetPath: string;
  provider: Provider;
  /** Output folder: `manifest.json`, `results.jsonl` (append-only), `metrics.json`. */
  outDir: string;
  scoring: Scoring;
  /** Template name or object (default `'astromlab1'`). */
  template?: string | PromptTemplate;
  /** Generation settings for `extract` (default 256 tokens, temperature 0). */
  sampling?: Partial<Sampling>;
  /** Next-token candidates per call for `logprob` (default 20, the OpenAI maximum). */
  topLogprobs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Requests per second ceiling (default: unlimited). */
  requestsPerSecond?: number;
  retry?: Partial<RetryPolicy>;
  /** Response cache folder (default `outDir/cache`); `false` disables the cache. */
  cacheDir?: string | false;
  /** Price of the model for the cost metrics. */
  price?: Price;
  /** Progress reporting (default: a bar on a TTY stderr). */
  progress?: Progress;
  /** Stop early; finished items stay in the log and a later run resumes. */
  signal?: AbortSignal;
  /** Called after each item is durably written. */
  onItem?: (r: ItemResult) => void;
}

/** Outcome of {@link runEval}. */
export interface RunOutcome {
  manifest: RunManifest;
  /** Results of every item of the run, in dataset order. */
  results: ItemResult[];
  metrics: RunMetrics;
  /** Items evaluated in this call (not already in the log). */
  evaluatedNow: number;
}

/**
 * Evaluate MCQ items with a provider and write an append-only, resumable run to `outDir`.
 * Items already in `results.jsonl` are skipped, so a killed run restarted with the same options
 * neither redoes nor loses an item; a run folder holding a different configuration (model,
 * dataset, template, scoring, sampling) is refused. Provider calls go through the
 * content-addressed cache, the rate limiter and {@link withRetry}.
 */
export async function runEval(options: RunOptions): Promise<RunOutcome> {
  const { items, provider, outDir, scoring } = options;
  const template = resolveTemplate(options.template ?? 'astromlab1');
  if (scoring === 'logprob' && !provider.nextTokens) throw new UnsupportedError(`${provider.name} cannot return next-token probabilities`);
  if (scoring === 'loglik' && !provider.loglikelihood) throw new UnsupportedError(`${provider.name} cannot score option log-likelihoods`);
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id)) throw new ValueError(`duplicate item id ${it.id}`);
    seen.add(it.id);
  }
  const sampling: Sampling = { maxTokens: 256, temperature: 0, ...options.sampling };
  const topLogprobs = options.topLogprobs ?? 20;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  mkdirSync(outDir, { recursive: true });

  const identity = await provider.cacheIdentity();
  const now = new Date().toISOString();
  let manifest: RunManifest = {
    schemaVersion: 1,
    model: { name: provider.name, model: provider.model, identity, details: provider.describe() },
    dataset: { path: options.datasetPath, sha256: sha256File(options.datasetPath), items: items.length },
    template,
    scoring,
    sampling,
    topLogprobs,
    versions: versions(),
    started: now,
    resumed: [],
  };
  const manifestPath = join(outDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const old = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
    if (manifestFingerprint(old) !== manifestFingerprint(manifest)) {
      throw new ValueError(`${outDir} holds a run with a different model, dataset, template, scoring or sampling; use a new --out folder`);
    }
    manifest = { ...old, resumed: [...old.resumed, now], versions: manifest.versions };
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');

  const log = ResultsLog.open(join(outDir, 'results.jsonl'));
  const cache = options.cacheDir === false ? undefined : new DiskCache(options.cacheDir ?? join(outDir, 'cache'));
  const limiter = options.requestsPerSecond ? new RateLimiter(options.requestsPerSecond) : undefined;
  const progress = options.progress ?? progressBar();
  const todo = items.filter((it) => !log.has(it.id));
  let done = items.length - todo.length;
  let evaluatedNow = 0;
  progress.update(done, items.length);

  try {
    await forEachConcurrent(todo, options.concurrency ?? 4, async (item) => {
      options.signal?.throwIfAborted();
      let attempts = 0;
      let latencyMs = 0;
      let allCached = true;
      const call: ItemCaller = async (method, request, fn) => {
        const key = DiskCache.key({ identity, method, request });
        const hit = cache ? await cache.get<Awaited<ReturnType<typeof fn>>>(key) : undefined;
        if (hit !== undefined) {
          attempts = Math.max(attempts, 1);
          return hit;
        }
        allCached = false;
        await limiter?.acquire();
        let t0 = 0;
        const { value, attempts: a } = await withRetry(
          (signal) => {
            t0 = performance.now();
            return fn(signal);
          },
          policy,
          { ...(options.signal ? { signal: options.signal } : {}), onRetry: () => limiter?.acquire() },
        );
        latencyMs += performance.now() - t0;
        attempts = Math.max(attempts, a);
        if (cache) await cache.set(key, value);
        return value;
      };
      const partial = await scoreItem({ item, provider, template, scoring, sampling, topLogprobs, call });
      const result: ItemResult = { ...partial, latencyMs, attempts, cached: allCached };
      if (log.append(result)) {
        evaluatedNow++;
        done++;
        options.onItem?.(result);
      }
      progress.update(done, items.length);
    });
  } finally {
    progress.finish();
    log.close();
  }
  const byId = new Map(log.results().map((r) => [r.id, r]));
  const results = items.map((it) => byId.get(it.id)).filter((r): r is ItemResult => r !== undefined);
  const metrics = computeMetrics(results, options.price ? { price: options.price } : {});
  writeFileSync(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  return { manifest, results, metrics, evaluatedNow };
}
