import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import {
  accuracyWithCI,
  brierScore,
  cohenKappa,
  computeMetrics,
  confidenceBrier,
  expectedCalibrationError,
  fleissKappa,
  latencySummary,
  pearson,
  perTopic,
  quantile,
  reliabilityBins,
  runCost,
  unanimity,
  type ItemResult,
} from '../src/index.js';

interface Curve {
  accuracy: number[];
  meanConfidence: number[];
  counts: number[];
  ece: number;
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/metrics.json', import.meta.url), 'utf8')) as {
  probs: number[][];
  answer: number[];
  confidence: number[];
  correct: number[];
  equalWidth: Curve;
  equalMass: Curve;
  brierMulticlass: number;
  brierConfidence: number;
  pearson: number;
  accuracy: number;
  bootstrap95: [number, number];
  latencies: number[];
  percentiles: Record<string, number>;
  rater1: number[];
  rater2: number[];
  cohenKappa: number;
};
const correct = fx.correct.map((c) => c === 1);

describe('calibration against scikit-learn (tools/fixtures/llm_eval_metrics.py)', () => {
  for (const [binning, ref] of [
    ['equal-width', fx.equalWidth],
    ['equal-mass', fx.equalMass],
  ] as const) {
    it(`${binning} reliability bins match calibration_curve and ECE matches`, () => {
      const bins = reliabilityBins(fx.confidence, correct, { bins: 10, binning }).filter((b) => b.count > 0);
      expect(bins.map((b) => b.count)).toEqual(ref.counts);
      bins.forEach((b, i) => {
        expect(b.accuracy).toBeCloseTo(ref.accuracy[i]!, 12);
        expect(b.meanConfidence).toBeCloseTo(ref.meanConfidence[i]!, 12);
      });
      expect(expectedCalibrationError(fx.confidence, correct, { bins: 10, binning })).toBeCloseTo(ref.ece, 12);
    });
  }

  it('equal-width and equal-mass ECE differ on this mixed over/under-confident sample', () => {
    expect(Math.abs(fx.equalWidth.ece - fx.equalMass.ece)).toBeGreaterThan(0.01);
  });

  it('Brier scores match NumPy and sklearn.brier_score_loss; Pearson matches scipy', () => {
    expect(brierScore(fx.probs, fx.answer)).toBeCloseTo(fx.brierMulticlass, 12);
    expect(confidenceBrier(fx.confidence, correct)).toBeCloseTo(fx.brierConfidence, 12);
    expect(pearson(fx.confidence, fx.correct)).toBeCloseTo(fx.pearson, 12);
  });

  it('a perfectly calibrated step has ECE 0 and a constant-confidence model has ECE |acc − conf|', () => {
    const conf = [0.25, 0.25, 0.25, 0.25, 1, 1];
    const ok = [true, false, false, false, true, true];
    expect(expectedCalibrationError(conf, ok)).toBeCloseTo(0, 15);
    expect(expectedCalibrationError([0.9, 0.9, 0.9, 0.9], [true, false, true, false])).toBeCloseTo(0.4, 15);
  });

  it('rejects confidences outside [0, 1] and mismatched lengths', () => {
    expect(() => reliabilityBins([1.2], [true])).toThrow(ValueError);
    expect(() => expectedCalibrationError([0.5, 0.5], [true])).toThrow(/2 entries but correct has 1/);
    expect(() => brierScore([[0.5, 0.5]], [2])).toThrow(ValueError);
  });
});

