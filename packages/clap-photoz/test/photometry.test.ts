import { describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { parsePhotometry, readPhotometry } from '../src/index.js';

const row = '20.1 18.0 17.1 16.7 16.4 0.11 0.01 0.006 0.006 0.017 0.0932';

describe('photometry reader', () => {
  it('reads the real SDSS train and valid catalogues', async () => {
    const train = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
    const valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
    expect(train.n).toBe(5000);
    expect(valid.n).toBe(1000);
    // first row of train.txt
    expect(train.mag[0]).toBeCloseTo(20.10029602, 8);
    expect(train.magErr[4]).toBeCloseTo(0.01656932, 8);
    expect(train.zSpec![0]).toBeCloseTo(0.0932155, 7);
    const z: number[] = Array.from(train.zSpec!);
    expect(Math.min(...z)).toBeGreaterThan(0);
    expect(Math.max(...z)).toBeLessThan(0.7);
  });

  it('handles missing magnitudes as documented: error by default, drop on request', () => {
    const bad = `${row}\n99 18.0 17.1 16.7 16.4 0.11 0.01 0.006 0.006 0.017 0.1\n${row.replace('16.4', 'nan')}\n${row}`;
    expect(() => parsePhotometry(bad)).toThrow(ValueError);
    expect(() => parsePhotometry(bad)).toThrow(/row 2: u magnitude is missing/);
    const p = parsePhotometry(bad, { onMissing: 'drop' });
    expect(p.n).toBe(2);
    expect(Array.from(p.dropped)).toEqual([1, 2]);
    expect(Array.from(p.rows)).toEqual([0, 3]);
    expect(() => parsePhotometry(row.replace('-99', '').replace('20.1', '-99'))).toThrow(/missing/);
  });

  it('rejects non-positive errors, bad redshifts and wrong column counts', () => {
    expect(() => parsePhotometry(row.replace('0.11', '0'))).toThrow(/u error must be finite and > 0/);
    expect(() => parsePhotometry(row.replace('0.017', '-0.01'))).toThrow(ValueError);
    expect(() => parsePhotometry(row.replace('0.0932', '-0.1'))).toThrow(/z_spec/);
    expect(() => parsePhotometry('1 2 3 4 5 6')).toThrow(FormatError);
    const noZ = parsePhotometry(row.split(' ').slice(0, 10).join(' '));
    expect(noZ.zSpec).toBeUndefined();
  });
});
