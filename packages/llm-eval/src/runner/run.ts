import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeOutputFile } from '@astro/core/cli';
import { join } from 'node:path';
import { FormatError, ValueError } from '@astro/core/errors';
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
import { ResultsLog, type TornLine } from './results-log.js';
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
  /**
   * Called when `results.jsonl` ended in a torn line (a killed run's unterminated write), which is
   * dropped and its item redone. Default: one line on stderr.
   */
  onTornLine?: (t: TornLine, path: string) => void;
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
  checkRunOptions(options);
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
  const resultsPath = join(outDir, 'results.jsonl');
  if (existsSync(manifestPath)) {
    let old: RunManifest;
    try {
      old = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
    } catch (e) {
      throw new FormatError(manifestPath, `not valid JSON (${(e as Error).message}); is ${outDir} a run folder?`, { cause: e });
    }
    if (!old || typeof old !== 'object' || old.schemaVersion !== 1 || !Array.isArray(old.resumed)) {
      throw new FormatError(manifestPath, 'is not a run manifest (schemaVersion 1)');
    }
    if (manifestFingerprint(old) !== manifestFingerprint(manifest)) {
      throw new ValueError(`${outDir} holds a run with a different model, dataset, template, scoring or sampling; use a new --out folder`);
    }
    manifest = { ...old, resumed: [...old.resumed, now], versions: manifest.versions };
  }
  // Open (and so check) the results before touching the manifest: a corrupt log is refused as it is.
  const onTorn =
    options.onTornLine ??
    ((t: TornLine, path: string) =>
      process.stderr.write(`${path}: dropped a torn final line ${t.line} (${t.bytes} bytes) of an interrupted run; that item is redone\n`));
  const log = ResultsLog.open(resultsPath, { onTorn: (t) => onTorn(t, resultsPath) });
  try {
    await writeOutputFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  } catch (e) {
    log.close();
    throw e;
  }

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
  await writeOutputFile(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  return { manifest, results, metrics, evaluatedNow };
}

/** Check the settings of {@link runEval} before anything is written. */
function checkRunOptions(o: RunOptions): void {
  if (!Array.isArray(o.items)) throw new ValueError('runEval: items must be an array of MCQ items');
  if (o.items.length === 0) throw new ValueError('runEval: no items to evaluate (an empty dataset, or --offset/--limit selected none)');
  const int = (v: number | undefined, what: string, min: number): void => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min))
      throw new ValueError(`runEval: ${what} must be an integer ≥ ${min}, got ${v}`);
  };
  int(o.topLogprobs, 'topLogprobs', 1);
  int(o.concurrency, 'concurrency', 1);
  int(o.sampling?.maxTokens, 'sampling.maxTokens', 1);
  int(o.retry?.maxRetries, 'retry.maxRetries', 0);
  if (o.sampling?.temperature !== undefined && !(o.sampling.temperature >= 0 && Number.isFinite(o.sampling.temperature))) {
    throw new ValueError(`runEval: sampling.temperature must be a finite number ≥ 0, got ${o.sampling.temperature}`);
  }
  if (o.requestsPerSecond !== undefined && !(o.requestsPerSecond > 0 && Number.isFinite(o.requestsPerSecond))) {
    throw new ValueError(`runEval: requestsPerSecond must be a finite number > 0, got ${o.requestsPerSecond}`);
  }
  if (o.retry?.timeoutMs !== undefined && !(o.retry.timeoutMs > 0))
    throw new ValueError(`runEval: retry.timeoutMs must be > 0, got ${o.retry.timeoutMs}`);
}
