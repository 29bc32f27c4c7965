import { describe, expect, it } from 'vitest';
import { citationWeights, timeWeights } from '../src/index.js';

describe('Pathfinder weights (closed forms)', () => {
  it('time weight is a logistic in age, scaled by its maximum', () => {
    const w = timeWeights([2024, 2023, 2020], 2024);
    const raw = [0, 1, 4].map((a) => 1 / (1 + Math.exp(a / 0.7)));
    for (let i = 0; i < 3; i++) expect(w[i]).toBeCloseTo(raw[i]! / (0.5 + 1e-8), 12);
  });
  it('citation weight saturates above the clip', () => {
    const w = citationWeights([0, 300, 5000, 258]);
    expect(w[1]).toBe(1);
    expect(w[2]).toBe(1);
    expect(w[0]).toBeCloseTo(1 / (1 + Math.exp(300 / 42)) / 0.5, 12);
    expect(w[3]).toBeCloseTo(1 / (1 + Math.exp(42 / 42)) / 0.5, 12);
  });
});
