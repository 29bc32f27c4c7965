import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePeer } from '../../src/testing/index.js';
import { dataPath } from '../../src/data/index.js';
import { ShapeError, ValueError } from '../../src/errors/index.js';
import { encodeNpy, parseNpy, parseNpz, readNpy, readNpz, writeNpy, type NpyArray } from '../../src/io/index.js';
import { expectFormatError, fixtures, jsonNumber, python, tempDir } from './helpers.js';

type Values = (number | string)[];
const dir = join(fixtures, 'npy');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, unknown>;

/** Compare decoded data with fixture values exactly (NaN, ±0 and 64-bit integers included). */
function expectValues(a: NpyArray, want: Values, what: string): void {
  expect(a.data.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = a.data[i]!;
    const w = want[i]!;
    if (typeof g === 'bigint') expect(String(g), `${what}[${i}]`).toBe(String(w));
    else expect(Object.is(g, jsonNumber(w)) || g === jsonNumber(w), `${what}[${i}]: ${g} vs ${w}`).toBe(true);
  }
}

describe('npy: files written by numpy.save', () => {
  const cases = Object.entries(expected).filter(([k]) => !k.includes(':') && k !== 'real') as [
    string,
    { dtype: string; shape: number[]; values: Values },
  ][];

  it.each(cases.map(([k]) => k))('%s', (name) => {
    const e = (expected as Record<string, { dtype: string; shape: number[]; values: Values }>)[name]!;
    const a = parseNpy(new Uint8Array(readFileSync(join(dir, `${name}.npy`))));
    expect(a.dtype).toBe(e.dtype === 'F16' ? 'F16' : e.dtype.replace('F8', 'F64'));
    expect(a.shape).toEqual(e.shape);
    expectValues(a, e.values, name);
  });

  it('returns typed arrays of the natural kind (F16 widened exactly, 64-bit as BigInt)', async () => {
    expect((await readNpy(join(dir, 'f2.npy'))).data).toBeInstanceOf(Float32Array);
    expect((await readNpy(join(dir, 'i8.npy'))).data).toBeInstanceOf(BigInt64Array);
    expect((await readNpy(join(dir, 'u8_big.npy'))).data).toBeInstanceOf(BigUint64Array);
    expect((await readNpy(join(dir, 'i4_fortran.npy'))).data).toBeInstanceOf(Int32Array);
  });
});

describe('npz: numpy.savez (stored) and savez_compressed (deflated)', () => {
  it('reads every member of a stored archive', async () => {
    const z = await readNpz(join(dir, 'stored.npz'));
    const e = expected['npz:stored'] as Record<string, Values>;
    expect(Object.keys(z).sort()).toEqual(['a', 'labels', 'mask']);
    expect(z['a']!.shape).toEqual([3, 4, 2]);
    expectValues(z['a']!, e['a']!, 'a');
    expectValues(z['labels']!, e['labels']!, 'labels');
    expectValues(z['mask']!, e['mask']!, 'mask');
  });

  it('reads a deflated archive with a big-endian Fortran-order member, and selects names', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'deflated.npz')));
    const z = parseNpz(bytes);
    const e = expected['npz:deflated'] as Record<string, Values>;
    expectValues(z['a']!, e['a']!, 'a');
    expect(z['flux']!.shape).toEqual([3, 4]);
    expectValues(z['flux']!, e['flux']!, 'flux');
    expect(Object.keys(parseNpz(bytes, { names: ['flux'] }))).toEqual(['flux']);
  });
});

describe('npy: the real spectra in shared data', () => {
  const real = expected['real'] as Record<string, { descr: string; shape: number[]; first: Values; last: number; sum: number }>;
  it.each(Object.keys(real))('%s', async (rel) => {
    const e = real[rel]!;
    const a = await readNpy(dataPath(...rel.split('/')));
    expect(a.shape).toEqual(e.shape);
    const x = Array.from(a.data as ArrayLike<number>, Number);
    expect(x.slice(0, 5)).toEqual(e.first.map(jsonNumber));
    expect(x.at(-1)).toBe(e.last);
    let s = 0;
    for (const v of x) s += v;
    expect(s).toBeCloseTo(e.sum, 6);
  });

  it('korg grid: 198 spectra × 500 pixels on 5000–5010 Å with labels in range', async () => {
    const base = ['spectra', 'korg-regular-flux'];
    const wl = await readNpy(dataPath(...base, 'wavelength.npy'));
    const p = await readNpy(dataPath(...base, 'parameters.npy'));
    const f = await readNpy(dataPath(...base, 'normalized_flux.npy'));
    expect(f.shape).toEqual([198, 500]);
    expect(p.shape).toEqual([198, 3]);
    expect(wl.data[0]).toBeCloseTo(5000, 3);
    expect(wl.data[499]).toBeCloseTo(5010, 3);
    const pd = p.data as Float64Array;
    for (let i = 0; i < 198; i++) {
      expect(pd[3 * i]!).toBeGreaterThan(3000);
      expect(pd[3 * i]!).toBeLessThan(8000);
    }
    const fd = f.data as ArrayLike<number>;
    for (let i = 0; i < fd.length; i++) if (!(fd[i]! > 0 && fd[i]! < 1.2)) throw new Error(`flux[${i}] = ${fd[i]}`);
  });
});

