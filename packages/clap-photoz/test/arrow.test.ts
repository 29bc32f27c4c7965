import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, ValueError } from '@astro/core';
import { arraysToTable, dataPath } from '@astro/core/data';
import { writeArrow } from '@astro/core/io';
import { BANDS, photometryFromArrow, readPhotometry, type Photometry } from '../src/index.js';

describe('Arrow-table input', () => {
  let dir: string;
  let valid: Photometry;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clap-arrow-'));
    valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('vector columns mag/mag_err (FixedSizeList[5]) and z_spec: an Arrow IPC file reads as the text file does', async () => {
    const t = arraysToTable({
      mag: { shape: [valid.n, 5], data: valid.mag },
      mag_err: { shape: [valid.n, 5], data: valid.magErr },
      z_spec: { shape: [valid.n], data: valid.zSpec! },
    });
    await writeArrow(join(dir, 'valid.arrow'), t);
    const back = await readPhotometry(join(dir, 'valid.arrow'));
    expect(back.n).toBe(1000);
    expect(Array.from(back.mag)).toEqual(Array.from(valid.mag));
    expect(Array.from(back.magErr)).toEqual(Array.from(valid.magErr));
    expect(Array.from(back.zSpec!)).toEqual(Array.from(valid.zSpec!));
  });

  it('scalar columns u … z_err (Float32), sentinels dropped on request, bad layouts refused', () => {
    const n = 50;
    const cols: Record<string, { shape: number[]; data: Float32Array }> = {};
    BANDS.forEach((b, k) => {
      cols[b] = { shape: [n], data: Float32Array.from({ length: n }, (_, i) => valid.mag[i * 5 + k]!) };
      cols[`${b}_err`] = { shape: [n], data: Float32Array.from({ length: n }, (_, i) => valid.magErr[i * 5 + k]!) };
    });
    cols['g']!.data[7] = 99;
    const t = arraysToTable(cols);
    expect(() => photometryFromArrow(t)).toThrow(/row 8: g magnitude is missing/);
    const cat = photometryFromArrow(t, { onMissing: 'drop' });
    expect(cat.n).toBe(49);
    expect(Array.from(cat.dropped)).toEqual([7]);
    expect(cat.zSpec).toBeUndefined();
    expect(cat.mag[0]).toBe(Math.fround(valid.mag[0]!));
    cols['r_err']!.data[3] = 0;
    expect(() => photometryFromArrow(arraysToTable(cols), { onMissing: 'drop' })).toThrow(ValueError);
    delete cols['z_err'];
    expect(() => photometryFromArrow(arraysToTable(cols))).toThrow(FormatError);
    const narrow = arraysToTable({
      mag: { shape: [2, 4], data: new Float64Array(8) },
      mag_err: { shape: [2, 4], data: new Float64Array(8) },
    });
    expect(() => photometryFromArrow(narrow)).toThrow(/5-wide/);
  });
});
