import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePeer } from '../../src/testing/index.js';
import { dataPath } from '../../src/data/index.js';
import { ShapeError, ValueError } from '../../src/errors/index.js';
import { ready, tf } from '../../src/index.js';
import {
  encodeSafetensors,
  encodeTensors,
  parseSafetensors,
  readSafetensors,
  readSafetensorsHeader,
  safetensorsToTensors,
  toNumberArray,
  writeSafetensors,
  type SafetensorsInput,
} from '../../src/io/index.js';
import { expectFormatError, fixtures, jsonNumber, python, tempDir } from './helpers.js';

interface FixtureJson {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
}

describe('safetensors: files written with PyTorch', () => {
  const bytes = new Uint8Array(readFileSync(join(fixtures, 'torch_dtypes.safetensors')));
  const expected = JSON.parse(readFileSync(join(fixtures, 'torch_dtypes.json'), 'utf8')) as FixtureJson;
  const file = parseSafetensors(bytes);

  it('has the same names, dtypes, shapes and metadata', () => {
    expect(file.metadata).toEqual(expected.metadata);
    expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, e] of Object.entries(expected.tensors)) {
      expect(file.tensors[name]!.dtype, name).toBe(e.dtype);
      expect(file.tensors[name]!.shape, name).toEqual(e.shape);
    }
  });

  it('decodes every dtype to exactly the values PyTorch decodes (F16/BF16 specials included)', () => {
    for (const [name, e] of Object.entries(expected.tensors)) {
      const t = file.tensors[name]!;
      expect(t.data.length, name).toBe(e.values.length);
      if (e.dtype === 'I64') {
        expect(Array.from(t.data as BigInt64Array, String), name).toEqual(e.values);
      } else {
        const got = Array.from(t.data as Float32Array, Number);
        const want = e.values.map(jsonNumber);
        for (let i = 0; i < want.length; i++)
          expect(Object.is(got[i], want[i]) || got[i] === want[i], `${name}[${i}] ${got[i]} vs ${want[i]}`).toBe(true);
      }
    }
    expect(file.tensors['f16.specials']!.data).toBeInstanceOf(Float32Array);
    expect(file.tensors['bool.mask']!.data).toBeInstanceOf(Uint8Array);
  });

  it('converts I64 to numbers only when exact', () => {
    const i64 = file.tensors['i64.values']!.data as BigInt64Array;
    expect(Array.from(toNumberArray(i64.subarray(0, 5)))).toEqual([0, -1, 2 ** 31, -(2 ** 40), 2 ** 53 - 1]);
    expect(() => toNumberArray(i64, 'i64.values')).toThrow(ValueError);
    expect(() => toNumberArray(i64, 'i64.values')).toThrow(/i64\.values\[5\]/);
  });

  it('decodes only the requested names', () => {
    const some = parseSafetensors(bytes, { names: ['u8.values'] });
    expect(Object.keys(some.tensors)).toEqual(['u8.values']);
    expect(Array.from(some.tensors['u8.values']!.data as Uint8Array)).toEqual([0, 1, 128, 255]);
  });
});

