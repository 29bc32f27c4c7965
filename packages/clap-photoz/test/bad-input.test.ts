import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AstroError, FileError, ShapeError, ValueError } from '@astro/core';
import {
  ClapPhotoz,
  colourFeatures,
  evaluatePdfs,
  fitStandardizer,
  gridZ,
  normalizePdfs,
  readPhotometry,
  standardize,
  zGrid,
  type PdfSet,
  type Photometry,
} from '../src/index.js';

const grid = zGrid(0, 0.8, 0.0025);

/** m Gaussian PDFs N(0.3, 0.05²) on the default grid, normalised. */
function pdfSet(m: number): PdfSet {
  const p = new Float64Array(m * grid.n);
  for (let i = 0; i < m; i++) for (let j = 0; j < grid.n; j++) p[i * grid.n + j] = Math.exp(-0.5 * ((gridZ(grid, j) - 0.3) / 0.05) ** 2);
  return normalizePdfs(grid, p);
}

describe('fitStandardizer / standardize reject meaningless input', () => {
  it('d = 0 is a ValueError, not an endless loop', () => {
    expect(() => fitStandardizer(new Float64Array([1, 2, 3]), 0)).toThrow(ValueError);
    expect(() => fitStandardizer(new Float64Array([1, 2, 3]), -2)).toThrow(/d \(columns\) must be a positive integer/);
    expect(() => fitStandardizer(new Float64Array([1, 2, 3]), 1.5)).toThrow(ValueError);
  });
  it('a length that is not a whole number of rows is a ShapeError (not NaN means)', () => {
    expect(() => fitStandardizer(new Float64Array([1, 2, 3, 4, 5, 6, 7]), 5)).toThrow(ShapeError);
    expect(() => fitStandardizer(new Float64Array([1, 2, 3, 4, 5, 6, 7]), 5)).toThrow(/length 7, not a multiple of d = 5/);
    expect(() => fitStandardizer(new Float64Array(0), 5)).toThrow(/empty/);
    expect(() => standardize(new Float64Array(7), { mean: [0, 0], std: [1, 1] })).toThrow(ShapeError);
  });
  it('NaN or Inf names the row and column', () => {
    expect(() => fitStandardizer(new Float64Array([1, 2, 3, NaN]), 2)).toThrow(/NaN at row 1, column 1/);
    expect(() => fitStandardizer(new Float64Array([Infinity, 2]), 2)).toThrow(ValueError);
  });
  it('still gives numpy’s mean and population std (ddof = 0) on good input', () => {
    const s = fitStandardizer(new Float64Array([1, 10, 3, 20, 5, 60]), 2);
    expect(s.mean[0]).toBeCloseTo(3, 14);
    expect(s.mean[1]).toBeCloseTo(30, 14);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 14);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(1400 / 3), 12);
  });
});

describe('evaluatePdfs rejects what is not a set of normalised densities', () => {
  const z = [0.3, 0.31, 0.29];
  it('accepts normalised Gaussians', () => {
    const m = evaluatePdfs(pdfSet(3), z);
    expect(m.n).toBe(3);
    expect(Number.isFinite(m.crps)).toBe(true);
  });
  it('negative, NaN, all-zero and unnormalised (×100) densities → ValueError naming the PDF', () => {
    const neg = pdfSet(3);
    neg.p[grid.n + 10] = -0.5;
    expect(() => evaluatePdfs(neg, z)).toThrow(/PDF 1 has -0.5 at grid point 10/);
    const nan = pdfSet(3);
    nan.p[2 * grid.n + 7] = NaN;
    expect(() => evaluatePdfs(nan, z)).toThrow(ValueError);
    expect(() => evaluatePdfs(nan, z)).toThrow(/PDF 2 has NaN/);
    const zero = pdfSet(3);
    zero.p.fill(0, 0, grid.n);
    expect(() => evaluatePdfs(zero, z)).toThrow(/PDF 0 integrates to 0/);
    const big = pdfSet(3);
    for (let i = 0; i < big.p.length; i++) big.p[i] = big.p[i]! * 100;
    expect(() => evaluatePdfs(big, z)).toThrow(/integrates to 100.* normalise with normalizePdfs/);
    // the documented way in: normalise first
    expect(evaluatePdfs(normalizePdfs(grid, big.p), z).crps).toBeCloseTo(evaluatePdfs(pdfSet(3), z).crps, 12);
  });
  it('a wrong-length p, m = 0 or a wrong number of redshifts → ShapeError naming the argument', () => {
    const s = pdfSet(3);
    expect(() => evaluatePdfs({ ...s, p: s.p.subarray(0, s.p.length - 1) }, z)).toThrow(
      /pdfs.p has length 962, expected m × grid.n = 3 × 321/,
    );
    expect(() => evaluatePdfs({ ...s, m: 0, p: new Float64Array(0) }, [])).toThrow(ShapeError);
    expect(() => evaluatePdfs(s, [0.3])).toThrow(/3 PDFs but zSpec has 1/);
    expect(() => evaluatePdfs(s, [0.3, NaN, 0.2])).toThrow(/z_spec\[1\] = NaN is outside the redshift grid/);
  });
});