describe('accuracy, percentiles and agreement', () => {
  it('bootstrap 95% interval agrees with scipy.stats.bootstrap (percentile) within Monte-Carlo error', () => {
    const a = accuracyWithCI(correct, { resamples: 20000, seed: 7 });
    expect(a.accuracy).toBeCloseTo(fx.accuracy, 15);
    expect(Math.abs(a.lower - fx.bootstrap95[0])).toBeLessThan(0.008);
    expect(Math.abs(a.upper - fx.bootstrap95[1])).toBeLessThan(0.008);
    // and with the normal approximation p ± 1.96 √(p(1−p)/n)
    const se = Math.sqrt((a.accuracy * (1 - a.accuracy)) / correct.length);
    expect(a.upper - a.lower).toBeCloseTo(2 * 1.959964 * se, 2);
  });

  it('is reproducible for a seed', () => {
    expect(accuracyWithCI(correct, { seed: 3 })).toEqual(accuracyWithCI(correct, { seed: 3 }));
  });

  it('percentiles match numpy.percentile (linear)', () => {
    for (const [q, v] of Object.entries(fx.percentiles)) expect(quantile(fx.latencies, Number(q) / 100)).toBeCloseTo(v, 9);
    const s = latencySummary(fx.latencies);
    expect(s.p50Ms).toBeCloseTo(fx.percentiles['50']!, 9);
    expect(s.p99Ms).toBeCloseTo(fx.percentiles['99']!, 9);
    expect(s.count).toBe(97);
  });

  it("Cohen's kappa matches sklearn.cohen_kappa_score", () => {
    expect(cohenKappa(fx.rater1, fx.rater2)).toBeCloseTo(fx.cohenKappa, 12);
  });

  it("Fleiss' kappa reproduces Fleiss (1971) worked example, κ = 0.210", () => {
    // 10 subjects × 14 raters × 5 categories (Wikipedia "Fleiss' kappa" worked example).
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const ratings = table.map((row) => row.flatMap((c, k) => new Array<number>(c).fill(k + 1)));
    expect(fleissKappa(ratings)).toBeCloseTo(0.20993, 5);
    expect(unanimity(ratings)).toBeCloseTo(0.1, 15);
    expect(() => fleissKappa([[1, 2], [1]])).toThrow(ValueError);
  });
});

describe('cost and run summary', () => {
  it('prices tokens per million and per accuracy point', () => {
    const c = runCost([{ promptTokens: 1_000_000, completionTokens: 500_000 }], 0.5, { inputPerMTok: 3, outputPerMTok: 15 });
    expect(c.usd).toBeCloseTo(3 + 7.5, 12);
    expect(c.usdPerAccuracyPoint).toBeCloseTo(10.5 / 50, 12);
    expect(Number.isNaN(runCost([], 0.5, undefined).usd)).toBe(true);
  });

  it('computeMetrics summarises a run: topics, calibration, retries, cache hits', () => {
    const rows: ItemResult[] = fx.probs.slice(0, 40).map((p, i) => {
      const pred = p.indexOf(Math.max(...p));
      return {
        id: String(i),
        topic: i % 2 ? 'stars' : 'galaxies',
        answerIndex: fx.answer[i]!,
        scoring: 'logprob',
        predicted: pred,
        correct: pred === fx.answer[i],
        confidence: p[pred]!,
        optionProbs: p,
        letterMass: 0.5,
        usage: { promptTokens: 100, completionTokens: 0 },
        latencyMs: 10 + i,
        attempts: i === 3 ? 3 : 1,
        cached: i === 5,
      };
    });
    const m = computeMetrics(rows, { price: { inputPerMTok: 1, outputPerMTok: 2 } });
    expect(m.n).toBe(40);
    expect(m.retries).toBe(2);
    expect(m.cached).toBe(1);
    expect(m.latency.count).toBe(39);
    expect(m.cost.usd).toBeCloseTo((40 * 100) / 1e6, 15);
    expect(m.perTopic.map((t) => t.topic)).toEqual(['galaxies', 'stars']);
    expect(perTopic(rows).reduce((s, t) => s + t.accuracy.n, 0)).toBe(40);
    expect(m.calibration!.meanLetterMass).toBeCloseTo(0.5, 15);
    expect(m.calibration!.brier).toBeCloseTo(brierScore(fx.probs.slice(0, 40), fx.answer.slice(0, 40)), 12);
    expect(m.calibration!.reliability).toHaveLength(10);
  });
});
