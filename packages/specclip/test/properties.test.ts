import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ready, ShapeError, ValueError } from '@astro/core';
import {
  EmbeddingRegressor,
  QuadraticCannon,
  fitRegressor,
  kFold,
  kthNeighbourScore,
  patchLayout,
  reconstructionScore,
  retrievalAccuracy,
  robustScatter,
  zscore,
} from '../src/index.js';

/**
 * Property tests of the public entry points: wrong shapes, NaN/±Inf, empty arrays and negative or
 * fractional sizes must give a typed error (ShapeError / ValueError), never a silent NaN or a hang.
 */
const typed = (e: unknown): boolean => e instanceof ShapeError || e instanceof ValueError;
const bad = fc.constantFrom(NaN, Infinity, -Infinity);
const badSize = fc.oneof(fc.integer({ min: -5, max: 0 }), fc.constantFrom(0.5, 2.5, NaN, Infinity));
/** A finite float64 array of length n. */
const finite = (n: number) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n });

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
/** Insert one bad value at a random position. */
const withBad = (n: number) =>
  fc.tuple(finite(n), fc.nat({ max: n - 1 }), bad).map(([a, i, v]) => {
    a[i] = v;
    return a;
  });

beforeAll(async () => {
  await ready({ backend: 'wasm' });
});

describe('specclip entry points refuse bad input with typed errors', () => {
  it('zscore: partial rows, empty input, bad widths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 7 }), (w, extra) => {
        throwsTyped(() => zscore(new Float64Array(w * 3 + (extra % w || 1)), w));
      }),
    );
    fc.assert(fc.property(badSize, (w) => throwsTyped(() => zscore(new Float64Array(6), w))));
    throwsTyped(() => zscore(new Float64Array(0), 4));
    // all-NaN or constant spectra cannot be standardised
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), bad, (w, v) => throwsTyped(() => zscore(new Float64Array(w).fill(v), w))));
  });

  it('robustScatter and reconstructionScore: empty, NaN, mismatched or unrowable input', () => {
    throwsTyped(() => robustScatter([]));
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }).chain(withBad), (x) => throwsTyped(() => robustScatter(x))));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (f, n) => {
        throwsTyped(() => reconstructionScore(new Float64Array(n * f), new Float64Array(n * f + 1), f));
      }),
    );
    fc.assert(fc.property(badSize, (f) => throwsTyped(() => reconstructionScore(new Float64Array(4), new Float64Array(4), f))));
    throwsTyped(() => reconstructionScore([], [], 3));
    // a row with no finite entry has no score: an error naming it, not NaN
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), bad, (f, v) => {
        throwsTyped(() =>
          reconstructionScore(
            new Float64Array(2 * f).fill(1),
            Float64Array.from({ length: 2 * f }, (_, i) => (i < f ? 1 : v)),
            f,
          ),
        );
      }),
    );
  });

  it('kFold and patchLayout: sizes that are not positive integers or do not fit', () => {
    fc.assert(fc.property(badSize, fc.integer({ min: 2, max: 10 }), (k, n) => throwsTyped(() => kFold(n, k))));
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), (n) => throwsTyped(() => kFold(n, n + 1))));
    fc.assert(fc.property(badSize, (p) => throwsTyped(() => patchLayout(p))));
    fc.assert(fc.property(fc.integer({ min: 1, max: 19 }), (p) => throwsTyped(() => patchLayout(p))));
  });

  it('kthNeighbourScore and retrievalAccuracy: bad k, widths that differ, NaN embeddings', async () => {
    const rows = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
    ];
    await fc.assert(fc.asyncProperty(badSize, async (k) => rejectsTyped(() => kthNeighbourScore(rows, rows, k))));
    await fc.assert(fc.asyncProperty(badSize, async (k) => rejectsTyped(() => retrievalAccuracy(rows, rows, k))));
    await rejectsTyped(() => kthNeighbourScore(rows, rows, 5));
    await rejectsTyped(() => retrievalAccuracy(rows, rows.slice(1), 2));
    await rejectsTyped(() =>
      retrievalAccuracy(
        rows,
        rows.map((r) => [...r, 0]),
        2,
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 11 }), bad, async (i, v) => {
        const q = rows.map((r) => [...r]);
        q[Math.floor(i / 3)]![i % 3] = v;
        await rejectsTyped(() => kthNeighbourScore(q, rows, 1));
      }),
      { numRuns: 20 },
    );
  });

  it('EmbeddingRegressor / fitRegressor: widths, sizes, NaN embeddings and labels', async () => {
    fc.assert(fc.property(badSize, (d) => throwsTyped(() => new EmbeddingRegressor({ inputs: d, outputs: 1 }))));
    fc.assert(fc.property(badSize, (d) => throwsTyped(() => new EmbeddingRegressor({ inputs: 2, outputs: d }))));
    const reg = new EmbeddingRegressor({ inputs: 3, outputs: 1, hidden: [4], seed: 1 });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 12 }).filter((n) => n % 3 !== 0),
          async (n) => rejectsTyped(() => reg.predict(new Float32Array(n))),
        ),
        { numRuns: 20 },
      );
      await rejectsTyped(() => reg.predict(new Float32Array(0)));
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 5 }), bad, async (i, v) => {
          const x = new Float32Array(6);
          x[i] = v;
          await rejectsTyped(() => reg.predict(x));
          await rejectsTyped(() => fitRegressor(reg, x, new Float32Array(2), { epochs: 1 }));
        }),
        { numRuns: 20 },
      );
      await rejectsTyped(() => fitRegressor(reg, new Float32Array(6), Float32Array.of(1, NaN), { epochs: 1 }));
      await rejectsTyped(() => fitRegressor(reg, new Float32Array(6), new Float32Array(3), { epochs: 1 }));
      await fc.assert(
        fc.asyncProperty(badSize, async (e) =>
          rejectsTyped(() => fitRegressor(reg, new Float32Array(6), new Float32Array(2), { epochs: e })),
        ),
        { numRuns: 20 },
      );
      await fc.assert(
        fc.asyncProperty(badSize, async (b) =>
          rejectsTyped(() => fitRegressor(reg, new Float32Array(6), new Float32Array(2), { epochs: 1, batchSize: b })),
        ),
        { numRuns: 20 },
      );
    } finally {
      reg.dispose();
    }
  });

  it('QuadraticCannon: sizes, partial rows, NaN labels, an unfitted model', () => {
    fc.assert(fc.property(badSize, (l) => throwsTyped(() => new QuadraticCannon({ labels: l, pixels: 4 }))));
    fc.assert(fc.property(badSize, (p) => throwsTyped(() => new QuadraticCannon({ labels: 2, pixels: p }))));
    const c = new QuadraticCannon({ labels: 2, pixels: 3 });
    throwsTyped(() => c.inferLabels({ flux: new Float64Array(3), fluxErr: new Float64Array(3) }));
    throwsTyped(() => c.predictFlux([1, 2]));
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 12 }), fc.nat(), bad, (n, i, v) => {
        const labels = Float64Array.from({ length: 2 * n }, (_, j) => (j * 7919) % 13);
        labels[i % labels.length] = v;
        throwsTyped(() => c.fit({ labels, flux: new Float64Array(3 * n).fill(1), fluxErr: new Float64Array(3 * n).fill(0.1) }));
      }),
    );
    throwsTyped(() => c.fit({ labels: new Float64Array(0), flux: new Float64Array(0), fluxErr: new Float64Array(0) }));
    throwsTyped(() => c.fit({ labels: new Float64Array(20), flux: new Float64Array(31), fluxErr: new Float64Array(31) }));
  });
});
