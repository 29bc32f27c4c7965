import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../src/data/index.js';
import { column, parseFits, readFits, type FitsFile, type TypedArray } from '../../src/io/index.js';
import { expectFormatError, fixtures, jsonNumber } from './helpers.js';

type Values = (number | string)[];
interface ImageExp {
  type: 'image';
  bitpix: number;
  shape: number[];
  values: Values;
  name?: string;
  cards?: Record<string, string | number>;
}
interface TableExp {
  type: 'table';
  name: string;
  rows: number;
  columns: Record<string, Values | string[] | Values[]>;
}
interface RealFacts {
  labels: {
    hdus: number;
    rows: number;
    primary_naxis1: number;
    first: Record<string, string | number>;
    last: Record<string, string | number>;
    mean: Record<string, number>;
  };
  lrs: { shape: number[]; coeff0: number; coeff1: number; row_sums: number[]; first: number[]; obsid: string; class: string };
  mrs: {
    hdus: number;
    names: string[];
    coadd_b_rows: number;
    coadd_b_first: Record<string, number>;
    coadd_b_flux_sum: number;
    coadd_b_loglam_min: number;
    coadd_b_loglam_max: number;
  };
}
const expected = JSON.parse(readFileSync(join(fixtures, 'fits', 'expected.json'), 'utf8')) as {
  hdus: (ImageExp | TableExp)[];
  real: RealFacts;
};

function expectExact(data: ArrayLike<number | bigint>, want: Values, what: string): void {
  expect(data.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = data[i]!;
    const w = want[i]!;
    if (typeof g === 'bigint') expect(String(g), `${what}[${i}]`).toBe(String(w));
    else expect(Object.is(g, jsonNumber(w)) || g === jsonNumber(w), `${what}[${i}]: ${g} vs ${w}`).toBe(true);
  }
}

function checkAllTypes(f: FitsFile): void {
  expect(f.hdus.length).toBe(expected.hdus.length);
  expected.hdus.forEach((e, i) => {
    const hdu = f.hdus[i]!;
    if (e.type === 'image') {
      expect(hdu.type).toBe('image');
      if (e.name) expect(hdu.name).toBe(e.name);
      const img = hdu.image();
      expect(img.bitpix).toBe(e.bitpix);
      expect(img.shape).toEqual(e.shape);
      expectExact(img.data as ArrayLike<number>, e.values, `HDU ${i}`);
      for (const [k, v] of Object.entries(e.cards ?? {})) expect(hdu.header.get(k), k).toEqual(v);
    } else {
      expect(hdu.type).toBe('bintable');
      const t = hdu.table();
      expect(t.rows).toBe(e.rows);
      for (const [name, want] of Object.entries(e.columns)) {
        const col = column(t, name);
        if (name === 'NAME') expect(col.data).toEqual(want);
        else if (name === 'VAR')
          (col.data as TypedArray[]).forEach((row, r) => expectExact(row as Float64Array, (want as Values[])[r]!, `VAR[${r}]`));
        else expectExact(col.data as ArrayLike<number>, want as Values, name);
      }
    }
  });
}

describe('FITS: every BITPIX, scaling, CONTINUE, and a binary table of every TFORM (numpy-written fixture)', () => {
  const raw = new Uint8Array(readFileSync(join(fixtures, 'fits', 'all_types.fits')));

  it('decodes images with BSCALE/BZERO and the unsigned conventions', () => {
    const f = parseFits(raw);
    checkAllTypes(f);
    expect(f.hdu('IMG16').image().data).toBeInstanceOf(Uint16Array); // BZERO 32768
    expect(f.hdu('IMG64').image().data).toBeInstanceOf(BigInt64Array);
    expect(f.hdu(0).image().data).toBeInstanceOf(Float64Array); // BSCALE 0.5
    expect(f.hdu('img-32').image().data).toBeInstanceOf(Float32Array);
  });

  it('parses header cards: strings with quotes, reals, comments, COMMENT/HISTORY, CONTINUE', () => {
    const h = parseFits(raw).hdus[0]!.header;
    expect(h.get('SIMPLE')).toBe(true);
    expect(h.get('OBJECT')).toBe("M31 'core'");
    expect(h.comment('EXPTIME')).toBe('[s] exposure');
    expect(h.comments).toEqual(['a comment card']);
    expect(h.history).toEqual(['made by io_numpy.py']);
    expect(h.string('LONGSTR')).toMatch(/continue onto the next card, as the CONTINUE convention allows\.$/);
    expect(column(parseFits(raw).hdu('CATALOG').table(), 'flux').unit).toBe('erg/s/cm2/A');
    expect(column(parseFits(raw).hdu('CATALOG').table(), 'INT').shape).toEqual([3]);
  });

  it('reads the same file gzip-compressed', () => {
    checkAllTypes(parseFits(new Uint8Array(readFileSync(join(fixtures, 'fits', 'all_types.fits.gz')))));
  });

  it('reports truncation, missing END, bad BITPIX and heap overruns with byte offsets', () => {
    expectFormatError(
      () => parseFits(raw.subarray(0, raw.length - 2880 * 3)),
      'fits',
      /HDU \d+ at byte \d+ claims \d+ data bytes from byte \d+, but the file ends/,
    );
    expectFormatError(() => parseFits(raw.subarray(0, 2000)), 'fits', /no END card before the file ends at byte 2000/);
    const bad = raw.slice();
    const text = new TextDecoder('latin1').decode(bad.subarray(0, 2880));
    const at = text.indexOf('BITPIX  =') + 10;
    bad.set(new TextEncoder().encode('                  12'), at);
    expectFormatError(() => parseFits(bad), 'fits', /invalid BITPIX 12/);
    const notFits = new Uint8Array(2880).fill(0x20);
    expectFormatError(() => parseFits(notFits), 'fits', /no END card|not a FITS file/);
    expectFormatError(() => parseFits(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3])), 'fits', /gzip/);
    expectFormatError(() => parseFits(raw).hdu('NOPE'), 'fits', /no HDU "NOPE"/);
    expectFormatError(() => parseFits(raw).hdu(0).table(), 'fits', /not a binary table/);
  });
});

