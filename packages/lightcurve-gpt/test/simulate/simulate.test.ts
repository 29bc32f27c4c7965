import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import {
  apodization2,
  dnuFromNumax,
  estimateNumax,
  loggFromNumax,
  numaxFromLogg,
  powerDensity,
  simulateStar,
  starPowerDensity,
} from '../../src/index.js';

describe('scaling relations', () => {
  it('the Sun maps to 3090 μHz and back', () => {
    expect(numaxFromLogg(4.438, 5777)).toBeCloseTo(3090, 8);
    expect(loggFromNumax(numaxFromLogg(2.7, 4800), 4800)).toBeCloseTo(2.7, 12);
    expect(dnuFromNumax(3090)).toBeCloseTo(0.263 * 3090 ** 0.772, 10);
  });
});

describe('simulateStar', () => {
  it('its power density follows the model (Parseval normalisation, no gaps, no white noise)', () => {
    const s = simulateStar({ logg: 2.6, durationDays: 120, whiteNoisePpm: 0, gaps: 'none', seed: 3 });
    const p = powerDensity(s);
    const dnu = s.dnuMicroHz;
    let obs = 0;
    let model = 0;
    for (let k = 0; k < p.power.length; k++) {
      const nu = p.frequencyMicroHz[k]!;
      if (nu < 5 || nu > 200) continue;
      obs += p.power[k]!;
      model +=
        starPowerDensity(s.numaxMicroHz, dnu, Math.max(0.1 + 0.002 * s.numaxMicroHz, (1.5 * p.dfMicroHz) / 2), nu) *
        apodization2(nu, p.nyquistMicroHz);
    }
    // ~2700 χ²₂ bins (half-correlated by padding): the ratio is 1 within a few per cent.
    expect(obs / model).toBeGreaterThan(0.9);
    expect(obs / model).toBeLessThan(1.1);
  });

  it('puts the oscillation envelope at the input ν_max (long and short cadence, with gaps)', () => {
    const giant = simulateStar({ logg: 2.5, teffK: 4700, durationDays: 150, seed: 11 });
    const dwarf = simulateStar({ logg: 4.0, teffK: 6000, cadence: 'short', durationDays: 15, seed: 12 });
    for (const s of [giant, dwarf]) {
      const r = estimateNumax(s, { trials: 8 });
      expect(r.detected).toBe(true);
      if (r.detected) expect(Math.abs(r.numaxMicroHz - s.numaxMicroHz) / s.numaxMicroHz).toBeLessThan(0.08);
    }
    expect(giant.timeDays.length).toBeLessThan(Math.round(150 / (29.4244 / 1440)));
  });

  it('is seeded and rejects ν_max above Nyquist', () => {
    const a = simulateStar({ logg: 3, durationDays: 5, seed: 5 });
    const b = simulateStar({ logg: 3, durationDays: 5, seed: 5 });
    expect(Array.from(a.flux.slice(0, 50))).toEqual(Array.from(b.flux.slice(0, 50)));
    expect(() => simulateStar({ logg: 4.4, seed: 1 })).toThrow(ValueError);
    expect(() => simulateStar({ logg: 4.4, seed: 1 })).toThrow(/use cadence 'short'/);
  });
});