describe('safetensors: files we write, read back by PyTorch', () => {
  const specials = [0, -0, 1, -2.5, 1e-8, 6e-5, 65504, 70000, 1e-40, 3.4e38, Infinity, -Infinity, 0.1, 1 / 3, 65519, 65520];
  const f32 = Float32Array.from(specials);
  const rand = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 12.9898) * 437.5453);
  const tensors: Record<string, SafetensorsInput> = {
    'f32.specials': { shape: [f32.length], data: f32 },
    'f16.specials': { shape: [f32.length], data: f32, dtype: 'F16' },
    'bf16.specials': { shape: [f32.length], data: f32, dtype: 'BF16' },
    'f16.rand': { shape: [3, 4, 5], data: rand, dtype: 'F16' },
    'bf16.rand': { shape: [6, 10], data: rand, dtype: 'BF16' },
    'f64.rand': { shape: [2, 30], data: Float64Array.from(rand, (x) => x / 7) },
    'i64.big': { shape: [4], data: BigInt64Array.from([0n, -1n, 2n ** 62n, -(2n ** 63n)]) },
    'i64.numbers': { shape: [3], data: [1, -2, 2 ** 53 - 1], dtype: 'I64' },
    'i32.x': { shape: [2, 2], data: Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 0, 5]) },
    'i16.x': { shape: [2], data: Int16Array.from([-32768, 32767]) },
    'i8.x': { shape: [2], data: Int8Array.from([-128, 127]) },
    'u8.x': { shape: [3], data: Uint8Array.from([0, 200, 255]) },
    'bool.x': { shape: [2, 2], data: [true, false, false, true], dtype: 'BOOL' },
    empty: { shape: [0, 4], data: new Float32Array(0) },
    'blocks.0.attn.q.weight': { shape: [], data: [3.5] },
  };
  const metadata = { format: 'pt', note: 'written by @astro/core' };

  it('pads the header to 8 bytes, keeps metadata, and round-trips in JS', () => {
    const bytes = encodeSafetensors(tensors, { metadata });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual(metadata);
    expect(Array.from(back.tensors['f32.specials']!.data as Float32Array)).toEqual(Array.from(f32));
    expect(back.tensors['f16.rand']!.shape).toEqual([3, 4, 5]);
    // F16 keeps ~11 significant bits: relative error ≤ 2^-11 for normal values.
    const f16 = back.tensors['f16.rand']!.data as Float32Array;
    for (let i = 0; i < rand.length; i++) expect(Math.abs(f16[i]! - rand[i]!)).toBeLessThanOrEqual(Math.abs(rand[i]!) * 2 ** -11 + 1e-7);
    expect(Array.from(back.tensors['bool.x']!.data as Uint8Array)).toEqual([1, 0, 0, 1]);
    expect(back.tensors['i64.big']!.data).toEqual(BigInt64Array.from([0n, -1n, 2n ** 62n, -(2n ** 63n)]));
    // Every tensor's data starts 8-byte aligned in the file (largest dtypes first).
    const header = readSafetensorsHeader(bytes);
    expect(header.dataStart % 8).toBe(0);
    for (const [name, info] of header.entries)
      if (info.dtype === 'F64' || info.dtype === 'I64') expect(info.dataOffsets[0] % 8, name).toBe(0);
  });

  describePeer('torch', 'read back by PyTorch', () => {
    it('is read by PyTorch with the values PyTorch itself rounds to (python3-torch)', async () => {
      const dir = tempDir();
      const file = join(dir, 'ours.safetensors');
      await writeSafetensors(file, tensors, { metadata });
      const toJson = (v: number | bigint | boolean): number | string =>
        typeof v === 'bigint'
          ? String(v)
          : typeof v === 'boolean'
            ? Number(v)
            : Object.is(v, -0)
              ? '-0'
              : Number.isFinite(v)
                ? v
                : v > 0
                  ? 'inf'
                  : '-inf';
      const spec = {
        metadata,
        tensors: Object.fromEntries(
          Object.entries(tensors).map(([name, t]) => {
            const dtype =
              t.dtype ??
              (t.data instanceof Float64Array
                ? 'F64'
                : t.data instanceof BigInt64Array
                  ? 'I64'
                  : t.data instanceof Int32Array
                    ? 'I32'
                    : t.data instanceof Int16Array
                      ? 'I16'
                      : t.data instanceof Int8Array
                        ? 'I8'
                        : t.data instanceof Uint8Array
                          ? 'U8'
                          : 'F32');
            return [name, { dtype, shape: t.shape, values: Array.from(t.data as ArrayLike<number>, toJson) }];
          }),
        ),
      };
      writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
      const r = python('safetensors_torch.py', ['verify', file, join(dir, 'spec.json')]);
      const report = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; problems: string[]; checked: string[] };
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.checked).toEqual(Object.keys(tensors).sort());
      expect(r.status).toBe(0);
    });
  });

  it('refuses shapes that do not match, values a dtype cannot hold, and a reserved name', () => {
    expect(() => encodeSafetensors({ a: { shape: [2, 2], data: [1, 2, 3] } })).toThrow(ShapeError);
    expect(() => encodeSafetensors({ a: { shape: [1], data: [300], dtype: 'U8' } })).toThrow(ValueError);
    expect(() => encodeSafetensors({ a: { shape: [1], data: [1.5], dtype: 'I32' } })).toThrow(/a'\[0\] = 1\.5/);
    expect(() => encodeSafetensors({ a: { shape: [1], data: [2 ** 60], dtype: 'I64' } })).toThrow(/not a safe integer/);
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], data: [1] } })).toThrow(ValueError);
  });
});