describe('ClapPhotoz: meaningless settings fail before any training', () => {
  it('realisations 0, negative, fractional → ValueError at construction', () => {
    expect(() => new ClapPhotoz({ realisations: 0 })).toThrow(/realisations must be a positive integer, got 0/);
    expect(() => new ClapPhotoz({ realisations: -1 })).toThrow(ValueError);
    expect(() => new ClapPhotoz({ realisations: 1.5 })).toThrow(ValueError);
    expect(() => new ClapPhotoz({ adaptive: { kGrid: [], window: 50, bandwidth: 0.01 } })).toThrow(/kGrid/);
    expect(() => new ClapPhotoz({ adaptive: { kGrid: [5], window: 5, bandwidth: 0 } })).toThrow(/bandwidth/);
  });
  it('fit with epochs 0 / −1, batchSize 0, lr NaN, or too few galaxies → ValueError before training', async () => {
    const cat = tinyCatalogue(30);
    const m = new ClapPhotoz({ realisations: 1 });
    await expect(m.fit(cat, { epochs: 0 })).rejects.toThrow(/epochs must be a positive integer, got 0/);
    await expect(m.fit(cat, { epochs: -1 })).rejects.toThrow(ValueError);
    await expect(m.fit(cat, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(m.fit(cat, { lr: NaN })).rejects.toThrow(/lr must be/);
    await expect(m.fit(cat)).rejects.toThrow(/30 training galaxies; the adaptive KNN needs more than 80/);
    expect(m.fitted).toBe(false);
  });
});

/** n galaxies with plausible magnitudes, errors 0.05 and z_spec. */
function tinyCatalogue(n: number): Photometry {
  const mag = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) for (let b = 0; b < 5; b++) mag[i * 5 + b] = 19 - b * 0.4 + 0.01 * i;
  return {
    n,
    mag,
    magErr: new Float64Array(n * 5).fill(0.05),
    rows: Int32Array.from({ length: n }, (_, i) => i),
    dropped: new Int32Array(0),
    zSpec: Float64Array.from({ length: n }, (_, i) => 0.05 + 0.001 * i),
  };
}

describe('readPhotometry names the file in every error', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photoz-bad-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['missing file', async () => join(dir, 'nope.txt'), /nope\.txt: no such file or directory/],
    [
      'a directory',
      async () => {
        const d = join(dir, 'adir');
        await mkdir(d);
        return d;
      },
      /adir: is a directory/,
    ],
    [
      'empty file',
      async () => {
        const f = join(dir, 'empty.txt');
        await writeFile(f, '');
        return f;
      },
      /empty\.txt: is empty/,
    ],
    [
      'random bytes',
      async () => {
        const f = join(dir, 'rand.txt');
        await writeFile(f, Buffer.from([0xff, 0xfe, 0x00, 0x81, 0xc3, 0x28, 0x9f]));
        return f;
      },
      /rand\.txt.*not valid UTF-8/,
    ],
    [
      'truncated Arrow',
      async () => {
        const f = join(dir, 'cut.arrow');
        await writeFile(f, Buffer.from('ARROW1\0\0\xff\xff', 'latin1'));
        return f;
      },
      /cut\.arrow/,
    ],
    [
      'non-numeric column',
      async () => {
        const f = join(dir, 'text.txt');
        await writeFile(f, '20 19 18 17 16 0.1 0.1 0.1 0.1 0.1 abc\n');
        return f;
      },
      /text\.txt.*not numeric/,
    ],
    [
      'NaN magnitude',
      async () => {
        const f = join(dir, 'nan.txt');
        await writeFile(f, '20 NaN 18 17 16 0.1 0.1 0.1 0.1 0.1 0.1\n');
        return f;
      },
      /nan\.txt: photometry: row 1: g magnitude is missing/,
    ],
    [
      'Inf error',
      async () => {
        const f = join(dir, 'inf.txt');
        await writeFile(f, '20 19 18 17 16 0.1 Infinity 0.1 0.1 0.1 0.1\n');
        return f;
      },
      /inf\.txt: photometry: row 1: g error must be finite/,
    ],
  ];
  for (const [name, make, re] of cases) {
    it(name, async () => {
      const f = await make();
      const err = await readPhotometry(f).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AstroError);
      expect(String((err as Error).message)).toMatch(re);
    });
  }
  it('a missing file is a FileError', async () => {
    await expect(readPhotometry(join(dir, 'nope.txt'))).rejects.toThrow(FileError);
  });
});

