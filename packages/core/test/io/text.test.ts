import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../src/data/index.js';
import { numericColumn, parseText, readText, type TextTable } from '../../src/io/index.js';
import { expectFormatError, fixtures } from './helpers.js';

const facts = JSON.parse(readFileSync(join(fixtures, 'text', 'expected.json'), 'utf8')) as Record<
  string,
  { shape: number[]; mean: number[]; first: number[]; last: number[] }
>;

function columnMeans(t: TextTable): number[] {
  return t.names.map((n) => {
    const c = numericColumn(t, n);
    let s = 0;
    for (const v of c) s += v;
    return s / c.length;
  });
}

describe('text tables: the real files, checked against numpy.loadtxt', () => {
  it.each(Object.keys(facts))('%s', async (rel) => {
    const e = facts[rel]!;
    const t = await readText(dataPath(...rel.split('/')));
    expect([t.rows, t.names.length]).toEqual(e.shape);
    const means = columnMeans(t);
    means.forEach((m, i) => expect(m, t.names[i]).toBeCloseTo(e.mean[i]!, 9));
    expect(t.names.map((n) => numericColumn(t, n)[0])).toEqual(e.first);
    expect(t.names.map((n) => numericColumn(t, n)[t.rows - 1])).toEqual(e.last);
  });

  it('SDSS ugriz: 11 unnamed columns, spec-z 0.002–0.64 with median ≈ 0.11', async () => {
    const t = await readText(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
    expect(t.names).toEqual(Array.from({ length: 11 }, (_, i) => `col${i + 1}`));
    const z = Float64Array.from(numericColumn(t, 'col11')).sort();
    expect(z[0]!).toBeGreaterThanOrEqual(0.002);
    expect(z.at(-1)!).toBeLessThanOrEqual(0.64);
    expect(z[z.length >> 1]!).toBeCloseTo(0.11, 1);
  });

  it('pySYD results: pipe-separated with a commented preamble; KIC 1435467 has numax 1382.3 ± 9.1 μHz', async () => {
    const t = await readText(dataPath('lightcurves', 'kepler-pysyd', 'syd_results.txt'));
    expect(t.rows).toBe(526); // the data README says 529; the file (and numpy.loadtxt) has 526
    expect(t.names.slice(0, 4)).toEqual(['KIC', 'range_low', 'range_up', 'numax']);
    const i = numericColumn(t, 'KIC').indexOf(1435467);
    expect(numericColumn(t, 'numax')[i]).toBeCloseTo(1382.3, 1);
    expect(numericColumn(t, 'sig_numax')[i]).toBeCloseTo(9.1, 1);
    expect(numericColumn(t, 'numax')[numericColumn(t, 'KIC').indexOf(2309595)]).toBeCloseTo(643.2, 1);
  });

  it('Kepler light curve: 1-minute cadence (58.85 s) and relative flux near 1', async () => {
    const t = await readText(dataPath('lightcurves', 'kepler-pysyd', '1435467_LC.txt'));
    const time = numericColumn(t, 'col1');
    expect((time[1]! - time[0]!) * 86400).toBeCloseTo(58.85, 1);
    const flux = numericColumn(t, 'col2');
    expect(Math.abs(flux.reduce((a, b) => a + b, 0) / flux.length - 1)).toBeLessThan(1e-3);
  });

  it('CSV with empty fields (NaN) and a Gaia CSV with quoted array fields', async () => {
    const info = await readText(dataPath('lightcurves', 'kepler-pysyd', 'star_info.csv'));
    expect(numericColumn(info, 'star')[0]).toBe(1435467);
    expect(Number.isNaN(numericColumn(info, 'rs')[0])).toBe(true);
    expect(numericColumn(info, 'lower_ex')[0]).toBe(100);
    const xp = await readText(dataPath('spectra', 'gaia-xp', 'XP_SAMPLED_RAW_dr3int6.csv'));
    expect(xp.names.slice(0, 4)).toEqual(['source_id', 'solution_id', 'ra', 'dec']);
    const flux = xp.columns['flux'] as string[];
    expect(flux[0]!.startsWith('(3.3061049E-16, ')).toBe(true);
    expect(flux[0]!.slice(1, -1).split(',').length).toBe(343); // 343 samples, 336–1020 nm every 2 nm
  });

  it('keeps every digit of 64-bit Gaia source_ids (a float64 would round them)', async () => {
    const path = dataPath('spectra', 'gaia-xp', 'XP_CONTINUOUS_RAW_colour_eq_dr3int6.csv');
    const xp = await readText(path);
    const ids = xp.columns['source_id'];
    expect(ids).toBeInstanceOf(BigInt64Array);
    // the literal text of each row's first field, independently of the parser
    const raw = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.slice(0, l.indexOf(',')));
    expect(Array.from(ids as BigInt64Array, String)).toEqual(raw);
    expect(raw.some((s) => !Number.isSafeInteger(Number(s)))).toBe(true);
    expectFormatError(() => numericColumn(xp, 'source_id'), 'text', /beyond 2\^53/);
    // small integers stay float64, and a mix with a fraction stays float64 too
    expect(parseText('a\n1\n2\n').columns['a']).toBeInstanceOf(Float64Array);
    expect(parseText('a\n4345775217221821312\n0.5\n').columns['a']).toBeInstanceOf(Float64Array);
    expect(Array.from(parseText('a\n-9223372036854775808\n9223372036854775807\n').columns['a'] as BigInt64Array)).toEqual([
      -(2n ** 63n),
      2n ** 63n - 1n,
    ]);
  });
});

describe('text tables: parsing rules', () => {
  it('handles quotes, header detection, comments, D exponents and special values', () => {
    const t = parseText('# a comment\nname,x,y\n"Vega, α Lyr",1.5D2,nan\n"say ""hi""",-inf,\n');
    expect(t.names).toEqual(['name', 'x', 'y']);
    expect(t.columns['name']).toEqual(['Vega, α Lyr', 'say "hi"']);
    expect(Array.from(numericColumn(t, 'x'))).toEqual([150, -Infinity]);
    expect(Array.from(numericColumn(t, 'y')).every(Number.isNaN)).toBe(true);
    const w = parseText(' 1  2\n\t3 4\n', { header: ['a', 'b'] });
    expect(Array.from(numericColumn(w, 'b'))).toEqual([2, 4]);
    expect(parseText('% c\n1;2', { delimiter: ';', comment: '%' }).names).toEqual(['col1', 'col2']);
  });

  it('says which line is ragged or badly quoted', () => {
    expectFormatError(() => parseText('a b c\n1 2 3\n4 5\n'), 'text', /line 3 has 2 fields, expected 3/);
    expectFormatError(() => parseText('a,b\n"1,2\n'), 'text', /line 2: unterminated quoted field/);
    expectFormatError(() => parseText(new Uint8Array([0x61, 0xff, 0x0a])), 'text', /not valid UTF-8/);
    expectFormatError(() => numericColumn(parseText('a,b\nx,1\n'), 'a'), 'text', /not numeric/);
  });
});