describe('safetensors: corrupt files', () => {
  const good = encodeSafetensors({ w: { shape: [2, 3], data: new Float32Array(6).fill(1) }, b: { shape: [3], data: [1, 2, 3] } });
  const withHeader = (h: string, data = 24): Uint8Array => {
    const json = new TextEncoder().encode(h);
    const out = new Uint8Array(8 + json.length + data);
    new DataView(out.buffer).setUint32(0, json.length, true);
    out.set(json, 8);
    return out;
  };

  it('says where a truncated file ends', () => {
    expectFormatError(() => parseSafetensors(good.subarray(0, 5)), 'safetensors', /bytes 0\.\.8 .*ends at byte 5/);
    expectFormatError(() => parseSafetensors(good.subarray(0, good.length - 4)), 'safetensors', /claims data bytes|cover/);
  });

  it('refuses a header length larger than the file without allocating it', () => {
    const big = good.slice();
    new DataView(big.buffer).setUint32(4, 0xffff, true);
    expectFormatError(() => parseSafetensors(big), 'safetensors', /exceeds|claims more bytes/);
    const lie = good.slice();
    new DataView(lie.buffer).setUint32(0, good.length, true);
    expectFormatError(() => parseSafetensors(lie), 'safetensors', /header length \d+ at byte 0 claims more bytes/);
  });

  it('refuses unknown dtypes, bad JSON, overlaps, holes and wrong sizes', () => {
    expectFormatError(
      () => parseSafetensors(withHeader('{"a":{"dtype":"F8","shape":[6],"data_offsets":[0,24]}}')),
      'safetensors',
      /unknown dtype "F8"/,
    );
    expectFormatError(() => parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[6],')), 'safetensors', /does not parse/);
    expectFormatError(() => parseSafetensors(withHeader('[1,2]')), 'safetensors', /start with/);
    expectFormatError(
      () =>
        parseSafetensors(
          withHeader('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}'),
        ),
      'safetensors',
      /overlap/,
    );
    expectFormatError(() => parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}')), 'safetensors', /hole/);
    expectFormatError(
      () => parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[5],"data_offsets":[0,24]}}')),
      'safetensors',
      /needs 20/,
    );
    expectFormatError(
      () => parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[6],"data_offsets":[0,240]}}')),
      'safetensors',
      /claims data bytes 0\.\.240/,
    );
    expectFormatError(
      () => parseSafetensors(withHeader('{"a":{"dtype":"F32","shape":[-6],"data_offsets":[0,24]}}')),
      'safetensors',
      /bad dimension -6/,
    );
    expectFormatError(() => parseSafetensors(withHeader('{"__metadata__":{"a":1}}', 0)), 'safetensors', /__metadata__\.a/);
  });
});