describePeer('numpy', 'npy: files we write, read by numpy.load', () => {
  const cases: [string, Parameters<typeof encodeNpy>[0], Values][] = [
    ['f64 matrix', { shape: [2, 3], data: Float64Array.from([1, -2.5, Math.PI, 1e-300, -0, 7]) }, [1, -2.5, Math.PI, 1e-300, 0, 7]],
    ['f32 vector', { shape: [4], data: Float32Array.from([0.1, 2, -3, 1e30]) }, Array.from(Float32Array.from([0.1, 2, -3, 1e30]))],
    ['f16', { shape: [3], data: [0.1, 65504, -1e-6], dtype: 'F16' }, Array.from(Float32Array.from([0.1, 65504, -1e-6]))],
    ['i64', { shape: [2], data: BigInt64Array.from([-(2n ** 62n), 5n]) }, [String(-(2n ** 62n)), 5]],
    ['u16', { shape: [2, 1], data: Uint16Array.from([0, 65535]) }, [0, 65535]],
    ['bool', { shape: [3], data: [1, 0, 1], dtype: 'BOOL' }, [1, 0, 1]],
    ['scalar', { shape: [], data: [42] }, [42]],
  ];

  it.each(cases)('%s', async (_name, input, values) => {
    const tmp = tempDir();
    const file = join(tmp, 'a.npy');
    await writeNpy(file, input);
    const bytes = encodeNpy(input);
    const headerEnd = bytes.indexOf(0x0a) + 1;
    expect(headerEnd % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back.shape).toEqual([...input.shape]);
    expect(back.dtype).toBe(input.dtype ?? back.dtype);
    writeFileSync(join(tmp, 'spec.json'), JSON.stringify({ dtype: back.dtype, shape: input.shape, values }));
    const r = python('io_numpy.py', ['verify', file, join(tmp, 'spec.json')]);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; problems: string[] };
    expect(report.problems, r.stderr).toEqual([]);
    expect(r.status).toBe(0);
  });
});

describe('npy: what we refuse to write', () => {
  it('refuses BF16, mismatched shapes and out-of-range values', () => {
    expect(() => encodeNpy({ shape: [1], data: [1], dtype: 'BF16' })).toThrow(ValueError);
    expect(() => encodeNpy({ shape: [2], data: [1] })).toThrow(ShapeError);
    expect(() => encodeNpy({ shape: [1], data: [70000], dtype: 'U16' })).toThrow(ValueError);
  });
});

describe('npy/npz: corrupt files', () => {
  const good = encodeNpy({ shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) });
  const withDict = (dict: string, dataBytes = 16): Uint8Array => {
    const out = new Uint8Array(10 + dict.length + dataBytes);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(out.buffer).setUint16(8, dict.length, true);
    for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
    return out;
  };

  it('names the byte offset of bad magic, truncation and header lies', () => {
    const bad = good.slice();
    bad[3] = 0x41;
    expectFormatError(() => parseNpy(bad), 'npy', /bad magic at byte 3/);
    expectFormatError(
      () => parseNpy(good.subarray(0, good.length - 3)),
      'npy',
      /at byte 128 needs bytes 128\.\.144 but the file ends at byte 141/,
    );
    const lie = good.slice();
    new DataView(lie.buffer).setUint16(8, 60000, true);
    expectFormatError(() => parseNpy(lie), 'npy', /header \(60000 bytes claimed at byte 8\)/);
    expectFormatError(
      () => parseNpy(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }")),
      'npy',
      /needs bytes \d+\.\.40000000\d+ but the file ends/,
    );
    expectFormatError(
      () => parseNpy(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }")),
      'npy',
      /too large/,
    );
  });

  it('refuses unknown dtypes and malformed dicts', () => {
    expectFormatError(
      () => parseNpy(withDict("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }")),
      'npy',
      /unsupported dtype '<c16'/,
    );
    expectFormatError(() => parseNpy(withDict("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }")), 'npy', /structured/);
    expectFormatError(() => parseNpy(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")), 'npy', /bad dimension -1/);
    expectFormatError(() => parseNpy(withDict("{'descr': '<f4' 'fortran_order'}")), 'npy', /expected ','/);
  });

  it('refuses npz members with bad CRCs, sizes beyond deflate ratios, or no directory', () => {
    const z = new Uint8Array(readFileSync(join(dir, 'stored.npz')));
    const flipped = z.slice();
    flipped[200]! ^= 0xff; // inside the first member's data
    expectFormatError(() => parseNpz(flipped), 'npz', /CRC-32 mismatch|member 'a\.npy'/);
    expectFormatError(() => parseNpz(z.subarray(0, 100)), 'npz', /end-of-central-directory/);
    const d = new Uint8Array(readFileSync(join(dir, 'deflated.npz')));
    // Claim a 3 GB uncompressed size in the first central-directory entry.
    const dv = new DataView(d.buffer, d.byteOffset);
    const eocd = d.length - 22;
    const cd = dv.getUint32(eocd + 16, true);
    const lying = d.slice();
    new DataView(lying.buffer).setUint32(cd + 24, 3_000_000_000, true);
    expectFormatError(() => parseNpz(lying), 'npz', /beyond deflate's maximum ratio/);
  });
});
