import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { readBytes } from '@astro/core/io';
import {
  readLamostLowRes,
  parseLamostLowRes,
  resampleToGrid,
  logLambdaGrid,
  readXpContinuous,
  readXpSampled,
  parseXpContinuous,
  xpInput,
  zscore,
} from '../src/index.js';
import ref from './fixtures/reference.json';

const lamostFile = dataPath('spectra', 'lamost-kic8098300', 'spec-57287-KP193637N444141V03_sp10-161.fits.gz');

describe('LAMOST low-resolution reader (real KIC 8098300 spectrum)', () => {
  it('matches astropy pixel for pixel at sampled positions', async () => {
    const s = await readLamostLowRes(lamostFile);
    expect(s.flux.length).toBe(ref.lamost.pixels);
    expect(s.obsid).toBe(ref.lamost.obsid);
    expect(s.masked).toBe(ref.lamost.masked);
    expect(s.wavelengthAngstrom[0]).toBeCloseTo(ref.lamost.wavelength[0]!, 3);
    expect(s.wavelengthAngstrom[3908]).toBeCloseTo(ref.lamost.wavelength[2]!, 3);
    ref.lamost.flux_at.forEach((p, j) => expect(s.flux[p]).toBeCloseTo(ref.lamost.flux[j]!, 2));
  });
  it('resamples onto a log-λ grid, masking outside the observed range', async () => {
    const s = await readLamostLowRes(lamostFile);
    const grid = logLambdaGrid(3600, 9000, 1000);
    const f = resampleToGrid(s.wavelengthAngstrom, s.flux, grid);
    expect(Number.isNaN(f[0]!)).toBe(true); // 3600 Å is bluer than the first pixel
    expect(Number.isFinite(f[999]!)).toBe(true);
    const z = zscore(f, 1000);
    let masked = 0;
    for (const o of z.observed) masked += 1 - o;
    expect(masked).toBeGreaterThan(0);
    for (const v of z.z) expect(Number.isFinite(v)).toBe(true);
  });
  it('resampling a straight line is exact', () => {
    const f = resampleToGrid([1, 2, 3, 4], [10, 20, 30, 40], [1.5, 2.25, 3.9]);
    expect(Array.from(f)).toEqual([15, 22.5, 39]);
    expect(() => resampleToGrid([1, 2], [1], [1])).toThrow(ShapeError);
  });
  it('rejects a file that is not a LAMOST spectrum', async () => {
    const bytes = await readBytes(lamostFile);
    expect(() => parseLamostLowRes(bytes.slice(0, 2000))).toThrow(FormatError);
  });
});

describe('Gaia XP readers (real DR3 rows)', () => {
  it('reads continuous coefficients and the 64-bit source_id exactly', async () => {
    const rows = await readXpContinuous(dataPath('spectra', 'gaia-xp', 'XP_CONTINUOUS_RAW.csv'));
    expect(rows.length).toBe(ref.gaia_xp.rows);
    const r = rows[0]!;
    expect(r.sourceId).toBe(ref.gaia_xp.source_id);
    expect(r.bp[0]).toBeCloseTo(ref.gaia_xp.bp0, 8);
    expect(r.bp[54]).toBeCloseTo(ref.gaia_xp.bp54, 12);
    expect(r.rp[1]).toBeCloseTo(ref.gaia_xp.rp1, 8);
    const x = xpInput(r);
    expect(x.length).toBe(110);
    expect(x[55]).toBe(1);
    expect(x[0]).toBeCloseTo(ref.gaia_xp.bp0 / ref.gaia_xp.rp0, 6);
  });
  it('reads sampled spectra (343 pixels)', async () => {
    const rows = await readXpSampled(dataPath('spectra', 'gaia-xp', 'XP_SAMPLED_RAW_dr3int6.csv'));
    expect(rows[0]!.flux.length).toBe(343);
    expect(rows[0]!.fluxErr.length).toBe(343);
    expect(rows[0]!.flux[0]).toBeCloseTo(3.3061049e-16, 22);
  });
  it('rejects truncated coefficient tuples and missing columns', () => {
    expect(() => parseXpContinuous('source_id,bp_coefficients\n1,"(1, 2)"\n')).toThrow(FormatError);
    const bad = 'source_id,bp_coefficients,bp_coefficient_errors,rp_coefficients,rp_coefficient_errors\n1,"(1, 2)","(1)","(1)","(1)"\n';
    expect(() => parseXpContinuous(bad)).toThrow(/expected 55 values/);
  });
});

describe('zscore', () => {
  it('standardises over observed pixels and masks NaN', () => {
    const z = zscore([1, 2, NaN, 3, 1, 1, 1, 5], 4);
    expect(z.observed.slice(0, 4)).toEqual(Float32Array.from([1, 1, 0, 1]));
    expect(z.z[2]).toBe(0);
    expect(z.mean[0]).toBeCloseTo(2, 6);
    expect(z.logStd[0]).toBeCloseTo(Math.log(Math.sqrt(2 / 3)), 6);
    expect(z.z[7]).toBeCloseTo((5 - 2) / Math.sqrt(3), 5);
  });
  it('rejects zero-variance spectra, empty spectra and ragged input', () => {
    expect(() => zscore([1, 1, 1, 1], 4)).toThrow(/zero variance/);
    expect(() => zscore([NaN, NaN, 1, NaN], 4)).toThrow(ValueError);
    expect(() => zscore([1, 2, 3], 2)).toThrow(ShapeError);
  });
});