describe('safetensors: the released emulator bundle (real data)', () => {
  const dir = dataPath('spectra', 'emulator-reference-bundle');

  it('reads the MLP 3→128→128→500 weights and reproduces the fingerprint to 1e-6', async () => {
    const w = await readSafetensors(join(dir, 'weights', 'weights.safetensors'));
    const p = 'params/params/core_model/layers/';
    expect(w.tensors[`${p}0/kernel`]!.shape).toEqual([3, 128]);
    expect(w.tensors[`${p}1/kernel`]!.shape).toEqual([128, 128]);
    expect(w.tensors[`${p}2/kernel`]!.shape).toEqual([128, 500]);
    expect(w.tensors['params/model_state']).toMatchObject({ dtype: 'F64', shape: [0] });
    const x = (await readSafetensors(join(dir, 'fingerprint_evaluation', 'inputs.safetensors'))).tensors['parameters']!;
    const y = (await readSafetensors(join(dir, 'fingerprint_evaluation', 'outputs.safetensors'))).tensors['flux']!;
    expect(x.shape).toEqual([1, 3]);
    expect(y.shape).toEqual([1, 500]);
    // Float64 forward pass, GELU in its tanh form (the bundle's activation).
    const gelu = (z: number): number => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    let h = Array.from(x.data as Float32Array);
    for (let l = 0; l < 3; l++) {
      const k = w.tensors[`${p}${l}/kernel`]!;
      const b = w.tensors[`${p}${l}/bias`]!.data as Float32Array;
      const [nIn, nOut] = k.shape as [number, number];
      const kd = k.data as Float32Array;
      const next = Array.from(b, Number);
      for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) next[j]! += h[i]! * kd[i * nOut + j]!;
      h = l < 2 ? next.map(gelu) : next;
    }
    const yd = y.data as Float32Array;
    let maxErr = 0;
    for (let j = 0; j < 500; j++) maxErr = Math.max(maxErr, Math.abs(h[j]! - yd[j]!));
    expect(maxErr).toBeLessThan(2e-6);
  });

  it('reads the F64 scalars, domain and wavelength grid', async () => {
    const out = await readSafetensors(join(dir, 'reference_scaling_outputs.safetensors'));
    expect(out.tensors['max/flux']).toMatchObject({ dtype: 'F64', shape: [] });
    expect(Array.from(out.tensors['max/flux']!.data as Float64Array)).toEqual([1]);
    const dom = await readSafetensors(join(dir, 'input_domain.safetensors'));
    expect(Array.from(dom.tensors['min/parameters']!.data as Float64Array)).toEqual([4500, 2.5, Math.fround(-0.3)]);
    const wl = (await readSafetensors(join(dir, 'extras', 'wavelength_angstrom.safetensors'))).tensors['value']!.data as Float64Array;
    expect(wl.length).toBe(500);
    expect(wl[0]!).toBeCloseTo(5000, 6);
    expect(wl[499]!).toBeCloseTo(5010, 6);
    for (let i = 1; i < wl.length; i++) expect(wl[i]!).toBeGreaterThan(wl[i - 1]!);
  });
});

describe('safetensors ↔ tfjs tensors', () => {
  it('round-trips float32, int32 and bool tensors and stores floats as F16 on request', async () => {
    await ready({ backend: 'cpu', strict: true });
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([
      [1, 2.5],
      [-3, 0.1],
    ]);
    const b = tf.tensor1d([7, -8], 'int32');
    const c = tf.tensor1d([true, false], 'bool');
    const bytes = await encodeTensors({ a, b, c, extra: { shape: [1], data: [9], dtype: 'I64' } }, { metadata: { kind: 'test' } });
    const file = parseSafetensors(bytes);
    expect(file.tensors['a']!.dtype).toBe('F32');
    const back = safetensorsToTensors(file);
    expect(back['a']!.dtype).toBe('float32');
    expect(back['b']!.dtype).toBe('int32');
    expect(back['c']!.dtype).toBe('bool');
    expect(back['extra']!.dtype).toBe('int32');
    expect(await back['a']!.array()).toEqual(await a.array());
    expect(await back['b']!.array()).toEqual([7, -8]);
    expect(await back['c']!.array()).toEqual([1, 0]);
    const half = parseSafetensors(await encodeTensors({ a }, { float: 'F16' }));
    expect(half.tensors['a']!.dtype).toBe('F16');
    expect(Array.from(half.tensors['a']!.data as Float32Array)).toEqual([1, 2.5, -3, 0.0999755859375]);
    tf.dispose([a, b, c, ...Object.values(back)]);
    expect(tf.memory().numTensors).toBe(before);
    const bad = parseSafetensors(encodeSafetensors({ big: { shape: [1], data: [2n ** 40n], dtype: 'I64' } }));
    expect(() => safetensorsToTensors(bad)).toThrow(/does not fit in int32/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