describe('property: random wrong shapes, NaN, empty arrays and negative sizes → typed error, never NaN or a hang', () => {
  const typed = (f: () => unknown): boolean => {
    try {
      const r = f();
      return r === 'ok';
    } catch (e) {
      return e instanceof ShapeError || e instanceof ValueError;
    }
  };
  it('fitStandardizer', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.constant(NaN)), { maxLength: 40 }), fc.integer({ min: -3, max: 7 }), (xs, d) =>
        typed(() => {
          const s = fitStandardizer(Float64Array.from(xs), d);
          return [...s.mean, ...s.std].every(Number.isFinite) ? 'ok' : 'NaN';
        }),
      ),
      { numRuns: 300 },
    );
  });
  it('evaluatePdfs', () => {
    const good = pdfSet(2);
    fc.assert(
      fc.property(
        fc.integer({ min: -2, max: 4 }),
        fc.integer({ min: -3, max: 3 }),
        fc.option(
          fc.tuple(
            fc.nat({ max: 2 * grid.n - 1 }),
            fc.oneof(fc.constant(NaN), fc.constant(-1), fc.constant(Infinity), fc.double({ min: 0, max: 50 })),
          ),
          { nil: undefined },
        ),
        fc.array(fc.oneof(fc.double({ min: -1, max: 2 }), fc.constant(NaN)), { maxLength: 4 }),
        (m, dLen, poke, zs) =>
          typed(() => {
            const p = new Float64Array(Math.max(0, 2 * grid.n + dLen));
            p.set(good.p.subarray(0, Math.min(p.length, good.p.length)));
            if (poke && poke[0] < p.length) p[poke[0]] = poke[1];
            const r = evaluatePdfs({ grid, m, p }, zs);
            return Number.isFinite(r.crps) && Number.isFinite(r.pitKS) ? 'ok' : 'NaN';
          }),
      ),
      { numRuns: 300 },
    );
  });
  it('colourFeatures and ClapPhotoz settings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2, max: 4 }),
        fc.array(fc.oneof(fc.double({ min: 10, max: 25 }), fc.constant(NaN)), { maxLength: 20 }),
        fc.integer({ min: -3, max: 3 }),
        (n, mags, r) =>
          typed(() => {
            const f = colourFeatures({ ...tinyCatalogue(1), n, mag: Float64Array.from(mags) });
            new ClapPhotoz({ realisations: r });
            return f.every(Number.isFinite) ? 'ok' : 'NaN';
          }),
      ),
      { numRuns: 300 },
    );
  });
});
