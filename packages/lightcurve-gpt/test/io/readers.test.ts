import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { parseFitsLightCurve, parseTextLightCurve, readLightCurve, readTextLightCurve, validateLightCurve } from '../../src/index.js';

const fixtures = join(__dirname, '..', 'fixtures');

describe('text light curves', () => {
  it('reads the real 1-minute Kepler light curve of KIC 1435467', async () => {
    const lc = await readTextLightCurve(dataPath('lightcurves', 'kepler-pysyd', '1435467_LC.txt'));
    expect(lc.timeDays.length).toBe(37919);
    expect(lc.timeDays[1]! - lc.timeDays[0]!).toBeCloseTo(58.85 / 86400, 6); // 1-min (58.85 s) cadence
    expect(lc.flux[0]).toBeCloseTo(0.9998192360278402, 12);
    const auto = await readLightCurve(dataPath('lightcurves', 'kepler-pysyd', '1435467_LC.txt'));
    expect(auto.flux.length).toBe(lc.flux.length);
  });

  it('drops NaN flux rows, sorts and merges repeated stamps, and counts each', () => {
    const lc = parseTextLightCurve('# t f\n0 1\n1 nan\n2 3\n');
    expect(Array.from(lc.timeDays)).toEqual([0, 2]);
    expect(lc).toMatchObject({ rows: 3, droppedNaN: 1, sorted: false, mergedDuplicates: 0 });
    const unsorted = parseTextLightCurve('0 1\n2 5\n1 3\n');
    expect(Array.from(unsorted.timeDays)).toEqual([0, 1, 2]);
    expect(Array.from(unsorted.flux)).toEqual([1, 3, 5]);
    expect(unsorted.sorted).toBe(true);
    const dup = parseTextLightCurve('0 1\n1 1\n1 2\n');
    expect(Array.from(dup.timeDays)).toEqual([0, 1]);
    expect(Array.from(dup.flux)).toEqual([1, 1.5]);
    expect(dup.mergedDuplicates).toBe(1);
    expect(() => parseTextLightCurve('0\n1\n2\n')).toThrow(FormatError);
    expect(() => parseTextLightCurve('0 nan\n1 inf\n')).toThrow(/no rows with finite time and flux/);
  });

  it('validateLightCurve names NaN flux', () => {
    expect(() => validateLightCurve({ timeDays: Float64Array.of(0, 1), flux: Float64Array.of(1, NaN) })).toThrow(/flux\[1\] is NaN/);
  });
});

describe('FITS light curves (astropy-written Kepler LIGHTCURVE table)', () => {
  const bytes = new Uint8Array(readFileSync(join(fixtures, 'kepler_lc_synthetic.fits')));
  const expected = JSON.parse(readFileSync(join(fixtures, 'kepler_lc_synthetic.json'), 'utf8')) as Record<string, number>;

  it('keeps finite, QUALITY == 0 cadences of PDCSAP_FLUX with the strictest mask', () => {
    const lc = parseFitsLightCurve(bytes, { qualityMask: 'hardest' });
    expect(lc.rows).toBe(expected['rows']);
    expect(lc.flux.length).toBe(expected['kept']);
    expect(lc.droppedQuality).toBe(expected['droppedQuality']);
    expect(lc.droppedNaN).toBe(expected['droppedNaN']);
    expect(lc.timeDays[0]).toBe(expected['firstTime']);
    expect(lc.timeDays[lc.timeDays.length - 1]).toBe(expected['lastTime']);
    expect(lc.flux.reduce((a, b) => a + b, 0)).toBeCloseTo(expected['fluxSum']!, 2);
  });

  it("drops only lightkurve's default Kepler flags by default (cosmic ray 128 and thruster 2^19 stay)", () => {
    const strict = parseFitsLightCurve(bytes, { qualityMask: 'hardest' });
    const lc = parseFitsLightCurve(bytes);
    // The fixture flags rows with bits 1, 32, 128 and 2^19; only 1 and 32 are in the default mask.
    expect(lc.droppedQuality).toBe(strict.droppedQuality - 2);
    expect(lc.flux.length).toBe(strict.flux.length + 2);
    expect(() => parseFitsLightCurve(bytes, { qualityMask: -1 })).toThrow(/qualityMask must be/);
  });

  it('honours a quality mask and another flux column', () => {
    expect(parseFitsLightCurve(bytes, { qualityMask: 1 }).flux.length).toBe(expected['keptMaskBit1']);
    const sap = parseFitsLightCurve(bytes, { fluxColumn: 'SAP_FLUX' });
    const pdc = parseFitsLightCurve(bytes);
    expect(sap.flux[0]! / pdc.flux[0]!).toBeCloseTo(1.01, 5);
  });

  it('names a missing column and rejects truncated files', () => {
    expect(() => parseFitsLightCurve(bytes, { fluxColumn: 'KSPSAP_FLUX' })).toThrow(/no column 'KSPSAP_FLUX'.*PDCSAP_FLUX/);
    expect(() => parseFitsLightCurve(bytes.subarray(0, 6000))).toThrow(FormatError);
  });
});

