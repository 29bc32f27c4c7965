import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { concatWindows, median, patchify, robustSigma } from '../../src/index.js';

const series = (n: number, dt = 0.02) => ({
  timeDays: Float64Array.from({ length: n }, (_, i) => i * dt),
  flux: Float64Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 7) + (i % 5)),
});

describe('patchify', () => {
  it('cuts overlapping windows at a stride, each a shifted copy of the standardised series', () => {
    const lc = series(1000);
    const w = patchify(lc, { patchSize: 8, numPatches: 4, strideCadences: 16 });
    // (1000 − 32) / 16 + 1 = 61 windows starting every 16 cadences.
    expect(w.windows).toBe(61);
    const m = median(lc.flux);
    const s = robustSigma(lc.flux, m);
    for (const k of [0, 1, 60]) for (const i of [0, 5, 31]) expect(w.flux[k * 32 + i]).toBeCloseTo((lc.flux[k * 16 + i]! - m) / s, 5);
    expect(w.fluxScale![0]).toBeCloseTo(s, 4);
    // maxWindows keeps every k-th window.
    const few = patchify(lc, { patchSize: 8, numPatches: 4, strideCadences: 16, maxWindows: 10 });
    expect(few.windows).toBeLessThanOrEqual(10);
    expect(few.flux[32]).toBeCloseTo(w.flux[7 * 32]!, 6);
    expect(() => patchify(lc, { patchSize: 8, numPatches: 4, strideCadences: 0 })).toThrow(ValueError);
  });
  it('averages time stamps that jitter into one cadence cell instead of refusing the file', () => {
    const lc = series(300);
    // Move point 101 onto point 100's cell (a jittered stamp) and drop point 102's stamp.
    const t = lc.timeDays.slice();
    t[101] = t[100]! + 0.004;
    const w = patchify({ timeDays: t, flux: lc.flux }, { patchSize: 10, numPatches: 4, strideCadences: 40 });
    const ref = patchify(lc, { patchSize: 10, numPatches: 4, strideCadences: 40 });
    const s = ref.fluxScale![0]!;
    const m = median(lc.flux);
    // Window 2 covers cadences 80–119: cell 100 holds the mean of points 100 and 101, cell 101 is a gap.
    expect(w.flux[2 * 40 + 20]! * s + m).toBeCloseTo((lc.flux[100]! + lc.flux[101]!) / 2, 3);
    expect(w.mask[2 * 40 + 21]).toBe(0);
    expect(concatWindows([w, ref]).fluxScale!.length).toBe(w.windows + ref.windows);
  });
});
