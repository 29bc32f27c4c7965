/**
 * Completeness and false alarms on a seeded simulated population (the README's table comes from
 * examples/lightcurve-gpt/numax-population.ts on 300 + 100 stars; this is its smaller sibling):
 * 60 oscillating stars across ν_max 10–4000 μHz at long and short cadence and 30 granulation +
 * noise stars, all with random gaps, sub-cadence jitter and repeated stamps.
 * Targets (issue 12): ≥ 95 % detected and ≤ 5 % median abs(Δν_max)/ν_max where the envelope is below
 * 0.8 ν_Nyq and the expected 2ΔlnL is ≥ 3× the threshold; ≤ 2 % false detections.
 */
import { describe, expect, it } from 'vitest';
import { estimateNumax, NUMAX_DETECTION_THRESHOLD, populationPlan, simulatePopulationStar, type PopulationStar } from '../../src/index.js';

const plan = populationPlan({ stars: 60, nulls: 30, seed: 1 });
const results: { star: PopulationStar; detected: boolean; numax: number | null }[] = [];

describe('simulated population (seed 1: 60 stars, 30 granulation-only)', () => {
  const chunks = 6;
  for (let c = 0; c < chunks; c++) {
    const part = plan.slice((c * plan.length) / chunks, ((c + 1) * plan.length) / chunks);
    it(`runs stars ${(c * plan.length) / chunks + 1}–${((c + 1) * plan.length) / chunks} end to end`, async () => {
      for (const p of part) {
        await new Promise((resolve) => setImmediate(resolve)); // let the test runner's RPC through between stars
        const star = simulatePopulationStar(p);
        const r = estimateNumax(star);
        expect(r.preparation.mergedDuplicates + r.preparation.binned).toBeGreaterThan(0);
        results.push({ star, detected: r.detected, numax: r.detected ? r.numaxMicroHz : null });
      }
    });
  }

  it('detects ≥ 95 % of the target stars with ≤ 5 % median error', () => {
    expect(results).toHaveLength(plan.length);
    const target = results.filter(
      (r) =>
        r.star.oscillates && r.star.numaxMicroHz < 0.8 * r.star.nyquistMicroHz && r.star.expectedStatistic >= 3 * NUMAX_DETECTION_THRESHOLD,
    );
    expect(target.length).toBeGreaterThanOrEqual(20);
    const det = target.filter((r) => r.detected);
    expect(det.length / target.length).toBeGreaterThanOrEqual(0.95);
    const errs = det.map((r) => Math.abs(r.numax! - r.star.numaxMicroHz) / r.star.numaxMicroHz).sort((a, b) => a - b);
    const medianErr = errs[Math.floor(errs.length / 2)]!;
    console.log(`seed 1: ${det.length}/${target.length} target stars detected, median abs(Δν_max)/ν_max ${(100 * medianErr).toFixed(1)} %`);
    expect(medianErr).toBeLessThanOrEqual(0.05);
    // Both cadences are represented.
    expect(new Set(target.map((r) => r.star.cadence)).size).toBe(2);
  });

  it('makes ≤ 2 % false detections on granulation + white noise', () => {
    const nulls = results.filter((r) => !r.star.oscillates);
    expect(nulls).toHaveLength(30);
    const falses = nulls.filter((r) => r.detected).length;
    console.log(`seed 1: ${falses}/${nulls.length} false detections`);
    expect(falses / nulls.length).toBeLessThanOrEqual(0.02);
  });
});