describe('FITS time systems (BJDREFI/BJDREFF/TIMEUNIT/TELESCOP; astropy.time reference values)', () => {
  const tess = JSON.parse(readFileSync(join(fixtures, 'tess_lc_synthetic.json'), 'utf8')) as Record<
    string,
    { first: number; firstBjd: number; lastBjd: number; bjdRefDays: number }
  >;
  const kepler = JSON.parse(readFileSync(join(fixtures, 'kepler_lc_synthetic.json'), 'utf8')) as Record<string, number>;
  const file = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

  it('TESS: TIME is BTJD = BJD − 2457000; time: "bjd" adds the reference', () => {
    const btjd = parseFitsLightCurve(file('tess_lc_synthetic.fits'));
    expect(btjd.telescope).toBe('TESS');
    expect(btjd.bjdRefDays).toBe(2457000);
    expect(btjd.timeSystem).toBe('mission');
    expect(btjd.timeDays[0]).toBe(tess['spoc']!.first);
    const bjd = parseFitsLightCurve(file('tess_lc_synthetic.fits'), { time: 'bjd' });
    expect(bjd.timeSystem).toBe('bjd');
    expect(bjd.timeDays[0]).toBeCloseTo(tess['spoc']!.firstBjd, 8); // 1e-8 d ≈ 1 ms
    expect(bjd.timeDays[bjd.timeDays.length - 1]).toBeCloseTo(tess['spoc']!.lastBjd, 8);
    // Cadence is unchanged by the offset: 2 min (float64 BJD resolves ~40 μs, 7e-7 min).
    expect((bjd.timeDays[1]! - bjd.timeDays[0]!) * 1440).toBeCloseTo(2, 5);
  });

  it('Kepler: BKJD = BJD − 2454833 from the header', () => {
    const lc = parseFitsLightCurve(file('kepler_lc_synthetic.fits'), { time: 'bjd' });
    expect(lc.telescope).toBe('Kepler');
    expect(lc.bjdRefDays).toBe(kepler['bjdRefDays']);
    expect(lc.timeDays[0]).toBeCloseTo(kepler['firstBjd']!, 8);
  });

  it('sums a fractional BJDREFF and falls back to the mission offset when the keywords are absent', () => {
    const frac = parseFitsLightCurve(file('tess_lc_fracref.fits'), { time: 'bjd' });
    expect(frac.bjdRefDays).toBe(2456999.75);
    expect(frac.timeDays[0]).toBeCloseTo(tess['fractional']!.firstBjd, 8);
    const noref = parseFitsLightCurve(file('tess_lc_norefs.fits'), { time: 'bjd' });
    expect(noref.bjdRefDays).toBe(2457000);
    expect(noref.timeDays[0]).toBeCloseTo(tess['noref']!.firstBjd, 8);
  });

  it('refuses BJD without any reference and unknown TIMEUNITs', () => {
    // Same table with TELESCOP and the reference keywords renamed: no way to know the offset.
    const b = file('tess_lc_norefs.fits');
    const text = new TextDecoder('latin1').decode(b);
    const strip = (s: string, from: string, to: string) => {
      const i = s.indexOf(from);
      return i < 0 ? s : s.slice(0, i) + to + s.slice(i + from.length);
    };
    const anon = new Uint8Array(Array.from(strip(text, 'TELESCOP=', 'INSTRUME='), (c) => c.charCodeAt(0)));
    expect(parseFitsLightCurve(anon).bjdRefDays).toBeNull();
    expect(() => parseFitsLightCurve(anon, { time: 'bjd' })).toThrow(/cannot convert TIME to BJD/);
    const hours = new Uint8Array(Array.from(strip(text, "TIMESYS = 'TDB     '", "TIMEUNIT= 'h       '"), (c) => c.charCodeAt(0)));
    expect(() => parseFitsLightCurve(hours)).toThrow(/TIMEUNIT 'h' is not supported/);
  });
});
