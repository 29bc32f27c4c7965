import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { Rng, ksStatistic, normalCdf } from '../../src/index.js';
import { toRng, uniformOpen } from '../../src/sampling/rng.js';

describe('Rng (core’s one generator, re-exported)', () => {
  it('is @astro/core’s Rng; toRng takes an Rng or an integer seed', () => {
    const r = new Rng(5);
    expect(toRng(r)).toBe(r);
    expect(toRng(5).uniform()).toBe(new Rng(5).uniform());
    expect(() => toRng(1.5)).toThrow(ValueError);
    const u = Float64Array.from({ length: 1000 }, () => uniformOpen(r));
    expect(Math.min(...u)).toBeGreaterThan(0);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xa);
  });

  it('draws uniforms with the moments of U(0,1) and a small KS statistic', () => {
    const r = new Rng(1);
    const n = 50_000;
    const u = Float64Array.from({ length: n }, () => r.uniform());
    const mean = u.reduce((s, v) => s + v, 0) / n;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(ksStatistic(u, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(1.36 / Math.sqrt(n));
  });

  it('draws N(0,1) normals: |mean| < 0.02, |std − 1| < 0.02, KS < 1.95/√n (99.9% Kolmogorov bound)', () => {
    const r = new Rng(7);
    const n = 40_000;
    const z = r.fillNormal(new Float64Array(n));
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    expect(ksStatistic(z)).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('below(n) covers 0…n−1 uniformly and rejects bad n', () => {
    const r = new Rng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.below(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => r.below(0)).toThrow(ValueError);
    expect(() => new Rng(NaN)).toThrow(ValueError);
  });

  it('normalCdf matches closed values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 13);
  });
});
