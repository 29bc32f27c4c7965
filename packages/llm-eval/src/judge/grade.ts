import { ValueError } from '@astro/core/errors';
import type { OpenItem } from '../datasets/types.js';
import { fleissKappa, unanimity } from '../metrics/agreement.js';
import type { Usage } from '../metrics/cost.js';
import type { Provider } from '../providers/types.js';
import { DiskCache } from '../runner/cache.js';
import { forEachConcurrent } from '../runner/limiter.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../runner/retry.js';
import { parseJudgement, JUDGEMENT_SCHEMA, type Judgement, type Verdict } from './schema.js';
import { judgePrompt } from './prompt.js';

/** The repeated judgements of one answer. */
export interface GradedItem {
  id: string;
  answer: string;
  /** One entry per repeat: a judgement, or the reason the reply could not be parsed. */
  judgements: ({ ok: true; judgement: Judgement } | { ok: false; error: string; text: string })[];
  /** Most frequent verdict among valid judgements (ties → the lower verdict); `null` if none valid. */
  verdict: Verdict | null;
  /** Median score of valid judgements; NaN if none. */
  score: number;
  usage: Usage;
}

/** Agreement of repeated judgements across items. */
export interface JudgeAgreement {
  /** Fleiss' kappa of verdicts over items whose every repeat parsed. */
  fleissKappa: number;
  /** Fraction of those items with unanimous verdicts. */
  unanimity: number;
  /** Mean over items of the standard deviation of scores across repeats. */
  meanScoreSd: number;
  /** Judgements that could not be parsed, out of all. */
  invalid: number;
  total: number;
}

/** Options of {@link gradeOpenResponses}. */
export interface GradeOptions {
  items: OpenItem[];
  /** Answer to grade per item id. */
  answers: ReadonlyMap<string, string>;
  judge: Provider;
  /** Judgements per answer (default 3). */
  repeats?: number;
  /** Sampling temperature of the judge (default 0.7 so repeats can disagree) and base seed. */
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Response cache folder (optional). */
  cacheDir?: string;
}

const ORDER: Verdict[] = ['incorrect', 'partially_correct', 'correct'];

/**
 * Grade open responses with an LLM judge against each item's reference and rubric, `repeats`
 * times with different seeds, using structured JSON output; returns per-item majority verdicts
 * and median scores plus agreement statistics (Fleiss' kappa, unanimity, score spread).
 * Unparseable replies are kept and counted, never dropped silently.
 */
export async function gradeOpenResponses(options: GradeOptions): Promise<{ items: GradedItem[]; agreement: JudgeAgreement }> {
  const repeats = options.repeats ?? 3;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new ValueError(`repeats must be a positive integer, got ${repeats}`);
  for (const it of options.items) if (!options.answers.has(it.id)) throw new ValueError(`no answer to grade for item ${it.id}`);
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const cache = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
  const identity = await options.judge.cacheIdentity();
  const graded = new Map<string, GradedItem>();
  const jobs = options.items.flatMap((item) => Array.from({ length: repeats }, (_, r) => ({ item, r })));
  const results = new Map<string, GradedItem['judgements'][number][]>();
  const usage = new Map<string, Usage>();
  await forEachConcurrent(jobs, options.concurrency ?? 2, async ({ item, r }) => {
    const answer = options.answers.get(item.id)!;
    const prompt = judgePrompt(item, answer);
    const sampling = {
      maxTokens: options.maxTokens ?? 48,
      temperature: options.temperature ?? 0.7,
      seed: (options.seed ?? 0) + r,
      jsonSchema: JUDGEMENT_SCHEMA,
    };
    const key = DiskCache.key({ identity, method: 'judge', prompt, sampling });
    let g = cache ? await cache.get<{ text: string; usage: Usage }>(key) : undefined;
    if (!g) {
      g = (await withRetry((signal) => options.judge.generate(prompt, sampling, { signal }), policy)).value;
      if (cache) await cache.set(key, g);
    }
    let entry: GradedItem['judgements'][number];
    try {
      entry = { ok: true, judgement: parseJudgement(g.text) };
    } catch (e) {
      entry = { ok: false, error: (e as Error).message, text: g.text };
    }
    const list = results.get(item.id) ?? new Array(repeats);
    list[r] = entry;
    results.set(item.id, list);
    const u = usage.get(item.id) ?? { promptTokens: 0, completionTokens: 0 };
    usage.set(item.id, {
      promptTokens: u.promptTokens + g.usage.promptTokens,
      completionTokens: u.completionTokens + g.usage.completionTokens,
    });
  });
  for (const item of options.items) {
    const judgements = results.get(item.id)!;
    const valid = judgements.filter((j): j is { ok: true; judgement: Judgement } => j.ok).map((j) => j.judgement);
    const counts = new Map<Verdict, number>();
    for (const j of valid) counts.set(j.verdict, (counts.get(j.verdict) ?? 0) + 1);
    let verdict: Verdict | null = null;
    for (const v of ORDER) if ((counts.get(v) ?? 0) > (verdict ? counts.get(verdict)! : 0)) verdict = v;
    const scores = valid.map((j) => j.score).sort((a, b) => a - b);
    const mid = scores.length / 2;
    const score = scores.length === 0 ? NaN : scores.length % 2 ? scores[Math.floor(mid)]! : (scores[mid - 1]! + scores[mid]!) / 2;
    graded.set(item.id, { id: item.id, answer: options.answers.get(item.id)!, judgements, verdict, score, usage: usage.get(item.id)! });
  }
  const all = [...graded.values()];
  const complete = all.filter((g) => g.judgements.every((j) => j.ok));
  const verdicts = complete.map((g) => g.judgements.map((j) => (j as { judgement: Judgement }).judgement.verdict));
  const sds = complete.map((g) => {
    const s = g.judgements.map((j) => (j as { judgement: Judgement }).judgement.score);
    const m = s.reduce((a, b) => a + b, 0) / s.length;
    return Math.sqrt(s.reduce((a, b) => a + (b - m) ** 2, 0) / s.length);
  });
  const total = all.length * repeats;
  return {
    items: all,
    agreement: {
      fleissKappa: repeats >= 2 && verdicts.length > 0 ? fleissKappa(verdicts) : NaN,
      unanimity: verdicts.length > 0 ? unanimity(verdicts) : NaN,
      meanScoreSd: sds.length > 0 ? sds.reduce((a, b) => a + b, 0) / sds.length : NaN,
      invalid: all.reduce((s, g) => s + g.judgements.filter((j) => !j.ok).length, 0),
      total,
    },
  };
}

/** Generate answers to open-response items with a candidate model (greedy, `maxTokens` each). */
export async function answerOpenItems(
  items: readonly OpenItem[],
  provider: Provider,
  options: { maxTokens?: number; retry?: Partial<RetryPolicy>; concurrency?: number } = {},
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  await forEachConcurrent(items, options.concurrency ?? 2, async (item) => {
    const prompt = { system: 'You are an expert astronomer. Answer concisely.', user: item.question };
    const g = await withRetry(
      (signal) => provider.generate(prompt, { maxTokens: options.maxTokens ?? 64, temperature: 0 }, { signal }),
      policy,
    );
    out.set(item.id, g.value.text.trim());
  });
  return out;
}
