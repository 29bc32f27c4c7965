import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ready, ShapeError, ValueError } from '@astro/core';
import {
  MinMaxScaling,
  PaynePixelModel,
  chebyshevBasis,
  fitPowerLaw,
  fitSpectrum,
  interpLinear,
  labelMatrix,
  sampleLabels,
  spectraDataset,
} from '../src/index.js';
import { spectra } from './data.js';

/**
 * Property tests of the public entry points: wrong shapes, NaN/±Inf, empty arrays and negative or
 * fractional sizes must give a typed error (ShapeError / ValueError), never a silent NaN or a hang.
 */
const typed = (e: unknown): boolean => e instanceof ShapeError || e instanceof ValueError;
const bad = fc.constantFrom(NaN, Infinity, -Infinity);
const badSize = fc.oneof(fc.integer({ min: -5, max: -1 }), fc.constantFrom(0.5, 2.5, NaN, Infinity));
const finite = (n: number) => fc.array(fc.double({ min: 0.5, max: 10, noNaN: true }), { minLength: n, maxLength: n });
const withBad = (n: number) =>
  fc.tuple(finite(n), fc.nat({ max: n - 1 }), bad).map(([a, i, v]) => {
    a[i] = v;
    return a;
  });

function throwsTyped(f: () => unknown): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(typed(thrown), `expected ShapeError/ValueError, got ${String(thrown)}`).toBe(true);
}
async function rejectsTyped(f: () => Promise<unknown>): Promise<void> {
  let thrown: unknown;
  try {
    await f();
  } catch (e) {
    thrown = e;
  }
  expect(typed(thrown), `expected ShapeError/ValueError, got ${String(thrown)}`).toBe(true);
}

let payne: PaynePixelModel;
beforeAll(async () => {
  await ready({ backend: 'wasm' });
  payne = await PaynePixelModel.load(spectra('payne-apogee-nn'), { pixelRange: [0, 40] }); // a small real model
});
afterAll(() => payne.dispose());

describe('spectral-emulator entry points refuse bad input with typed errors', () => {
  it('labelMatrix and predict: wrong widths, empty input, NaN/±Inf labels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }).filter((c) => c !== 5),
        (c) => {
          throwsTyped(() => payne.predictTensor([Array.from({ length: c }, () => 1)]));
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }).filter((n) => n % 5 !== 0),
        (n) => throwsTyped(() => labelMatrix(new Float64Array(n), 5)),
      ),
    );
    throwsTyped(() => labelMatrix(new Float64Array(0), 5));
    throwsTyped(() => labelMatrix([], 5));
    fc.assert(fc.property(withBad(5), (row) => throwsTyped(() => payne.predictTensor([row]))));
  });

  it('MinMaxScaling, spectraDataset, chebyshevBasis, interpLinear, fitPowerLaw: sizes, lengths, NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain(withBad), (lo) =>
        throwsTyped(
          () =>
            new MinMaxScaling(
              lo,
              lo.map((v) => v + 1),
            ),
        ),
      ),
    );
    fc.assert(
      fc.property(badSize, (c) =>
        throwsTyped(() =>
          MinMaxScaling.fit(
            new Float64Array(6).map((_, i) => i),
            c,
          ),
        ),
      ),
    );
    throwsTyped(() => MinMaxScaling.fit(new Float64Array(0), 2));
    fc.assert(fc.property(badSize, (rows) => throwsTyped(() => spectraDataset(new Float64Array(6), new Float64Array(12), rows))));
    fc.assert(fc.property(withBad(6), (f) => throwsTyped(() => spectraDataset(new Float64Array(6), f, 2))));
    fc.assert(fc.property(badSize, (d) => throwsTyped(() => chebyshevBasis([1, 2, 3], d))));
    fc.assert(fc.property(withBad(4), (wl) => throwsTyped(() => chebyshevBasis(wl, 2))));
    throwsTyped(() => chebyshevBasis([], 1));
    throwsTyped(() => interpLinear([1], [], []));
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), (m) =>
        throwsTyped(() =>
          interpLinear(
            [1],
            Array.from({ length: m }, (_, i) => i),
            new Float64Array(m + 1),
          ),
        ),
      ),
    );
    fc.assert(fc.property(withBad(4), (xp) => throwsTyped(() => interpLinear([1], xp, [1, 2, 3, 4]))));
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 8 }).chain(withBad), (x) =>
        throwsTyped(() =>
          fitPowerLaw(
            x,
            x.map(() => 1),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 8 }).chain(withBad), (l) =>
        throwsTyped(() =>
          fitPowerLaw(
            l.map((_, i) => i + 1),
            l,
          ),
        ),
      ),
    );
  });

  it('fitSpectrum and sampleLabels: flux of the wrong length, nothing usable, bad settings', async () => {
    const y = payne.predictTensor([[5000, 4.5, 0, 0, 6]]);
    const flux = Float64Array.from(await y.data());
    y.dispose();
    const fluxErr = new Float64Array(40).fill(0.01);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }).filter((n) => n !== 40),
        async (n) => {
          await rejectsTyped(() =>
            fitSpectrum(payne, { flux: new Float64Array(n).fill(1), fluxErr: new Float64Array(n).fill(0.01) }, { resample: false }),
          );
        },
      ),
      { numRuns: 15 },
    );
    await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr: fluxErr.slice(1) }));
    await rejectsTyped(() => fitSpectrum(payne, { flux: new Float64Array(40).fill(NaN), fluxErr }));
    await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr: new Float64Array(40).fill(-1) }));
    await fc.assert(
      fc.asyncProperty(badSize, async (v) => {
        await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr }, { starts: v }));
        await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr }, { maxIterations: v }));
        await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr }, { continuumDegree: v }));
      }),
      { numRuns: 12 },
    );
    await fc.assert(
      fc.asyncProperty(bad, async (v) => {
        await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr }, { fitRv: true, initialRvKms: v }));
        await rejectsTyped(() => fitSpectrum(payne, { flux, fluxErr }, { initialLabels: [v, 4.5, 0, 0, 6] }));
      }),
      { numRuns: 6 },
    );
    const start = await fitSpectrum(payne, { flux, fluxErr }, { starts: 4 });
    await fc.assert(
      fc.asyncProperty(badSize, async (v) => {
        await rejectsTyped(() => sampleLabels(payne, { flux, fluxErr }, { start, nSteps: v }));
        await rejectsTyped(() => sampleLabels(payne, { flux, fluxErr }, { start, nWalkers: v }));
        await rejectsTyped(() => sampleLabels(payne, { flux, fluxErr }, { start, nSteps: 20, burn: v }));
      }),
      { numRuns: 12 },
    );
  });
});
