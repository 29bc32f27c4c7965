import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '@astro/core/errors';
import type { Price } from '../metrics/cost.js';
import { computeMetrics, type RunMetrics } from '../metrics/summary.js';
import type { RunManifest } from '../runner/manifest.js';
import { readResults, type TornLine } from '../runner/results-log.js';
import type { ItemResult } from '../runner/types.js';

/** A finished (or partial) run read back from its folder. */
export interface LoadedRun {
  dir: string;
  manifest: RunManifest;
  results: ItemResult[];
  metrics: RunMetrics;
  /** A torn final line of `results.jsonl` (a killed run) that was dropped; its item is not counted. */
  torn?: TornLine;
}

/**
 * Read a run folder (`manifest.json` + `results.jsonl`) and recompute its metrics from the
 * per-item results, so reports never trust a stale `metrics.json`. Throws {@link FormatError}
 * when the folder is not a run, or when a line of `results.jsonl` other than a torn final one is not a
 * result (naming the line); a dropped torn final line is reported in `torn`.
 */
export function loadRun(dir: string, options: { price?: Price } = {}): LoadedRun {
  const mPath = join(dir, 'manifest.json');
  const rPath = join(dir, 'results.jsonl');
  if (!existsSync(mPath) || !existsSync(rPath)) throw new FormatError('run', `${dir} has no manifest.json and results.jsonl`);
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(readFileSync(mPath, 'utf8')) as RunManifest;
  } catch (e) {
    throw new FormatError('run', `${mPath} is not valid JSON`, { cause: e });
  }
  if (manifest.schemaVersion !== 1)
    throw new FormatError('run', `${mPath} has schemaVersion ${String(manifest.schemaVersion)}; expected 1`);
  let torn: TornLine | undefined;
  const results = readResults(rPath, { onTorn: (t) => (torn = t) });
  if (results.length === 0) throw new FormatError('run', `${rPath} holds no results yet (0 items evaluated)`);
  return {
    dir,
    manifest,
    results,
    metrics: computeMetrics(results, options.price ? { price: options.price } : {}),
    ...(torn ? { torn } : {}),
  };
}
