import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@astro/core';
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

  it('drops NaN flux rows and rejects unsorted or duplicated times', () => {
    const lc = parseTextLightCurve('# t f\n0 1\n1 nan\n2 3\n');
    expect(Array.from(lc.timeDays)).toEqual([0, 2]);
    expect(() => parseTextLightCurve('0 1\n2 1\n1 1\n')).toThrow(/not sorted.*time\[2\]/);
    expect(() => parseTextLightCurve('0 1\n1 1\n1 2\n')).toThrow(ValueError);
    expect(() => parseTextLightCurve('0 1\n1 1\n1 2\n')).toThrow(/duplicated time 1/);
    expect(() => parseTextLightCurve('0\n1\n2\n')).toThrow(FormatError);
  });

  it('validateLightCurve names NaN flux', () => {
    expect(() => validateLightCurve({ timeDays: Float64Array.of(0, 1), flux: Float64Array.of(1, NaN) })).toThrow(/flux\[1\] is NaN/);
  });
});

describe('FITS light curves (astropy-written Kepler LIGHTCURVE table)', () => {
  const bytes = new Uint8Array(readFileSync(join(fixtures, 'kepler_lc_synthetic.fits')));
  const expected = JSON.parse(readFileSync(join(fixtures, 'kepler_lc_synthetic.json'), 'utf8')) as Record<string, number>;

  it('keeps finite, QUALITY == 0 cadences of PDCSAP_FLUX', () => {
    const lc = parseFitsLightCurve(bytes);
    expect(lc.rows).toBe(expected['rows']);
    expect(lc.flux.length).toBe(expected['kept']);
    expect(lc.droppedQuality).toBe(expected['droppedQuality']);
    expect(lc.droppedNaN).toBe(expected['droppedNaN']);
    expect(lc.timeDays[0]).toBe(expected['firstTime']);
    expect(lc.timeDays[lc.timeDays.length - 1]).toBe(expected['lastTime']);
    expect(lc.flux.reduce((a, b) => a + b, 0)).toBeCloseTo(expected['fluxSum']!, 2);
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
