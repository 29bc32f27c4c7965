/**
 * Property-style checks (fast-check) of the ν_max entry points on arbitrary input: wrong
 * lengths, empty arrays, NaN/±Inf, unsorted and repeated stamps, constant flux. Every call
 * either returns a well-formed outcome (finite numbers; ν_max only with `detected: true`) or
 * throws a typed `@astro` error — never a silent NaN, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AstroError, ShapeError, ValueError } from '@astro/core';
import { estimateNumax, parseTextLightCurve, powerDensity, type NumaxResult } from '../../src/index.js';

const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
);

function wellFormed(r: NumaxResult): void {
  expect(Number.isFinite(r.statistic)).toBe(true);
  expect(Number.isFinite(r.nyquistMicroHz)).toBe(true);
  if (r.detected) {
    expect(Number.isFinite(r.numaxMicroHz)).toBe(true);
    expect(Number.isFinite(r.numaxErrMicroHz)).toBe(true);
    expect(r.numaxErrMicroHz).toBeGreaterThan(0);
  } else {
    expect(typeof r.reason).toBe('string');
  }
}

describe('estimateNumax on arbitrary input', () => {
  it('returns a well-formed outcome or throws a typed error (random times, fluxes, lengths)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { maxLength: 400 }),
        fc.array(value, { maxLength: 400 }),
        (t, f) => {
          try {
            wellFormed(estimateNumax({ timeDays: Float64Array.from(t), flux: Float64Array.from(f) }, { trials: 2 }));
          } catch (e) {
            expect(e).toBeInstanceOf(AstroError);
            if (t.length !== f.length || t.length === 0) expect(e).toBeInstanceOf(ShapeError);
            else expect(e).toBeInstanceOf(ValueError);
          }
        },
      ),
      { numRuns: 60, seed: 12 },
    );
  });

  it('regular cadences with NaN sprinkled in: ValueError naming the index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 500 }), fc.nat(), (n, at) => {
        const t = Float64Array.from({ length: n }, (_, i) => i / 48);
        const f = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
        const k = at % n;
        f[k] = NaN;
        expect(() => estimateNumax({ timeDays: t, flux: f })).toThrow(new RegExp(`flux\\[${k}\\] is NaN`));
      }),
      { numRuns: 30, seed: 3 },
    );
  });

  it('empty, wrong-length and flat inputs', () => {
    const t = Float64Array.from({ length: 3000 }, (_, i) => i / 48);
    expect(() => estimateNumax({ timeDays: new Float64Array(0), flux: new Float64Array(0) })).toThrow(ShapeError);
    expect(() => estimateNumax({ timeDays: t, flux: t.subarray(1) })).toThrow(/3000 times but 2999 fluxes/);
    const flat = estimateNumax({ timeDays: t, flux: new Float64Array(3000).fill(1) });
    expect(flat).toMatchObject({ detected: false, code: 'flat' });
    const short = estimateNumax({ timeDays: t.subarray(0, 20), flux: Float64Array.from({ length: 20 }, (_, i) => Math.sin(i)) });
    expect(short).toMatchObject({ detected: false, code: 'too-short' });
    expect(() => estimateNumax({ timeDays: t, flux: t }, { trials: 0 })).toThrow(/trials must be a positive integer/);
    expect(() => estimateNumax({ timeDays: t, flux: t }, { minFrequencyMicroHz: NaN })).toThrow(/minFrequencyMicroHz/);
    expect(() => estimateNumax({ timeDays: t, flux: t }, { threshold: -1 })).toThrow(/threshold/);
    // An explicit range that leaves nothing to search is the caller's error.
    expect(() =>
      estimateNumax({ timeDays: t.subarray(0, 100), flux: t.subarray(0, 100).map(Math.sin) }, { minFrequencyMicroHz: 500 }),
    ).toThrow(ValueError);
  });

  it('absolute flux (e⁻/s) is converted to ppm and said so', () => {
    const t = Float64Array.from({ length: 4000 }, (_, i) => i / 48);
    let s = 9;
    const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const f = t.map(() => 5e4 * (1 + 1e-4 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand())));
    const r = estimateNumax({ timeDays: t, flux: f });
    wellFormed(r);
    expect(r.notes.join(' ')).toMatch(/converted to ppm about the median/);
  });

  it('powerDensity rejects non-finite and mismatched input with typed errors', () => {
    expect(() => powerDensity({ timeDays: Float64Array.of(0, 1, 2), flux: Float64Array.of(0, Infinity, 1) })).toThrow(ValueError);
    expect(() => powerDensity({ timeDays: Float64Array.of(0, 1), flux: Float64Array.of(0) })).toThrow(ShapeError);
  });
});

describe('text light-curve parser on arbitrary text', () => {
  it('returns a sorted, finite light curve or throws a typed error', () => {
    const line = fc.tuple(value, value).map(([a, b]) => `${a} ${b}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.string({ maxLength: 12 })), { maxLength: 60 }), (lines) => {
        try {
          const lc = parseTextLightCurve(lines.join('\n'));
          expect(lc.timeDays.length).toBe(lc.flux.length);
          for (let i = 0; i < lc.flux.length; i++) {
            expect(Number.isFinite(lc.flux[i]!) && Number.isFinite(lc.timeDays[i]!)).toBe(true);
            if (i > 0) expect(lc.timeDays[i]!).toBeGreaterThan(lc.timeDays[i - 1]!);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(AstroError);
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