describe('FITS: the LAMOST–APOGEE cross-match table (real data)', () => {
  const facts = expected.real.labels;
  it('has 1387 rows with the expected columns and values', async () => {
    const f = await readFits(dataPath('spectra', 'lamost-apogee-crossmatch', 'lamost_labels.fits'));
    expect(f.hdus.length).toBe(facts.hdus);
    expect(f.hdus[0]!.header.get('NAXIS1')).toBe(facts.primary_naxis1);
    const t = f.hdu('Joined').table();
    expect(t.rows).toBe(1387);
    expect(t.columns.map((c) => c.name)).toEqual(['LAMOST_ID', 'RA', 'Dec', 'APOGEE_ID', 'TEFF', 'LOGG', 'PARAM_M_H', 'PARAM_ALPHA_M']);
    for (const [name, v] of Object.entries(facts.first)) {
      const d = column(t, name).data as ArrayLike<number | string>;
      expect(d[0], name).toBe(v);
      expect(d[t.rows - 1], name).toBe(facts.last[name]);
    }
    for (const [name, mean] of Object.entries(facts.mean)) {
      const d = column(t, name).data as Float32Array | Float64Array;
      let s = 0;
      for (const x of d) s += x;
      expect(s / d.length, name).toBeCloseTo(mean, 9);
    }
    const teff = column(t, 'TEFF').data as Float32Array;
    expect(teff).toBeInstanceOf(Float32Array);
    expect(Math.min(...teff)).toBeGreaterThan(3000);
    expect(Math.max(...teff)).toBeLessThan(7000);
    expect((column(t, 'APOGEE_ID').data as string[]).every((s) => /^2M\d{8}[+-]\d{7}$/.test(s))).toBe(true);
  });
});

describe('FITS: LAMOST spectra of KIC 8098300 (real gzipped data)', () => {
  it('low-resolution spectrum: 5 × 3909 float32 image with a log-linear wavelength solution', async () => {
    const e = expected.real.lrs;
    const f = await readFits(dataPath('spectra', 'lamost-kic8098300', 'spec-57287-KP193637N444141V03_sp10-161.fits.gz'));
    const hdu = f.hdus[0]!;
    expect(hdu.header.get('OBSID')).toBe(Number(e.obsid));
    expect(hdu.header.get('CLASS')).toBe(e.class);
    const img = hdu.image();
    expect(img.shape).toEqual(e.shape);
    expect(img.bitpix).toBe(-32);
    const data = img.data as Float32Array;
    for (let r = 0; r < 5; r++) {
      let s = 0;
      for (let i = 0; i < 3909; i++) s += data[r * 3909 + i]!;
      expect(s, `row ${r}`).toBeCloseTo(e.row_sums[r]!, 0);
      expect(data[r * 3909]).toBe(e.first[r]);
    }
    // Row 0 is flux: finite everywhere. Wavelength λ_i = 10^(COEFF0 + i·COEFF1) spans LAMOST's 3700–9100 Å.
    for (let i = 0; i < 3909; i++) expect(Number.isFinite(data[i]!)).toBe(true);
    const c0 = hdu.header.number('COEFF0');
    const c1 = hdu.header.number('COEFF1');
    expect([c0, c1]).toEqual([e.coeff0, e.coeff1]);
    expect(10 ** c0).toBeCloseTo(3699.98, 1);
    expect(10 ** (c0 + 3908 * c1)).toBeCloseTo(9099.13, 1);
  });

  it('medium-resolution file: 21 HDUs with coadded and per-exposure tables', async () => {
    const e = expected.real.mrs;
    const f = await readFits(dataPath('spectra', 'lamost-kic8098300', 'med-58268-HIP95119KP01_sp12-076.fits.gz'));
    expect(f.hdus.length).toBe(e.hdus);
    expect(f.hdus.map((h) => h.name)).toEqual(e.names);
    const t = f.hdu('COADD_B').table();
    expect(t.rows).toBe(e.coadd_b_rows);
    for (const [name, v] of Object.entries(e.coadd_b_first)) expect((column(t, name).data as ArrayLike<number>)[0], name).toBe(v);
    expect(column(t, 'ANDMASK').data).toBeInstanceOf(Int16Array);
    const loglam = column(t, 'LOGLAM').data as Float32Array;
    expect(Math.min(...loglam)).toBe(e.coadd_b_loglam_min);
    expect(Math.max(...loglam)).toBe(e.coadd_b_loglam_max);
    for (let i = 1; i < loglam.length; i++) expect(loglam[i]!).toBeGreaterThan(loglam[i - 1]!);
    let s = 0;
    for (const x of column(t, 'FLUX').data as Float32Array) if (!Number.isNaN(x)) s += x;
    expect(s).toBeCloseTo(e.coadd_b_flux_sum, 3);
    // The blue arm covers the Mg b triplet region, ~4950–5350 Å.
    expect(10 ** loglam[0]!).toBeGreaterThan(4890);
    expect(10 ** loglam[loglam.length - 1]!).toBeLessThan(5400);
  });
});
