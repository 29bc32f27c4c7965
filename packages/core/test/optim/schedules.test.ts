import { describe, it, expect } from 'vitest';
import { ValueError } from '../../src/errors/index.js';
import { constantLr, warmupCosine } from '../../src/optim/index.js';

describe('learning-rate schedules', () => {
  it('warmupCosine follows the closed form at hand-computed points', () => {
    const s = warmupCosine({ peakLr: 1e-3, warmupSteps: 10, totalSteps: 110, minLr: 1e-4 });
    expect(s(0)).toBe(0);
    expect(s(5)).toBeCloseTo(5e-4, 15);
    expect(s(10)).toBeCloseTo(1e-3, 15); // peak
    // halfway through the decay: cos(π/2) = 0 → (peak + min) / 2
    expect(s(60)).toBeCloseTo(5.5e-4, 15);
    // a quarter through: min + (peak − min)·(1 + cos(π/4))/2
    expect(s(35)).toBeCloseTo(1e-4 + (9e-4 * (1 + Math.SQRT1_2)) / 2, 15);
    expect(s(110)).toBeCloseTo(1e-4, 15);
    expect(s(10_000)).toBeCloseTo(1e-4, 15); // stays at min after the end
  });

  it('warmupCosine is monotone up then down', () => {
    const s = warmupCosine({ peakLr: 2, warmupSteps: 7, totalSteps: 50 });
    for (let t = 1; t <= 7; t++) expect(s(t)).toBeGreaterThan(s(t - 1));
    for (let t = 8; t <= 50; t++) expect(s(t)).toBeLessThan(s(t - 1));
    expect(s(50)).toBeCloseTo(0, 15);
  });

  it('constantLr, with and without warm-up', () => {
    const c = constantLr(3e-4);
    expect([0, 1, 1e6].map(c)).toEqual([3e-4, 3e-4, 3e-4]);
    const w = constantLr(4, { warmupSteps: 4 });
    expect([0, 1, 2, 3, 4, 5].map(w)).toEqual([0, 1, 2, 3, 4, 4]);
  });

  it('rejects bad settings and steps with a ValueError', () => {
    expect(() => warmupCosine({ peakLr: 1, warmupSteps: 10, totalSteps: 5 })).toThrow(ValueError);
    expect(() => warmupCosine({ peakLr: 1, warmupSteps: 1, totalSteps: 5, minLr: 2 })).toThrow(/minLr/);
    expect(() => warmupCosine({ peakLr: NaN, warmupSteps: 1, totalSteps: 5 })).toThrow(/peakLr/);
    expect(() => constantLr(-1)).toThrow(ValueError);
    expect(() => constantLr(1, { warmupSteps: 1.5 })).toThrow(/warmupSteps/);
    expect(() => constantLr(1)(-1)).toThrow(/step/);
  });
});
